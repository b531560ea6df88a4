import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { QueueState } from '@warren/protocol';
import { appPerFile, connectionsPerTest, createSession, topicTopology, until } from '../helpers';
import { watch } from './watch';

/** The counts the canvas shows equal the broker's: one routed event per publish, one delivered per delivery. */

let app: FastifyInstance;
appPerFile((built) => (app = built));
const connections = connectionsPerTest();

describe('exact counters', () => {
  it('N published → N routed events and N delivered, matching the queues on the broker', async () => {
    const N = 400;
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    const connection = await amqp.connect(session.amqp.url);
    connections.push(connection);
    const consumer = await connection.createChannel();
    await consumer.prefetch(50);
    let acked = 0;
    await consumer.consume('orders', (m) => {
      if (!m) return;
      consumer.ack(m);
      acked += 1;
    });
    const producer = await connection.createConfirmChannel();
    for (let i = 0; i < N; i++) {
      // Every other message also goes to `critical`, which nobody consumes.
      const key = i % 2 === 0 ? 'order.created' : 'order.created.critical';
      producer.publish('demo.topic', key, Buffer.from(`${i}`), { messageId: `n-${i}` });
    }
    await producer.waitForConfirms();
    await until(() => acked === N, 10_000, 'all consumed');
    await until(() => client.of('delivered').length >= N, 10_000, 'all delivered events');
    // One more message the same way: once its delivery is reported, every event of the N has
    // arrived, and any event too many would have too.
    producer.publish('demo.topic', 'order.created', Buffer.from('sentinel'), {
      messageId: 'sentinel',
    });
    await producer.waitForConfirms();
    await until(
      () => client.of('delivered').some((e) => e.messageId === 'sentinel'),
      10_000,
      'the sentinel delivered',
    );
    const notSentinel = (e: { messageId: string | null }) => e.messageId !== 'sentinel';

    // A client that keeps up misses nothing (`replaced` counts only superseded snapshots).
    expect(client.frames.reduce((n, f) => n + (f.type === 'events' ? f.dropped : 0), 0)).toBe(0);
    const routed = client.of('routed').filter(notSentinel);
    expect(routed).toHaveLength(N);
    expect(new Set(routed.map((e) => e.messageId)).size).toBe(N);
    const toCritical = routed.filter((e) => e.routedQueues.includes('critical')).length;
    expect(toCritical).toBe(N / 2);
    expect(routed.every((e) => e.routedQueues.includes('orders') && e.outside)).toBe(true);
    const delivered = client.of('delivered').filter(notSentinel);
    expect(delivered).toHaveLength(N);
    expect(delivered.every((e) => e.queue === 'orders' && !e.redelivered)).toBe(true);

    const reply = await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/queues` });
    const queues = reply.json<{ queues: QueueState[] }>().queues;
    expect(queues.find((q) => q.name === 'critical')?.messages).toBe(toCritical);
    expect(queues.find((q) => q.name === 'orders')?.messages).toBe(0);
    client.close();
  });

  it('adds publish, deliver and ack rates from the management API to queue stats', async () => {
    // The broker samples each rate on its own; wait for a reading that has all three.
    const allRates = (q: QueueState) =>
      q.name === 'orders' &&
      (q.publishRate ?? 0) > 0 &&
      (q.deliverRate ?? 0) > 0 &&
      (q.ackRate ?? 0) > 0;
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    const connection = await amqp.connect(session.amqp.url);
    connections.push(connection);
    const consumer = await connection.createChannel();
    await consumer.consume('orders', (m) => m && consumer.ack(m));
    const producer = await connection.createChannel();
    const timer = setInterval(
      () => producer.publish('demo.topic', 'order.x', Buffer.from('.')),
      20,
    );
    try {
      // The broker refreshes its rates every 5 s.
      await until(
        () => client.of('queue-stats').some((e) => e.queues.some(allRates)),
        25_000,
        'publish, deliver and ack rates',
      );
    } finally {
      clearInterval(timer);
    }
    const orders = client
      .of('queue-stats')
      .flatMap((e) => e.queues)
      .filter(allRates)
      .at(-1);
    expect(orders?.publishRate).toBeGreaterThan(10);
    expect(orders?.deliverRate).toBeGreaterThan(10);
    expect(orders?.ackRate).toBeGreaterThan(10);
    client.close();
  }, 40_000);
});
