import amqplib, { type ChannelModel } from 'amqplib';
import { expect, test as base } from '../fixtures';
import { closeSession, openSession, ordersTopology } from './producers-session';

/**
 * What a client outside Warren declares joins the diagram, so the next Apply (which makes the
 * broker match the diagram) keeps it, even when the learner had unapplied changes of their own
 * at that moment. Deleting it on the canvas is the learner's choice: Apply then deletes it on
 * the broker.
 */

async function connect(url: string, name: string): Promise<ChannelModel> {
  const connection = await amqplib.connect(url, { clientProperties: { connection_name: name } });
  // The session's vhost is deleted under it at the end; that must not crash the runner.
  connection.on('error', () => undefined);
  return connection;
}

/**
 * Each test's session, made from `ordersTopology`, and the script: an outside client connected
 * to the session's vhost. Both go when the test ends, passed or failed, the script first.
 */
const test = base.extend<{ outside: { vhost: string; script: ChannelModel } }>({
  outside: async ({ page }, use) => {
    const session = await openSession(page, ordersTopology());
    const script = await connect(session.amqp.url, 'audit-script');
    await use({ vhost: session.vhost, script });
    await script.close().catch(() => undefined);
    await closeSession(page, session);
  },
});

test('a queue and binding declared outside survive Apply, and go when deleted on the canvas', async ({
  page,
  canvas,
  broker,
  outside: { vhost, script },
}) => {
  // An edit of the learner's own, not applied yet when the script declares its objects.
  await page.getByTestId('palette-add-queue').click();
  await expect(canvas.node('queue', 'queue-1')).toBeVisible();
  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');

  const channel = await script.createChannel();
  await channel.assertQueue('audit', { durable: false });
  await channel.bindQueue('audit', 'orders', 'new');

  // It joins the diagram (a node of its own, not one drawn apart), marked as outside.
  await expect(canvas.node('queue', 'audit')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('outside-badge-audit')).toHaveText('outside');
  await expect(page.getByTestId('outside-queue-audit')).toHaveCount(0);
  await expect(page.getByTestId('binding-label-orders-audit')).toHaveText('new');

  await canvas.apply();
  // The learner's queue was declared, and the script's queue and binding are still there.
  expect(await broker.hasQueue(vhost, 'queue-1')).toBe(true);
  expect(await broker.hasQueue(vhost, 'audit')).toBe(true);
  const bindings = await broker.bindings(vhost);
  expect(
    bindings.some(
      (b) => b.source === 'orders' && b.destination === 'audit' && b.routing_key === 'new',
    ),
  ).toBe(true);
  await expect(page.getByTestId('outside-badge-audit')).toHaveText('outside');

  // Deleted on the canvas, Apply deletes it on the broker too.
  await canvas.node('queue', 'audit').click();
  await page.keyboard.press('Delete');
  await expect(canvas.node('queue', 'audit')).toHaveCount(0);
  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');
  await canvas.apply();
  expect(await broker.hasQueue(vhost, 'audit')).toBe(false);
  // And it does not come back on the canvas.
  await expect(canvas.node('queue', 'audit')).toHaveCount(0);
  await expect(page.getByTestId('outside-queue-audit')).toHaveCount(0);
});

test('a queue deleted outside leaves the diagram, and Apply does not declare it again', async ({
  page,
  canvas,
  broker,
  outside: { vhost, script },
}) => {
  const channel = await script.createChannel();
  await channel.assertQueue('audit', { durable: false });
  await expect(canvas.node('queue', 'audit')).toBeVisible({ timeout: 15_000 });

  // The learner starts an edit; meanwhile the script deletes its queue again.
  await page.getByTestId('palette-add-queue').click();
  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');
  await channel.deleteQueue('audit');
  await expect(canvas.node('queue', 'audit')).toBeHidden({ timeout: 15_000 });
  await expect(page.getByTestId('outside-queue-audit')).toHaveCount(0);

  await canvas.apply();
  expect(await broker.hasQueue(vhost, 'queue-1')).toBe(true);
  expect(await broker.hasQueue(vhost, 'audit')).toBe(false);
});
