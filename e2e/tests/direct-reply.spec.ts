import amqplib from 'amqplib';
import type { Topology } from '@warren/topology';
import { expect, test } from '../fixtures';
import { closeSession, openSession } from './producers-session';

/**
 * Direct reply-to with Warren's own RPC responder: an outside client asks on `rpc_queue` and
 * reads its replies from `amq.rabbitmq.reply-to`; each reply is drawn from the responder's node
 * to the client's, and counted on that edge.
 */

const rpcTopology: Topology = {
  version: 1,
  exchanges: [],
  queues: [
    {
      id: 'q-rpc',
      name: 'rpc_queue',
      durable: false,
      exclusive: false,
      autoDelete: false,
      position: { x: 380, y: 160 },
    },
  ],
  bindings: [],
  producers: [],
  consumers: [
    {
      id: 'responder',
      name: 'responder',
      queue: 'rpc_queue',
      prefetch: 1,
      autoAck: true,
      rpcReply: true,
      position: { x: 680, y: 160 },
    },
  ],
};

test('replies of a Warren responder through direct reply-to are drawn to the client that asked', async ({
  page,
}, testInfo) => {
  const session = await openSession(page, rpcTopology);
  const connection = await amqplib.connect(session.amqp.url, {
    clientProperties: { connection_name: 'rpc caller' },
  });
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    const replies: string[] = [];
    await channel.consume(
      'amq.rabbitmq.reply-to',
      (message) => message && replies.push(message.content.toString()),
      { noAck: true },
    );
    for (const id of ['1', '2'])
      channel.sendToQueue('rpc_queue', Buffer.from(`fib ${id}`), {
        replyTo: 'amq.rabbitmq.reply-to',
        correlationId: id,
      });
    await expect.poll(() => replies, { timeout: 15_000 }).toEqual(['reply: fib 1', 'reply: fib 2']);

    const caller = page.locator('[data-testid^="outside-client-"]', { hasText: 'rpc caller' });
    await expect(caller).toBeVisible({ timeout: 10_000 });
    const replyEdge = page.locator(
      '[data-testid^="edge-count-outside:"][data-testid$=":consume:amq.rabbitmq.reply-to"]',
    );
    await expect(replyEdge).toHaveText('2', { timeout: 10_000 });
    await page.screenshot({ path: testInfo.outputPath('direct-reply-from-responder.png') });
  } finally {
    await connection.close().catch(() => undefined);
    await closeSession(page, session);
  }
});
