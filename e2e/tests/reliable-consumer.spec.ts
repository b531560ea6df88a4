import { expect, test } from '../fixtures';
import type { LocalRetry } from '../pages/consumers';

/**
 * Scenario 21, a reliable consumer: manual acks, a failed message retried inside the consumer
 * with growing waits, and after the last attempt a recoverer decides where it goes: rejected
 * to the queue's dead-letter queue, or republished to an error exchange.
 */
test('scenario 21: local retries with backoff, then the recoverer rejects to the DLQ or republishes to error.queue', async ({
  canvas,
  broker,
  consumers,
  producers,
  page,
}, testInfo) => {
  const sessionId = await canvas.open();
  const vhost = `warren-e2e-${sessionId}`;

  await canvas.add('producer', 'producer-1', 'checkout');
  await canvas.add('exchange', 'exchange-1', 'payments', 'direct');
  await canvas.add('exchange', 'exchange-1', 'payments.dlx', 'fanout');
  await canvas.add('exchange', 'exchange-1', 'error.direct', 'direct');
  await canvas.add('queue', 'queue-1', 'payments.dlq');
  await canvas.add('queue', 'queue-1', 'error.queue');
  await canvas.add('queue', 'queue-1', 'payments.in');
  await canvas.add('consumer', 'consumer-1', 'charger');
  await expect(consumers.node('charger')).toContainText('from payments.in');

  await canvas.arrange([
    [producers.node('checkout'), 262, 110],
    [canvas.node('exchange', 'payments'), 520, 150],
    [canvas.node('queue', 'payments.in'), 770, 130],
    [consumers.node('charger'), 1040, 100],
    [canvas.node('exchange', 'payments.dlx'), 620, 400],
    [canvas.node('queue', 'payments.dlq'), 880, 380],
    [canvas.node('exchange', 'error.direct'), 620, 620],
    [canvas.node('queue', 'error.queue'), 880, 600],
  ]);
  await consumers.fitView();
  await canvas.connect(producers.node('checkout'), canvas.node('exchange', 'payments'));
  await canvas.connect(canvas.node('exchange', 'payments'), canvas.node('queue', 'payments.in'));
  await canvas.setBindingKey('payments', 'payments.in', 'pay');
  await canvas.connect(
    canvas.node('exchange', 'payments.dlx'),
    canvas.node('queue', 'payments.dlq'),
  );
  await canvas.connect(
    canvas.node('exchange', 'error.direct'),
    canvas.node('queue', 'error.queue'),
  );
  await canvas.setBindingKey('error.direct', 'error.queue', 'error');
  await canvas.setQueueArguments('payments.in', { 'x-dead-letter-exchange': 'payments.dlx' });

  // Every attempt fails; three attempts, 300 ms then 600 ms apart, then the recoverer rejects.
  const retry: LocalRetry = { intervalMs: 300, multiplier: 2, attempts: 3, recoverer: 'reject' };
  await consumers.configure('charger', {
    ack: 'manual',
    processingMs: 100,
    failureRatePercent: 100,
    retry,
  });
  await expect(consumers.inspector.getByTestId('inspector-consumer-backoff')).toContainText(
    'waits 300, 600 ms between attempts',
  );
  await expect(consumers.inspector.getByTestId('inspector-consumer-dlx')).toContainText(
    'dead-letters to payments.dlx',
  );
  await expect(page.getByTestId('consumer-settings-charger')).toContainText('retry ×3 → reject');
  await canvas.apply();
  await expect(consumers.status('charger')).toHaveText('running');

  await producers.select('checkout');
  await producers.setMessage('pay', 'payment 1');
  await producers.send(1);
  await expect(producers.result('checkout')).toHaveText('routed to payments.in');

  // One delivery, three attempts inside the consumer, then one reject to the dead-letter queue.
  await consumers.expectCounts('charger', { received: 1, acked: 0, rejected: 1, inflight: 0 });
  await expect(canvas.depth('payments.dlq')).toHaveText('1', { timeout: 15_000 });
  await consumers.select('charger');
  await expect(consumers.logRows('retrying')).toHaveText([
    /attempt 3 in 600 ms/,
    /attempt 2 in 300 ms/,
  ]);
  await expect(consumers.logRows('rejected')).toContainText(
    'attempt 3 · failed 3 attempts; rejected by the recoverer',
  );
  await expect.poll(() => broker.readyCount(vhost, 'payments.dlq')).toBe(1);
  expect(await broker.readyCount(vhost, 'payments.in')).toBe(0);
  expect(await broker.readyCount(vhost, 'error.queue')).toBe(0);
  const [dead] = await broker.peek(vhost, 'payments.dlq', 1);
  expect(dead?.payload).toBe('payment 1');
  expect(dead?.properties.headers?.['x-death']?.[0]).toMatchObject({
    reason: 'rejected',
    queue: 'payments.in',
  });

  // The other recoverer: after the same three attempts, a copy to error.direct and an ack.
  await consumers.configure('charger', {
    retry: {
      ...retry,
      recoverer: 'republish',
      errorExchange: 'error.direct',
      errorRoutingKey: 'error',
    },
  });
  await expect(page.getByTestId('consumer-settings-charger')).toContainText(
    'retry ×3 → error.direct',
  );
  await canvas.apply();
  await expect(consumers.status('charger')).toHaveText('running');
  await producers.select('checkout');
  await producers.setMessage('pay', 'payment 2');
  await producers.send(1);
  await expect(producers.result('checkout')).toHaveText('routed to payments.in');

  await consumers.expectCounts('charger', { received: 2, acked: 1, rejected: 1, inflight: 0 });
  await expect(canvas.depth('error.queue')).toHaveText('1', { timeout: 15_000 });
  await expect(canvas.depth('payments.dlq')).toHaveText('1');
  await consumers.select('charger');
  await expect(consumers.logRows('retrying')).toHaveCount(4);
  await expect(consumers.logRows('acked')).toContainText(
    "failed 3 attempts; republished to error exchange 'error.direct'",
  );
  await consumers.log().scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('reliable-consumer-recoverers.png') });

  await expect.poll(() => broker.readyCount(vhost, 'error.queue')).toBe(1);
  expect(await broker.readyCount(vhost, 'payments.dlq')).toBe(1);
  expect(await broker.readyCount(vhost, 'payments.in')).toBe(0);
  const [failed] = await broker.peek(vhost, 'error.queue', 1);
  expect(failed?.payload).toBe('payment 2');
  expect(failed?.routing_key).toBe('error');
  expect(failed?.properties.headers).toMatchObject({
    'x-exception': expect.stringContaining('failed 3 times'),
    'x-original-exchange': 'payments',
    'x-original-routingKey': 'pay',
  });
});
