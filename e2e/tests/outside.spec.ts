import amqplib, { type ChannelModel } from 'amqplib';
import { expect, test } from '../fixtures';
import { closeSession, openSession, ordersTopology } from './producers-session';

/**
 * Clients outside Warren: an amqplib program given the session's AMQP details (from the API)
 * publishes and consumes on the vhost. It shows up on the canvas as its own node, linked to
 * the exchange it publishes to and the queue it reads, and the queue it declares is marked as
 * declared outside Warren.
 */

async function connect(url: string, name: string): Promise<ChannelModel> {
  const connection = await amqplib.connect(url, { clientProperties: { connection_name: name } });
  // The test closes the vhost under it at the end; that must not crash the runner.
  connection.on('error', () => undefined);
  return connection;
}

// Room for the outside nodes beside the diagram, so the screenshot shows them readable.
test.use({ viewport: { width: 1680, height: 940 } });

test('an outside amqplib publisher and consumer appear on the canvas, and the queue it declares is marked outside', async ({
  page,
}, testInfo) => {
  const session = await openSession(page, ordersTopology());
  const publisher = await connect(session.amqp.url, 'billing-publisher');
  const worker = await connect(session.amqp.url, 'audit-worker');
  try {
    const reader = await worker.createChannel();
    await reader.assertQueue('audit', { durable: false });
    await reader.bindQueue('audit', 'orders', 'new');
    let received = 0;
    await reader.consume('audit', (message) => {
      if (!message) return;
      received += 1;
      reader.ack(message);
    });
    const channel = await publisher.createConfirmChannel();
    for (let i = 1; i <= 3; i++) channel.publish('orders', 'new', Buffer.from(`invoice ${i}`));
    await channel.waitForConfirms();

    // The queue it declared joins the diagram, marked as declared outside Warren.
    await expect(page.getByTestId('queue-node-audit')).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('outside-badge-audit')).toHaveText('outside');
    await expect(page.getByTestId('outside-badge-order.q')).toHaveCount(0);

    const billing = page.locator('[data-testid^="outside-client-"]', {
      hasText: 'billing-publisher',
    });
    await expect(billing).toBeVisible({ timeout: 15_000 });
    await expect(billing).toContainText('publishes');
    await expect(billing).toContainText('orders');
    const audit = page.locator('[data-testid^="outside-client-"]', { hasText: 'audit-worker' });
    await expect(audit).toBeVisible({ timeout: 15_000 });
    await expect(audit).toContainText('consumes');
    await expect(audit).toContainText('audit');
    // Lines from the publisher to `orders` and from `audit` to the worker.
    await expect(page.locator('.react-flow__edge.outside-edge')).toHaveCount(2);

    // The diagram's own queue holds what the outside publisher sent; the worker took its copies.
    await expect(page.getByTestId('queue-depth-order.q')).toHaveText('3');
    await expect.poll(() => received).toBe(3);

    await page.locator('.react-flow__controls-fitview').click();
    await page.screenshot({ path: testInfo.outputPath('outside.png') });

    // Deleted outside, the queue it declared leaves the canvas again.
    await reader.deleteQueue('audit');
    await expect(page.getByTestId('queue-node-audit')).toBeHidden({ timeout: 15_000 });
    await expect(page.getByTestId('outside-badge-audit')).toHaveCount(0);
    // It was never the diagram's, so nothing waits for Apply.
    await expect(page.getByTestId('apply-status')).toHaveText('Applied');

    // A closed connection leaves the canvas too.
    await publisher.close();
    await expect(billing).toBeHidden({ timeout: 15_000 });
  } finally {
    await publisher.close().catch(() => undefined);
    await worker.close().catch(() => undefined);
    await closeSession(page, session);
  }
});
