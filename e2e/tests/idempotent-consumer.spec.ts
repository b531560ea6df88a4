import { expect, test } from '../fixtures';

/**
 * Scenario 22, an idempotent consumer: it remembers the message ids it processed, and a message
 * whose id it has seen before is acked without being processed again, and counted.
 */
test('scenario 22: messages with a message id seen before are skipped and counted as duplicates', async ({
  canvas,
  broker,
  consumers,
  producers,
  page,
}, testInfo) => {
  const sessionId = await canvas.open();
  const vhost = `warren-e2e-${sessionId}`;

  await canvas.add('producer', 'producer-1', 'shop');
  await canvas.add('exchange', 'exchange-1', 'payments', 'direct');
  await canvas.add('queue', 'queue-1', 'payments.in');
  await canvas.add('consumer', 'consumer-1', 'ledger');
  await expect(consumers.node('ledger')).toContainText('from payments.in');
  await canvas.arrange([
    [producers.node('shop'), 262, 150],
    [canvas.node('exchange', 'payments'), 540, 190],
    [canvas.node('queue', 'payments.in'), 790, 170],
    [consumers.node('ledger'), 1050, 140],
  ]);
  await consumers.fitView();
  await canvas.connect(producers.node('shop'), canvas.node('exchange', 'payments'));
  await canvas.connect(canvas.node('exchange', 'payments'), canvas.node('queue', 'payments.in'));
  await canvas.setBindingKey('payments', 'payments.in', 'pay');

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
