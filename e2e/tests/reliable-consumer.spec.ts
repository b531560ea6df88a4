import { expect, test } from '../fixtures';
import type { LocalRetry } from '../pages/consumers';

/**
 * Scenario 21, a reliable consumer: manual acks, a failed message retried inside the consumer
 * with growing waits, and after the last attempt a recoverer decides where it goes: rejected
 * to the queue's dead-letter queue, or republished to an error exchange.
 */
test('scenario 21: local retries with backoff, then the recoverer rejects to the DLQ or republishes to error.queue', async ({
  canvas,
  lesson,
  broker,
  vhost,
  consumers,
  producers,
  page,
}, testInfo) => {
  await lesson.drawPipeline({
    producer: { name: 'checkout' },
    exchange: { name: 'payments', type: 'direct' },
    bindingKey: 'pay',
    queue: { name: 'payments.in' },
    consumers: [{ name: 'charger' }],
    lanes: [
      {
        exchange: { name: 'payments.dlx', type: 'fanout' },
        queue: { name: 'payments.dlq' },
      },
      {
        exchange: { name: 'error.direct', type: 'direct' },
        bindingKey: 'error',
        queue: { name: 'error.queue' },
      },
    ],
  });
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

  await producers.sendMessage('checkout', 'pay', 'payment 1');
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
  await producers.sendMessage('checkout', 'pay', 'payment 2');
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
