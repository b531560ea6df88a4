import amqplib from 'amqplib';
import { expect, test } from '../fixtures';
import { closeSession, openSession, ordersTopology } from './producers-session';

/**
 * A small outside program run three times, one run after another, is one node with a run count;
 * its messages open from the node, each with the properties the broker traced.
 */

async function runOnce(url: string, n: number): Promise<void> {
  const connection = await amqplib.connect(url);
  connection.on('error', () => undefined);
  const channel = await connection.createConfirmChannel();
  channel.publish('orders', 'new', Buffer.from(`run ${n}`), {
    correlationId: `run-${n}`,
    replyTo: 'answers',
    contentType: 'text/plain',
    headers: { attempt: n },
  });
  await channel.waitForConfirms();
  await connection.close();
}

test('repeated runs of an outside program fold into one node, whose messages show their properties', async ({
  page,
}) => {
  const session = await openSession(page, ordersTopology());
  try {
    for (let n = 1; n <= 3; n += 1) {
      console.log('run', n, Date.now());
      await runOnce(session.amqp.url, n);
    }
    console.log('runs done', Date.now());
    const node = page.locator('[data-testid^="outside-client-"]', { hasText: 'amqplib #' });
    await expect(node).toHaveCount(1, { timeout: 15_000 });
    await expect(node.locator('[data-testid^="outside-runs-"]')).toHaveText('×3 runs');
    await node.locator('[data-testid^="outside-messages-toggle-"]').click();
    const sent = node.locator('[data-testid^="outside-message-"][data-testid$="-sent"]');
    await expect(sent).toHaveCount(3);
    // Newest first: the last run's message.
    await sent.first().click();
    await expect(node.getByTestId('message-property-correlationId')).toHaveText('run-3');
    await expect(node.getByTestId('message-property-replyTo')).toHaveText('answers');
    await expect(node.getByTestId('message-property-contentType')).toHaveText('text/plain');
    await expect(node.getByTestId('message-header-attempt')).toHaveText('3');
    await expect(node.getByTestId('message-property-messageKey')).not.toBeEmpty();
    // Then, with no run for a while, it leaves the canvas.
    await expect(node).toHaveCount(0, { timeout: 5_000 });
  } finally {
    await closeSession(page, session);
  }
});
