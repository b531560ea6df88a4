import { expect, test } from '../fixtures';

/**
 * Scenario 15, TTL and delayed retry: a failing message is rejected from the work queue to a
 * retry queue whose message TTL dead-letters it back, so it comes again a second later. The
 * consumer counts the trips in x-death and, past three retries, parks the message.
 */
test('scenario 15: a failing message visits the work queue 1 + 3 times, then lands in parking', async ({
  canvas,
  lesson,
  broker,
  vhost,
  consumers,
  producers,
  page,
}, testInfo) => {
  await lesson.drawPipeline({
    producer: { name: 'shop' },
    exchange: { name: 'orders', type: 'direct' },
    bindingKey: 'order',
    queue: { name: 'work' },
    consumers: [{ name: 'billing' }],
    lanes: [
      {
        exchange: { name: 'retry.x', type: 'fanout' },
        queue: { name: 'retry' },
      },
      {
        exchange: { name: 'parking.x', type: 'fanout' },
        queue: { name: 'parking' },
      },
    ],
  });

  // Failures leave the work queue for the retry exchange; the retry queue holds each one for a
  // second, then dead-letters it back to `orders` with its own routing key.
  await canvas.setQueueArguments('work', { 'x-dead-letter-exchange': 'retry.x' });
  await canvas.setQueueArguments('retry', {
    'x-message-ttl': 1000,
    'x-dead-letter-exchange': 'orders',
  });
  await expect(page.getByTestId('dead-letter-edge-work-retry.x')).toBeVisible();
  await expect(page.getByTestId('dead-letter-edge-retry-orders')).toBeVisible();
  await expect(page.getByTestId('queue-badges-retry')).toContainText('TTL 1 s');

  await consumers.configure('billing', {
    processingMs: 100,
    failureRatePercent: 100,
    delayedRetry: { maxRetries: 3, parkingExchange: 'parking.x' },
  });
  await expect(consumers.inspector.getByTestId('inspector-consumer-dlx')).toContainText(
    'dead-letters to retry.x',
  );
  await expect(page.getByTestId('consumer-settings-billing')).toContainText(
    'delayed retry ×3 → parking.x',
  );
  await canvas.apply();
  await expect(consumers.status('billing')).toHaveText('running');

  await producers.sendMessage('shop', 'order', 'order 1');
  await expect(producers.result('shop')).toHaveText('routed to work');

  // Four deliveries from the work queue: the first and three retries; three rejects to the
  // retry queue, then the copy to parking and the ack of the original.
  await consumers.expectCounts('billing', { received: 4, rejected: 3, acked: 1, inflight: 0 });
  await expect(canvas.depth('parking')).toHaveText('1', { timeout: 15_000 });
  await expect(canvas.depth('work')).toHaveText('0');
  await expect(canvas.depth('retry')).toHaveText('0');

  await consumers.select('billing');
  await expect(consumers.logRows('rejected')).toHaveCount(3);
  for (const retry of [1, 2, 3]) await expect(consumers.log()).toContainText(`retry ${retry} of 3`);
  await expect(consumers.logRows('acked')).toHaveCount(1);
  await expect(consumers.logRows('acked')).toContainText("parked on 'parking.x'");
  await consumers.log().scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('delayed-retry-parked.png') });

  // The broker's own record: three rejections from work, three expiries from retry.
  await expect.poll(() => broker.readyCount(vhost, 'parking')).toBe(1);
  expect(await broker.readyCount(vhost, 'work')).toBe(0);
  expect(await broker.readyCount(vhost, 'retry')).toBe(0);
  const [parked] = await broker.peek(vhost, 'parking', 1);
  expect(parked?.payload).toBe('order 1');
  expect(parked?.routing_key).toBe('order');
  const deaths = parked?.properties.headers?.['x-death'] ?? [];
  expect(deaths).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ queue: 'work', reason: 'rejected', count: 3 }),
      expect.objectContaining({ queue: 'retry', reason: 'expired', count: 3 }),
    ]),
  );
});
