import type { ConsumeMessage } from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { until } from '../helpers';
import {
  binding,
  consumer,
  exchange,
  queue,
  type SessionDriver,
  topology,
  drivenSession,
} from './fixtures';

let app: FastifyInstance;
let driver: SessionDriver;
drivenSession((a, d) => ((app = a), (driver = d)));

describe('RPC responder (scenario 10)', () => {
  it('replies to reply_to with the request correlation id', async () => {
    await driver.apply(
      topology({
        queues: [queue('rpc.requests')],
        consumers: [
          consumer('responder', 'rpc.requests', {
            rpcReply: true,
            processingMs: { min: 5, max: 5 },
          }),
        ],
      }),
    );
    // The caller is an ordinary client with the session's AMQP details.
    const channel = await driver.channel();
    const { queue: replyQueue } = await channel.assertQueue('', { exclusive: true });
    const replies: ConsumeMessage[] = [];
    await channel.consume(replyQueue, (m) => m && replies.push(m), { noAck: true });
    for (const id of ['req-1', 'req-2', 'req-3']) {
      channel.sendToQueue('rpc.requests', Buffer.from(`question ${id}`), {
        replyTo: replyQueue,
        correlationId: id,
      });
    }
    await until(() => replies.length === 3, 5000, 'three replies');
    const answered = replies.map((r): [unknown, string] => [
      r.properties.correlationId,
      r.content.toString(),
    ]);
    expect(answered).toEqual([
      ['req-1', 'reply: question req-1'],
      ['req-2', 'reply: question req-2'],
      ['req-3', 'reply: question req-3'],
    ]);
    expect(replies.every((r) => r.properties.headers?.['x-warren-consumer'] === 'responder')).toBe(
      true,
    );
    const state = await driver.consumerUntil('responder', (c) => c.acked === 3);
    expect(state).toMatchObject({ received: 3, acked: 3, replied: 3 });
    // Each ack says which reply it sent, for the consumer's log.
    expect(driver.of('acked', 'responder').map((e) => e.reason)).toEqual(
      ['req-1', 'req-2', 'req-3'].map(
        (id) => `replied to '${replyQueue}' with correlation id '${id}'`,
      ),
    );
    await channel.close();
  });
});

describe('faults', () => {
  const slow = (more = {}) =>
    topology({
      queues: [queue('jobs')],
      consumers: [
        consumer('worker', 'jobs', {
          prefetch: 3,
          processingMs: { min: 30_000, max: 30_000 },
          ...more,
        }),
      ],
    });

  it('kill mid-flight: the unacked messages go back to the queue', async () => {
    await driver.apply(slow());
    for (let i = 0; i < 5; i++) await driver.publish({ exchange: '', routingKey: 'jobs' });
    await driver.consumerUntil('worker', (c) => c.inFlight === 3);
    expect(await driver.queueState('jobs')).toMatchObject({ messages: 2 });

    const killed = await driver.action('worker', 'kill');
    expect(killed.json()).toMatchObject({ status: 'killed', received: 3, acked: 0, inFlight: 0 });
    await expect
      .poll(() => driver.queueState('jobs'), { timeout: 5000 })
      .toMatchObject({ messages: 5, consumers: 0 });

    // Started again, it gets the returned messages as redeliveries.
    const started = await driver.action('worker', 'start');
    expect(started.json()).toMatchObject({ status: 'running' });
    await driver.consumerUntil('worker', (c) => c.received === 6 && c.inFlight === 3);
    await until(
      () => driver.of('delivered').filter((e) => e.queue === 'jobs' && e.redelivered).length === 3,
      5000,
      'three redeliveries',
    );
  });

  it('a closed connection returns unacked messages and the consumer reconnects', async () => {
    const runtime = app.sessions.get(driver.session.id)!.consumers;
    expect(await runtime.closeConnection('nobody')).toBeUndefined();
    const closed = await runtime.closeConnection('worker');
    expect(closed).toMatchObject({ status: 'error', inFlight: 0 });
    expect(closed?.error).toContain('fault injection');
    const back = await driver.consumerUntil('worker', (c) => c.status === 'running', 5000);
    expect(back.error).toBeUndefined();
    await driver.consumerUntil('worker', (c) => c.received === 9 && c.inFlight === 3);
    await driver.action('worker', 'kill');
  });

  it('a deleted queue becomes an error naming the consumer; applying again brings it back', async () => {
    await driver.apply(slow({ processingMs: { min: 0, max: 0 } }));
    await driver.consumerUntil('worker', (c) => c.status === 'running' && c.inFlight === 0);
    const channel = await driver.channel();
    await channel.deleteQueue('jobs');
    await channel.close();
    const failed = await driver.consumerUntil('worker', (c) => /no such queue/.test(c.error ?? ''));
    expect(failed.status).toBe('error');
    expect(failed.error).toContain("Consumer 'worker'");
    expect(driver.of('node-error').flatMap((e) => e.errors)).toContainEqual(
      expect.objectContaining({
        nodeId: 'worker',
        path: '/consumers/0/queue',
        code: 'BROKER_NOT_FOUND',
      }),
    );
    await driver.apply(slow({ processingMs: { min: 0, max: 0 } }));
    expect(await driver.consumer('worker')).toMatchObject({ status: 'running' });
    await driver.publish({ exchange: '', routingKey: 'jobs' });
    await driver.consumerUntil('worker', (c) => c.inFlight === 0 && c.acked >= 1);
    // One named connection per consumer, none left behind by the failures above.
    const own = `warren:${driver.session.id}:consumer:`;
    await expect
      .poll(async () => (await driver.connectionNames()).filter((n) => n.startsWith(own)), {
        timeout: 8000,
      })
      .toEqual([`${own}worker`]);
  });
});

describe('exclusive server-named queue (pub/sub)', () => {
  it("consumes on the session's own connection", async () => {
    await driver.apply(
      topology({
        exchanges: [exchange('news', 'fanout')],
        queues: [queue('my-news', { serverNamed: true, exclusive: true, autoDelete: true })],
        bindings: [binding('news', 'my-news')],
        consumers: [consumer('reader', 'my-news')],
      }),
    );
    expect(await driver.consumer('reader')).toMatchObject({ status: 'running' });
    await driver.publish({ exchange: 'news', routingKey: '' });
    const state = await driver.consumerUntil('reader', (c) => c.acked === 1);
    expect(state.received).toBe(1);
    expect(driver.of('acked', 'reader')[0]?.queue).toBe('my-news');
  });
});
