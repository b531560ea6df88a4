import amqplib from 'amqplib';
import { expect, test } from '../fixtures';
import { closeSession, openSession, ordersTopology } from './producers-session';

/**
 * Every edge shows how many messages travelled it, and the numbers are the broker's: the
 * producer's line and the binding count what the broker routed, the consumer's line what the
 * broker delivered on that consumer's channel, an outside client's line its own traffic.
 */

test.use({ viewport: { width: 1500, height: 900 } });

test('edge counters on the canvas equal the broker statistics', async ({
  page,
  broker,
}, testInfo) => {
  const topology = ordersTopology();
  topology.consumers = [
    {
      id: 'c-billing',
      name: 'billing',
      queue: 'order.q',
      prefetch: 10,
      autoAck: false,
      position: { x: 1000, y: 120 },
    },
  ];
  const session = await openSession(page, topology);
  const outside = await amqplib.connect(session.amqp.url, {
    clientProperties: { connection_name: 'till' },
  });
  outside.on('error', () => undefined);
  try {
    // Five from the producer node, three from a program outside Warren.
    await page.getByTestId('producer-send-shop').click();
    await expect(page.getByTestId('producer-result-shop')).toContainText('routed to order.q');
    for (let i = 0; i < 4; i++) await page.getByTestId('producer-send-shop').click();
    const channel = await outside.createConfirmChannel();
    for (let i = 0; i < 3; i++) channel.publish('orders', 'new', Buffer.from(`till ${i}`));
    await channel.waitForConfirms();

    await expect(page.getByTestId('edge-count-shop-orders')).toHaveText('5');
    await expect(page.getByTestId('edge-count-orders-order.q')).toHaveText('8');
    await expect(page.getByTestId('edge-count-order.q-billing')).toHaveText('8');
    await expect(page.getByTestId('exchange-published-orders')).toHaveText('8');
    await expect(page.getByTestId('exchange-unroutable-orders')).toHaveCount(0);
    const tillEdge = page.locator(
      '[data-testid^="edge-count-outside:"][data-testid$=":publish:orders"]',
    );
    await expect(tillEdge).toHaveText('3', { timeout: 15_000 });

    // The broker's own statistics (they lag by a few seconds) say the same.
    await expect
      .poll(async () => (await broker.queueTraffic(session.vhost, 'order.q')).published, {
        timeout: 20_000,
      })
      .toBe(8);
    await expect
      .poll(async () => (await broker.queueTraffic(session.vhost, 'order.q')).delivered, {
        timeout: 20_000,
      })
      .toBe(8);

    await page.locator('.react-flow__controls-fitview').click();
    await page.screenshot({ path: testInfo.outputPath('edge-counters.png') });
  } finally {
    await outside.close().catch(() => undefined);
    await closeSession(page, session);
  }
});
