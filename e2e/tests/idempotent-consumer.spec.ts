import { expect, test } from '../fixtures';

/**
 * Scenario 22, an idempotent consumer: it remembers the message ids it processed, and a message
 * whose id it has seen before is acked without being processed again, and counted.
 */
test('scenario 22: messages with a message id seen before are skipped and counted as duplicates', async ({
  canvas,
  lesson,
  broker,
  vhost,
  consumers,
  producers,
  page,
}, testInfo) => {
  await lesson.drawPipeline({
    producer: { name: 'shop', at: [262, 150] },
    exchange: { name: 'payments', type: 'direct', at: [540, 190] },
    bindingKey: 'pay',
    queue: { name: 'payments.in', at: [790, 170] },
    consumers: [{ name: 'ledger', at: [1050, 140] }],
  });

  await consumers.configure('ledger', { processingMs: 100, idempotent: true });
  await expect(page.getByTestId('consumer-settings-ledger')).toContainText('idempotent');
  await canvas.apply();
  await expect(consumers.status('ledger')).toHaveText('running');

  // A producer that sends the same payment three times, each with the same message id, as a
  // publisher retrying after a lost confirm would.
  await producers.select('shop');
  await producers.setMessage('pay', 'charge order 42');
  await producers.setProperties({ messageId: 'order-42' });
  await producers.send(3);
  await expect(producers.result('shop')).toHaveText('3 sent · routed to payments.in');

  // All three delivered and acked; only the first processed, the other two skipped.
  await consumers.expectCounts('ledger', { received: 3, acked: 3, duplicates: 2, inflight: 0 });
  await consumers.select('ledger');
  await expect(consumers.logRows('duplicate')).toHaveCount(2);
  for (const row of await consumers.logRows('duplicate').all()) {
    await expect(row).toContainText('order-42');
    await expect(row).toContainText('message id seen before: skipped');
  }

  // Fresh ids are new payments, processed; the old id stays remembered.
  await producers.select('shop');
  await producers.setProperties({ messageId: '' });
  await producers.send(2);
  await consumers.expectCounts('ledger', { received: 5, acked: 5, duplicates: 2, inflight: 0 });
  await producers.setProperties({ messageId: 'order-42' });
  await producers.send(1);
  await consumers.expectCounts('ledger', { received: 6, acked: 6, duplicates: 3, inflight: 0 });

  await consumers.select('ledger');
  await expect(consumers.logRows('duplicate')).toHaveCount(3);
  await expect(consumers.state()).toContainText('3 duplicates');
  await consumers.log().scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('idempotent-duplicates.png') });

  // Every message left the queue acked: duplicates are settled, not left behind.
  await expect(canvas.depth('payments.in')).toHaveText('0');
  expect(await broker.readyCount(vhost, 'payments.in')).toBe(0);
});
