import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type {
  ApplyTopologyResponse,
  CreateSessionResponse,
  ErrorBody,
  PublishResponse,
} from '@warren/protocol';
import { appPerFile, auth, createSession, management, topicTopology } from '../helpers';

let app: FastifyInstance;
const mgmt = management();

appPerFile((a) => (app = a));

async function publish(session: CreateSessionResponse, body: object) {
  return app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/publish`,
    headers: auth(session),
    payload: body,
  });
}

async function put(session: CreateSessionResponse, topology: object, query = '') {
  return app.inject({
    method: 'PUT',
    url: `/api/sessions/${session.id}/topology${query}`,
    headers: auth(session),
    payload: topology,
  });
}

describe('GET /api/health', () => {
  it('reports both the AMQP port and the management API reachable', async () => {
    const response = await app.inject('/api/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      amqp: { reachable: true },
      management: { reachable: true },
    });
  });
});

describe('sessions', () => {
  it('creates a vhost with tracing on and a user that outside clients can connect with', async () => {
    const session = await createSession(app);
    const vhosts = await mgmt.listVhosts();
    const vhost = vhosts.find((v) => v.name === session.vhost);
    expect(vhost).toMatchObject({ tracing: true });
    // Turning tracing on keeps the stamp that tells other servers' sweeps the vhost is young.
    expect(vhost?.description).toMatch(new RegExp(`^warren session ${session.id}, created `));
    const outside = await amqp.connect(session.amqp.url);
    const channel = await outside.createChannel();
    await channel.checkExchange('amq.topic');
    await outside.close();
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/sessions/${session.id}`,
      headers: auth(session),
    });
    expect(deleted.statusCode).toBe(204);
    expect((await mgmt.listVhosts()).some((v) => v.name === session.vhost)).toBe(false);
  });

  it('materializes a topology and routes a message where the broker routes it', async () => {
    const session = await createSession(app);
    const applied = await put(session, topicTopology());
    expect(applied.statusCode).toBe(200);
    const bindings = await mgmt.listBindings(session.vhost);
    expect(
      bindings
        .filter((b) => b.source === 'demo.topic')
        .map((b) => `${b.destination}:${b.routing_key}`)
        .sort(),
    ).toEqual(['critical:#.critical', 'orders:order.#']);

    const both = await publish(session, {
      exchange: 'demo.topic',
      routingKey: 'order.create.critical',
      payload: 'x',
    });
    expect(both.statusCode).toBe(200);
    expect(both.json<PublishResponse>().routedQueues.sort()).toEqual(['critical', 'orders']);

    const none = await publish(session, {
      exchange: 'demo.topic',
      routingKey: 'system.log.info',
      mandatory: true,
    });
    expect(none.json<PublishResponse>()).toMatchObject({
      routedQueues: [],
      returned: { replyCode: 312, replyText: 'NO_ROUTE' },
    });

    const queues = await app.inject(`/api/sessions/${session.id}/queues`);
    expect(queues.json<{ queues: { name: string; messages: number }[] }>().queues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'orders', messages: 1 }),
        expect.objectContaining({ name: 'critical', messages: 1 }),
      ]),
    );
  });

  it('deletes on the broker what the diagram no longer has', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const smaller = topicTopology();
    smaller.queues = smaller.queues.filter((q) => q.name !== 'critical');
    smaller.bindings = smaller.bindings.filter((b) => b.destination !== 'critical');
    const response = await put(session, smaller);
    expect(response.json<ApplyTopologyResponse>().changes.deleted).toContain('queue critical');
    const queues = (await mgmt.listQueues(session.vhost)).map((q) => q.name);
    expect(queues).toContain('orders');
    expect(queues).not.toContain('critical');
  });

  it('creates a session from a RabbitMQ definitions file', async () => {
    const session = await createSession(app, {
      definitions: {
        exchanges: [
          {
            name: 'logs',
            type: 'fanout',
            durable: true,
            auto_delete: false,
            internal: false,
            arguments: {},
          },
        ],
        queues: [{ name: 'audit', durable: true, auto_delete: false, arguments: {} }],
        bindings: [
          {
            source: 'logs',
            destination: 'audit',
            destination_type: 'queue',
            routing_key: '',
            arguments: {},
          },
        ],
      },
    });
    expect(session.topology.exchanges.map((x) => x.name)).toEqual(['logs']);
    const routed = await publish(session, { exchange: 'logs', routingKey: 'anything' });
    expect(routed.json<PublishResponse>().routedQueues).toEqual(['audit']);
  });
});

describe('bad input gets a clear error and loses nothing', () => {
  it('lists every bad field of an invalid topology by its path', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const bad = topicTopology();
    (bad.exchanges[0] as { type: string }).type = 'topik';
    bad.queues[1]!.name = '';
    bad.bindings[0]!.routingKey = 'order..x';
    const response = await put(session, bad);
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('INVALID_TOPOLOGY');
    expect(body.error.details?.map((d) => d.path)).toEqual(
      expect.arrayContaining(['/exchanges/0/type', '/queues/1/name']),
    );
    expect(body.error.details?.find((d) => d.path === '/exchanges/0/type')?.nodeId).toBe('x1');
    // The session still has its last good topology.
    const ok = await publish(session, { exchange: 'demo.topic', routingKey: 'order.a' });
    expect(ok.json<PublishResponse>().routedQueues).toEqual(['orders']);
  });

  it('attaches a 406 refusal to its node, applies the rest, and keeps the session working', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const changed = topicTopology();
    changed.queues[0]!.arguments = { 'x-message-ttl': 60000 };
    changed.queues.push({
      id: 'q3',
      name: 'extra',
      durable: true,
      exclusive: false,
      autoDelete: false,
    });
    const response = await put(session, changed);
    expect(response.statusCode).toBe(409);
    const body = response.json<ErrorBody & ApplyTopologyResponse>();
    expect(body.error.code).toBe('BROKER_REFUSED');
    expect(body.nodeErrors).toEqual([
      expect.objectContaining({ nodeId: 'q1', path: '/queues/0', code: 'PRECONDITION_FAILED' }),
    ]);
    expect(body.nodeErrors[0]?.brokerMessage).toMatch(/inequivalent arg 'x-message-ttl'/);
    expect((await mgmt.listQueues(session.vhost)).map((q) => q.name)).toContain('extra');
    const routed = await publish(session, { exchange: 'demo.topic', routingKey: 'order.new' });
    expect(routed.json<PublishResponse>().routedQueues).toEqual(['orders']);

    const recreated = await put(session, changed, '?recreate=true');
    expect(recreated.statusCode).toBe(200);
    const orders = (await mgmt.listQueues(session.vhost)).find((q) => q.name === 'orders');
    expect(orders?.arguments).toEqual({ 'x-message-ttl': 60000 });
    const again = await publish(session, { exchange: 'demo.topic', routingKey: 'order.new' });
    expect(again.json<PublishResponse>().routedQueues).toEqual(['orders']);
  });

  it('answers a publish to a missing exchange with 404 and keeps publishing', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const missing = await publish(session, { exchange: 'nope', routingKey: 'x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorBody>().error).toMatchObject({
      code: 'BROKER_NOT_FOUND',
      path: '/exchange',
    });
    const ok = await publish(session, { exchange: 'demo.topic', routingKey: 'order.a' });
    expect(ok.statusCode).toBe(200);
  });

  it('answers a publish the broker nacks (a full reject-publish queue) as nacked, not as an error', async () => {
    const topology = topicTopology();
    topology.queues[0] = {
      ...topology.queues[0]!,
      arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' },
    };
    const session = await createSession(app, { topology });
    const key = { exchange: 'demo.topic', routingKey: 'order.a', producerId: 'p1' };
    const first = await publish(session, key);
    expect(first.json<PublishResponse>()).toMatchObject({ confirmed: true });
    const second = await publish(session, key);
    expect(second.statusCode).toBe(200);
    expect(second.json<PublishResponse>()).toMatchObject({ confirmed: false, nacked: true });
  });

  it('refuses oversized payloads, unknown fields, missing tokens and unknown sessions', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const big = await publish(session, {
      exchange: 'demo.topic',
      payload: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json<ErrorBody>().error.code).toBe('PAYLOAD_TOO_LARGE');
    const unknown = await publish(session, { exchange: 'demo.topic', colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().error.details?.[0]?.path).toBe('/colour');
    const noToken = await app.inject({
      method: 'PUT',
      url: `/api/sessions/${session.id}/topology`,
      payload: topicTopology(),
    });
    expect(noToken.statusCode).toBe(401);
    const malformed = await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/publish`,
      headers: { ...auth(session), 'content-type': 'application/json' },
      payload: '{"exchange": ',
    });
    expect(malformed.statusCode).toBe(400);
    const none = await app.inject('/api/sessions/doesnotexist');
    expect(none.statusCode).toBe(404);
    expect(none.json<ErrorBody>().error.code).toBe('SESSION_NOT_FOUND');
  });
});
