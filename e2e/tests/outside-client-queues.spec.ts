import amqplib from 'amqplib';
import { expect, test } from '../fixtures';
import { closeSession, openSession } from './producers-session';

/**
 * A pub/sub subscriber as in the tutorials: it declares the fanout `logs`, an exclusive
 * server-named queue of its own, and binds it. The queue joins the canvas as the client's:
 * named after the client, marked server-named and exclusive, and gone when it disconnects.
 */

test.use({ viewport: { width: 1680, height: 940 } });

test("a subscriber's exclusive server-named queue shows as the client's, and goes with it", async ({
  page,
}) => {
  const session = await openSession(page, {
    version: 1,
    exchanges: [
      {
        id: 'x-logs',
        name: 'logs',
        type: 'fanout',
        durable: false,
        autoDelete: false,
        internal: false,
        position: { x: 300, y: 120 },
      },
    ],
    queues: [],
    bindings: [],
    producers: [],
  });
  const subscriber = await amqplib.connect(session.amqp.url, {
    clientProperties: { connection_name: 'log-subscriber' },
  });
  subscriber.on('error', () => undefined);
  try {
    const channel = await subscriber.createChannel();
    await channel.assertExchange('logs', 'fanout', { durable: false });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, 'logs', '');
    await channel.consume(queue, () => undefined, { noAck: true });

    await expect(page.getByTestId(`queue-node-${queue}`)).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId(`outside-badge-${queue}`)).toHaveText("client's");
    await expect(page.getByTestId(`outside-owner-${queue}`)).toHaveText('log-subscriber', {
      timeout: 15_000,
    });
    await expect(page.getByTestId(`outside-server-named-${queue}`)).toBeVisible();
    await expect(page.getByTestId(`outside-exclusive-${queue}`)).toBeVisible();

    // The broker deletes the exclusive queue with its connection: so does the canvas.
    await subscriber.close();
    await expect(page.getByTestId(`queue-node-${queue}`)).toBeHidden({ timeout: 15_000 });
    await expect(page.getByTestId('apply-status')).toHaveText('Applied');
  } finally {
    await subscriber.close().catch(() => undefined);
    await closeSession(page, session);
  }
});
