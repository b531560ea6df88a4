import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type {
  ApplyTopologyResponse,
  ConsumerState,
  CreateSessionResponse,
  QueueState,
} from '@warren/protocol';
import type { Topology } from '@warren/topology';
import {
  appPerFile,
  auth,
  connectionsPerTest,
  createSession,
  topicTopology,
  until,
} from '../helpers';
import { besideSentinel, sentinelExpired, watch, withSentinel } from './watch';

/** Faults change the broker behind the diagram's back; the diagram and its nodes show it. */

let app: FastifyInstance;
appPerFile((built) => (app = built));
const connections = connectionsPerTest();

const post = (session: CreateSessionResponse, path: string, payload: object = {}) =>
  app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}${path}`,
    headers: auth(session),
    payload,
  });

async function queues(session: CreateSessionResponse): Promise<QueueState[]> {
  const reply = await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/queues` });
  return reply.json<{ queues: QueueState[] }>().queues;
}

async function fill(session: CreateSessionResponse, count: number) {
  const connection = await amqp.connect(session.amqp.url);
  connections.push(connection);
  const channel = await connection.createConfirmChannel();
  for (let i = 0; i < count; i++) channel.publish('demo.topic', 'order.x', Buffer.from(`${i}`));
  await channel.waitForConfirms();
}

describe('POST /api/sessions/:id/queues/:queue/purge', () => {
  it('removes the ready messages and says how many', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    await fill(session, 4);
    const reply = await post(session, '/queues/orders/purge');
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ queue: 'orders', purged: 4 });
    expect((await queues(session)).find((q) => q.name === 'orders')?.messages).toBe(0);
  });

  it('needs the edit token, and names a queue the broker does not have', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const anonymous = await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/queues/orders/purge`,
    });
    expect(anonymous.statusCode).toBe(401);
    const missing = await post(session, '/queues/nope/purge');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'BROKER_NOT_FOUND' } });
    expect(missing.json<{ error: { message: string } }>().error.message).toContain("'nope'");
    // The session's channels survive the refusal.
    expect((await post(session, '/queues/orders/purge')).statusCode).toBe(200);
  });

  it('is not mistaken for expiry on a queue with a TTL', async () => {
    const topology = withSentinel(topicTopology());
    topology.queues[0] = { ...topology.queues[0]!, arguments: { 'x-message-ttl': 60_000 } };
    const session = await createSession(app, { topology });
    const client = await watch(app, session.id);
    await fill(session, 3);
    // The firehose has reported the three: the purge is measured against them.
    await until(() => client.of('routed').length === 3, 5000, 'three routed');
    expect((await post(session, '/queues/orders/purge')).json()).toEqual({
      queue: 'orders',
      purged: 3,
    });
    await sentinelExpired(client, session.amqp.url);
    expect(besideSentinel(client.of('expired'))).toEqual([]);
    client.close();
  });
});

describe('POST /api/sessions/:id/faults/delete', () => {
  it('deletes a queue on the broker only; the diagram marks it missing and Apply declares it again', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    await fill(session, 2);
    const reply = await post(session, '/faults/delete', { kind: 'queue', name: 'orders' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ kind: 'queue', name: 'orders', deleted: true, messages: 2 });
    await until(() => client.of('outside-change').length > 0, 3000, 'outside-change');
    // The queue, and its binding the broker deleted with it.
    expect(client.of('outside-change')).toEqual([
      expect.objectContaining({
        change: 'deleted',
        kind: 'queue',
        name: 'orders',
        source: 'fault',
      }),
      expect.objectContaining({
        change: 'deleted',
        kind: 'binding',
        name: 'demo.topic -> orders (order.#)',
        source: 'fault',
      }),
    ]);
    expect((await queues(session)).map((q) => q.name)).toEqual(['critical']);
    const kept = await app.inject({ method: 'GET', url: `/api/sessions/${session.id}` });
    expect(kept.json<{ topology: Topology }>().topology.queues.map((q) => q.name)).toContain(
      'orders',
    );
    // Nothing else reports it: a later change outside Warren makes it read the broker again,
    // and only that change is reported.
    const outside = await amqp.connect(session.amqp.url);
    connections.push(outside);
    await (await outside.createChannel()).assertExchange('sentinel', 'fanout');
    await until(
      () => client.of('outside-change').some((e) => e.name === 'sentinel'),
      8000,
      'the sentinel exchange reported',
    );
    expect(client.of('outside-change').map((e) => [e.change, e.kind, e.name, e.source])).toEqual([
      ['deleted', 'queue', 'orders', 'fault'],
      ['deleted', 'binding', 'demo.topic -> orders (order.#)', 'fault'],
      ['created', 'exchange', 'sentinel', 'event-exchange'],
    ]);

    const apply = await app.inject({
      method: 'PUT',
      url: `/api/sessions/${session.id}/topology`,
      headers: auth(session),
      payload: topicTopology(),
    });
    expect(apply.statusCode).toBe(200);
    expect(apply.json<ApplyTopologyResponse>().changes.declared).toEqual(
      expect.arrayContaining(['queue orders', 'binding demo.topic -> orders (order.#)']),
    );
    expect((await queues(session)).map((q) => q.name).sort()).toEqual(['critical', 'orders']);
    const published = await post(session, '/publish', {
      exchange: 'demo.topic',
      routingKey: 'order.new',
    });
    expect(published.json<{ routedQueues: string[] }>().routedQueues).toEqual(['orders']);
    client.close();
  });

  it('deletes an exchange, with its bindings, until the next Apply', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const reply = await post(session, '/faults/delete', { kind: 'exchange', name: 'demo.topic' });
    expect(reply.json()).toEqual({ kind: 'exchange', name: 'demo.topic', deleted: true });
    const publish = await post(session, '/publish', { exchange: 'demo.topic', routingKey: 'x' });
    expect(publish.statusCode).toBe(404);
    await app.inject({
      method: 'PUT',
      url: `/api/sessions/${session.id}/topology`,
      headers: auth(session),
      payload: topicTopology(),
    });
    const again = await post(session, '/publish', {
      exchange: 'demo.topic',
      routingKey: 'order.critical',
    });
    expect(again.json<{ routedQueues: string[] }>().routedQueues.sort()).toEqual([
      'critical',
      'orders',
    ]);
  });

  it('refuses what the broker does not have and the broker’s own exchanges', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const missing = await post(session, '/faults/delete', { kind: 'exchange', name: 'nope' });
    expect(missing.statusCode).toBe(404);
    const builtIn = await post(session, '/faults/delete', { kind: 'exchange', name: 'amq.topic' });
    expect(builtIn.statusCode).toBe(400);
    const bad = await post(session, '/faults/delete', { kind: 'binding', name: 'x' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('POST /api/sessions/:id/faults/close-connection', () => {
  const withNodes = (): Topology => ({
    ...topicTopology(),
    consumers: [
      {
        id: 'c1',
        name: 'slow worker',
        queue: 'orders',
        prefetch: 5,
        autoAck: false,
        processingMs: { min: 60_000, max: 60_000 },
      },
    ],
  });

  it("closes a consumer's connection: its unacked messages return to the queue", async () => {
    const session = await createSession(app, { topology: withNodes() });
    await until(
      async () => (await queues(session)).find((q) => q.name === 'orders')?.consumers === 1,
      8000,
      'consumer running',
    );
    await fill(session, 3);
    // The consumer's own count is exact; the management API's unacked lags by seconds.
    const inFlight = async () => {
      const reply = await app.inject({
        method: 'GET',
        url: `/api/sessions/${session.id}/consumers`,
      });
      return reply.json<{ consumers: ConsumerState[] }>().consumers[0]?.inFlight;
    };
    await until(async () => (await inFlight()) === 3, 10_000, 'three in flight');
    const reply = await post(session, '/faults/close-connection', { consumerId: 'c1' });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ closed: true, consumerId: 'c1' });
    await until(
      async () => (await queues(session)).find((q) => q.name === 'orders')?.messages === 3,
      10_000,
      'messages back in the queue',
    );
    const consumers = await app.inject({
      method: 'GET',
      url: `/api/sessions/${session.id}/consumers`,
    });
    expect(consumers.json<{ consumers: ConsumerState[] }>().consumers[0]?.status).toBe('error');
  });

  it('closes a producer connection, and names unknown nodes', async () => {
    const session = await createSession(app, { topology: withNodes() });
    const sent = await post(session, '/producers/p1/send', { count: 1 });
    expect(sent.statusCode).toBe(200);
    const reply = await post(session, '/faults/close-connection', { producerId: 'p1' });
    expect(reply.json()).toEqual({ closed: true, producerId: 'p1' });
    const unknown = await post(session, '/faults/close-connection', { producerId: 'nope' });
    expect(unknown.statusCode).toBe(404);
    const unknownConsumer = await post(session, '/faults/close-connection', { consumerId: 'nope' });
    expect(unknownConsumer.statusCode).toBe(404);
    const neither = await post(session, '/faults/close-connection', {});
    expect(neither.statusCode).toBe(400);
  });
});
