import amqplib, { type ChannelModel } from 'amqplib';
import { expect, test } from '../fixtures';
import { closeSession, openSession, ordersTopology } from './producers-session';

/**
 * A small outside program run three times, one run after another, is one node with a run count;
 * its messages open from the node (while it is on the canvas), each with the properties the
 * broker traced.
 */

/** One run of the program: it publishes one message; the last run stays connected. */
async function runOnce(url: string, n: number, stay = false): Promise<ChannelModel> {
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
  if (!stay) await connection.close();
  return connection;
}

test('repeated runs of an outside program fold into one node, whose messages show their properties', async ({
  page,
}) => {
  const session = await openSession(page, ordersTopology());
  let last: ChannelModel | undefined;
  try {
    for (let n = 1; n <= 2; n += 1) await runOnce(session.amqp.url, n);
    // The third run stays connected while its node is looked at.
    last = await runOnce(session.amqp.url, 3, true);
    const node = page.locator('[data-testid^="outside-client-"]', { hasText: 'amqplib #' });
    await expect(node).toHaveCount(1, { timeout: 15_000 });
    await expect(node.locator('[data-testid^="outside-runs-"]')).toHaveText('×3 runs');
    // The card shows its label and run count; the broker's connection name only in its title.
    await expect(node).not.toContainText(' -> ');
    await expect(node).toHaveAttribute('title', /127\.0\.0\.1:\d+ -> /);
    await node.screenshot({ path: test.info().outputPath('outside-client-card.png') });
    // The client's node came after the view was fitted: fit again, as a user would.
    await page.getByRole('button', { name: 'Fit View' }).click();
    await node.locator('[data-testid^="outside-messages-toggle-"]').click({ timeout: 10_000 });
    const sent = node.locator('[data-testid^="outside-message-"][data-testid$="-sent"]');
    await expect(sent).toHaveCount(3);
    await page.getByRole('button', { name: 'Fit View' }).click();
    // Newest first: the last run's message.
    await sent.first().click({ timeout: 10_000 });
    await expect(node.getByTestId('message-property-correlationId')).toHaveText('run-3');
    await expect(node.getByTestId('message-property-replyTo')).toHaveText('answers');
    await expect(node.getByTestId('message-property-contentType')).toHaveText('text/plain');
    await expect(node.getByTestId('message-header-attempt')).toHaveText('3');
    await expect(node.getByTestId('message-property-messageKey')).not.toBeEmpty();
    // Once the last run ends, the node leaves the canvas within two seconds or so.
    await last.close();
    await expect(node).toHaveCount(0, { timeout: 5_000 });
  } finally {
    await last?.close().catch(() => undefined);
    await closeSession(page, session);
  }
});

test('a program that only declares is drawn as a declarer with what it declared, and leaves with it', async ({
  page,
}) => {
  const session = await openSession(page, ordersTopology());
  const connection = await amqplib.connect(session.amqp.url, {
    clientProperties: { connection_name: 'inventory setup' },
  });
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    await channel.assertExchange('inventory', 'direct', { durable: false });
    await channel.assertQueue('inventory.updates', { durable: false });
    await channel.bindQueue('inventory.updates', 'inventory', 'stock');
    const node = page.locator('[data-testid^="outside-client-"]', { hasText: 'inventory setup' });
    await expect(node).toHaveCount(1, { timeout: 10_000 });
    await expect(node.locator('[data-testid^="outside-role-"]')).toHaveText('declares');
    await expect(node.locator('[data-testid^="outside-declared-"] code')).toHaveText(
      'inventory, inventory.updates',
    );
    await node.screenshot({ path: test.info().outputPath('outside-declarer-card.png') });
    await connection.close();
    await expect(node).toHaveCount(0, { timeout: 5_000 });
  } finally {
    await connection.close().catch(() => undefined);
    await closeSession(page, session);
  }
});
