import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Topology } from '@warren/topology';
import { queue } from '@warren/topology/testing';
import { DiscardInference, SETTLE_MS } from '../../src/observation/discard-inference';
import { appPerFile, connectionsPerTest, createSession, until } from '../helpers';
import { besideSentinel, sentinelExpired, watch, withSentinel } from './watch';

describe('DiscardInference (the arithmetic)', () => {
  const ttl = { ttl: true };

  it('reports what left the queue unseen once it lasted a settle window', () => {
    const inference = new DiscardInference();
    for (let i = 0; i < 5; i++) inference.routed('q', false);
    expect(inference.reading('q', 5, 0, ttl)).toBeUndefined();
    // Two expired: the first reading that shows it is not enough.
    expect(inference.reading('q', 3, 1000, ttl)).toBeUndefined();
    expect(inference.reading('q', 3, 1000 + SETTLE_MS + 1, ttl)).toEqual({
      queue: 'q',
      type: 'expired',
      count: 2,
    });
    expect(inference.reading('q', 3, 2000 + SETTLE_MS, ttl)).toBeUndefined();
  });

  it('does not count deliveries, requeues, purges or seen dead-letterings as losses', () => {
    const inference = new DiscardInference();
    expect(inference.reading('q', 0, 0, ttl)).toBeUndefined();
    for (let i = 0; i < 4; i++) inference.routed('q', false);
    inference.delivered('q', false);
    inference.delivered('q', false);
    // One was requeued and delivered again.
    inference.delivered('q', true);
    inference.removed('q', 1);
    for (const at of [1000, 1500, 2000]) expect(inference.reading('q', 1, at, ttl)).toBeUndefined();
  });

  it('ignores a transient shorter than the settle window (the firehose lagging the queue)', () => {
    const inference = new DiscardInference();
    expect(inference.reading('q', 0, 0, ttl)).toBeUndefined();
    inference.routed('q', false);
    // The queue already delivered it; the firehose has not said so yet.
    expect(inference.reading('q', 0, 1000, ttl)).toBeUndefined();
    inference.delivered('q', false);
    expect(inference.reading('q', 0, 1000 + SETTLE_MS + 1, ttl)).toBeUndefined();
  });

  it('calls it dropped when the queue is at its max length', () => {
    const inference = new DiscardInference();
    expect(inference.reading('q', 0, 0, { ttl: false, maxLength: 2 })).toBeUndefined();
    for (let i = 0; i < 5; i++) inference.routed('q', false);
    inference.reading('q', 2, 1000, { ttl: false, maxLength: 2 });
    expect(inference.reading('q', 2, 1500, { ttl: true, maxLength: 2 })).toEqual({
      queue: 'q',
      type: 'dropped',
      count: 3,
    });
  });

  it('takes the highest reading of its first window as the baseline, and restarts on reset', () => {
    const inference = new DiscardInference();
    for (let i = 0; i < 3; i++) inference.routed('q', true);
    expect(inference.reading('q', 3, 0, ttl)).toBeUndefined();
    expect(inference.reading('q', 2, 100, ttl)).toBeUndefined();
    expect(inference.reading('q', 2, 1000, ttl)).toBeUndefined();
    inference.reset();
    expect(inference.reading('q', 0, 2000, ttl)).toBeUndefined();
    expect(inference.reading('q', 0, 3000, ttl)).toBeUndefined();
    expect(inference.expirationSeen('q')).toBe(true);
  });
});

/**
 * Without a dead-letter exchange, expiry and overflow leave no per-message trace: the counts are
 * inferred from the queue's depth against what the firehose saw go in and out.
 */
describe('inferred expired and dropped events', () => {
  let app: FastifyInstance;
  appPerFile((built) => (app = built));
  const connections = connectionsPerTest();

  const topology = (args: Record<string, unknown>): Topology =>
    withSentinel({
      version: 1,
      exchanges: [],
      queues: [queue('short', { arguments: args }), queue('plain')],
      bindings: [],
      producers: [],
    });

  async function publish(url: string, queueName: string, count: number, expiration?: string) {
    const connection = await amqp.connect(url);
    connections.push(connection);
    const channel = await connection.createConfirmChannel();
    for (let i = 0; i < count; i++) {
      channel.sendToQueue(queueName, Buffer.from(`m${i}`), {
        messageId: `m${i}`,
        ...(expiration === undefined ? {} : { expiration }),
      });
    }
    await channel.waitForConfirms();
    return channel;
  }

  /** What the diagram's queues lost, by the events of one kind; the sentinel's left out. */
  const total = (events: { queue: string; count: number }[]) =>
    besideSentinel(events).reduce((n, e) => n + e.count, 0);

  it('infers expiry without a dead-letter exchange, and says so', async () => {
    const session = await createSession(app, { topology: topology({ 'x-message-ttl': 200 }) });
    const client = await watch(app, session.id);
    // Every queue's baseline is taken once the inference has reported the sentinel.
    await sentinelExpired(client, session.amqp.url);
    await publish(session.amqp.url, 'short', 4);
    await until(() => total(client.of('expired')) === 4, 6000, '4 expired');
    expect(
      besideSentinel(client.of('expired')).every((e) => e.queue === 'short' && e.inferred),
    ).toBe(true);
    await sentinelExpired(client, session.amqp.url);
    expect(total(client.of('expired'))).toBe(4);
    expect(client.of('dropped')).toEqual([]);
    client.close();
  });

  it('infers drop-head overflow without a dead-letter exchange as dropped', async () => {
    const session = await createSession(app, { topology: topology({ 'x-max-length': 2 }) });
    const client = await watch(app, session.id);
    // Every queue's baseline is taken once the inference has reported the sentinel.
    await sentinelExpired(client, session.amqp.url);
    await publish(session.amqp.url, 'short', 7);
    await until(() => total(client.of('dropped')) === 5, 6000, '5 dropped');
    await sentinelExpired(client, session.amqp.url);
    expect(total(client.of('dropped'))).toBe(5);
    expect(besideSentinel(client.of('expired'))).toEqual([]);
    client.close();
  });

  it('infers messages refused by reject-publish overflow as dropped (lesson 16, second half)', async () => {
    const session = await createSession(app, {
      topology: topology({ 'x-max-length': 2, 'x-overflow': 'reject-publish' }),
    });
    const client = await watch(app, session.id);
    // Every queue's baseline is taken once the inference has reported the sentinel.
    await sentinelExpired(client, session.amqp.url);
    const connection = await amqp.connect(session.amqp.url);
    connections.push(connection);
    const channel = await connection.createConfirmChannel();
    const outcomes = await Promise.all(
      Array.from(
        { length: 5 },
        (_, i) =>
          new Promise<boolean>((resolve) =>
            channel.sendToQueue('short', Buffer.from(`${i}`), {}, (error) => resolve(!error)),
          ),
      ),
    );
    expect(outcomes.filter((ok) => !ok)).toHaveLength(3);
    await until(() => total(client.of('dropped')) === 3, 6000, '3 dropped');
    await sentinelExpired(client, session.amqp.url);
    expect(total(client.of('dropped'))).toBe(3);
    client.close();
  });

  it('infers expiry of messages published with an expiration, and consumed ones are not lost', async () => {
    const session = await createSession(app, { topology: topology({}) });
    const client = await watch(app, session.id);
    // Every queue's baseline is taken once the inference has reported the sentinel.
    await sentinelExpired(client, session.amqp.url);
    await publish(session.amqp.url, 'plain', 3, '150');
    const connection = await amqp.connect(session.amqp.url);
    connections.push(connection);
    const consumer = await connection.createChannel();
    await until(() => total(client.of('expired')) === 3, 6000, '3 expired');
    // Consumed messages of the same queue are not mistaken for expired ones.
    await publish(session.amqp.url, 'plain', 5);
    let acked = 0;
    await consumer.consume('plain', (m) => {
      if (!m) return;
      consumer.ack(m);
      acked += 1;
    });
    await until(() => acked === 5, 5000, '5 consumed');
    await sentinelExpired(client, session.amqp.url);
    expect(total(client.of('expired'))).toBe(3);
    client.close();
  });
});
