import { expect, test } from '../fixtures';

/**
 * The first thing a new user does: draw a topic exchange with two queues, apply, publish, and
 * watch each message land exactly where the real broker routed it.
 */
test('draw a topic exchange with two queues, apply, send, and watch the broker route it', async ({
  canvas,
  broker,
  vhost,
  page,
}, testInfo) => {
  await canvas.add('producer', 'producer-1', 'shop');
  await canvas.add('exchange', 'exchange-1', 'demo.topic', 'topic');
  await canvas.add('queue', 'queue-1', 'orders');
  await canvas.add('queue', 'queue-1', 'critical');

  await canvas.connect(canvas.node('producer', 'shop'), canvas.node('exchange', 'demo.topic'));
  await canvas.connect(canvas.node('exchange', 'demo.topic'), canvas.node('queue', 'orders'));
  await canvas.connect(canvas.node('exchange', 'demo.topic'), canvas.node('queue', 'critical'));
  await canvas.setBindingKey('demo.topic', 'orders', 'order.#');
  await canvas.setBindingKey('demo.topic', 'critical', '#.critical');
  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');
  await canvas.apply();

  // The broker's own view: the exchange and both bindings exist in the session's vhost.
  expect((await broker.exchanges(vhost)).find((x) => x.name === 'demo.topic')?.type).toBe('topic');
  const bindings = (await broker.bindings(vhost)).filter((b) => b.source === 'demo.topic');
  expect(bindings.map((b) => `${b.destination} ${b.routing_key}`).sort()).toEqual([
    'critical #.critical',
    'orders order.#',
  ]);

  // Routed to both queues: a dot travels, both depths become 1. The dot lives for a moment only,
  // so it is waited for from before the send, not looked for after it.
  const dot = page.getByTestId('message-dot').first().waitFor({ state: 'attached' });
  await canvas.send('shop', 'order.create.critical', '{"id": 1}');
  await dot;
  await page.screenshot({ path: testInfo.outputPath('in-flight.png') });
  await expect(canvas.depth('orders')).toHaveText('1');
  await expect(canvas.depth('critical')).toHaveText('1');
  await expect(page.getByTestId('producer-result-shop')).toContainText('orders');
  await expect(page.getByTestId('producer-result-shop')).toContainText('critical');

  // Routed to one queue only.
  await canvas.send('shop', 'order.paid', '{"id": 2}');
  await expect(canvas.depth('orders')).toHaveText('2');
  await expect(canvas.depth('critical')).toHaveText('1');

  // Unroutable: dropped at the exchange, no queue changes.
  await canvas.send('shop', 'system.log.info', 'nobody listens');
  await expect(page.getByTestId('message-dropped').first()).toBeVisible();
  await expect(page.getByTestId('producer-result-shop')).toContainText('unroutable');
  await expect(canvas.depth('orders')).toHaveText('2');
  await expect(canvas.depth('critical')).toHaveText('1');

  // The broker agrees (its management statistics refresh every few seconds).
  await expect
    .poll(() => broker.depths(vhost), { timeout: 20_000 })
    .toMatchObject({ orders: 2, critical: 1 });

  const shot = testInfo.outputPath('canvas.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('canvas', { path: shot, contentType: 'image/png' });
});
