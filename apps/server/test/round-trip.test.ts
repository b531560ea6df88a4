import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_EXPORTED_HEADER, type CreateSessionResponse } from '@warren/protocol';
import { brokerReady, buildTestApp, management } from './helpers';

/**
 * Broker → Warren → broker: a vhost holding every kind of object the topology model covers is
 * exported by RabbitMQ, opened as a Warren session, exported by Warren and imported into a second
 * vhost the way `rabbitmqctl import_definitions` does. Both vhosts must then hold the same
 * objects; whatever Warren cannot carry must be named in notImported / notExported.
 */

let app: FastifyInstance;
const mgmt = management();
const run = randomBytes(4).toString('hex');
const source = `warren-test-rt-${run}-source`;
const copy = `warren-test-rt-${run}-copy`;
const v = encodeURIComponent;

beforeAll(async () => {
  app = await buildTestApp();
  await brokerReady(app);
  for (const vhost of [source, copy]) {
    // The description's date keeps a test server's orphan reclaim away from a young vhost.
    await mgmt.request('PUT', `/vhosts/${v(vhost)}`, {
      description: `warren round-trip test, created ${new Date().toISOString()}`,
    });
    await mgmt.grantAll(vhost, 'guest');
  }
});
afterAll(async () => {
  await app.close();
  for (const vhost of [source, copy]) await mgmt.deleteVhost(vhost);
});

type Table = Record<string, unknown>;

async function exchange(name: string, type: string, more: Table = {}) {
  await mgmt.request('PUT', `/exchanges/${v(source)}/${v(name)}`, {
    type,
    durable: true,
    auto_delete: false,
    internal: false,
    arguments: {},
    ...more,
  });
}
async function queue(name: string, more: Table = {}) {
  await mgmt.request('PUT', `/queues/${v(source)}/${v(name)}`, {
    durable: true,
    auto_delete: false,
    arguments: {},
    ...more,
  });
}
async function bind(
  from: string,
  to: string,
  routingKey: string,
  args: Table = {},
  kind: 'q' | 'e' = 'q',
) {
  await mgmt.request('POST', `/bindings/${v(source)}/e/${v(from)}/${kind}/${v(to)}`, {
    routing_key: routingKey,
    arguments: args,
  });
}
async function policy(name: string, body: Table) {
  await mgmt.request('PUT', `/policies/${v(source)}/${v(name)}`, body);
}

/** Every field the model covers: exchange types and flags, queue arguments, bindings, policies. */
async function fillSource(): Promise<void> {
  await exchange('rt.direct', 'direct');
  await exchange('rt.fanout', 'fanout', { durable: false });
  await exchange('rt.topic', 'topic', { arguments: { 'alternate-exchange': 'rt.ae' } });
  await exchange('rt.headers', 'headers');
  await exchange('rt.hash', 'x-consistent-hash', { arguments: { 'hash-header': 'user' } });
  await exchange('rt.hash.id', 'x-consistent-hash', {
    arguments: { 'hash-property': 'message_id' },
  });
  await exchange('rt.ae', 'fanout');
  await exchange('rt.internal', 'topic', { internal: true });
  await exchange('rt.fleeting', 'direct', { auto_delete: true });
  await exchange('rt.dlx', 'direct');

  await queue('rt.classic', {
    arguments: {
      'x-queue-type': 'classic',
      'x-message-ttl': 60000,
      'x-expires': 86400000,
      'x-max-length': 1000,
      'x-max-length-bytes': 1048576,
      'x-overflow': 'reject-publish-dlx',
      'x-dead-letter-exchange': 'rt.dlx',
      'x-dead-letter-routing-key': 'dead',
      'x-max-priority': 10,
      'x-single-active-consumer': true,
    },
  });
  await queue('rt.quorum', {
    arguments: {
      'x-queue-type': 'quorum',
      'x-message-ttl': 60000,
      'x-expires': 86400000,
      'x-max-length': 1000,
      'x-max-length-bytes': 1048576,
      'x-overflow': 'reject-publish',
      'x-dead-letter-exchange': 'rt.dlx',
      'x-dead-letter-routing-key': 'dead',
      'x-single-active-consumer': true,
    },
  });
  await queue('rt.drop-head', { arguments: { 'x-max-length': 5, 'x-overflow': 'drop-head' } });
  await queue('rt.transient', { durable: false });
  await queue('rt.auto-delete', { auto_delete: true });
  await queue('rt.dead');
  for (const name of ['rt.h1', 'rt.h2', 'rt.all', 'rt.any', 'rt.all-x', 'rt.any-x'])
    await queue(name);
  await queue('rt.policy.target');

  await bind('rt.direct', 'rt.classic', 'k1');
  await bind('rt.direct', 'rt.classic', 'k2');
  await bind('rt.topic', 'rt.quorum', 'order.*.#');
  await bind('rt.topic', 'rt.internal', 'audit.#', {}, 'e');
  await bind('rt.internal', 'rt.dead', 'audit.log');
  await bind('rt.ae', 'rt.dead', '');
  await bind('rt.fanout', 'rt.transient', '');
  await bind('rt.fleeting', 'rt.auto-delete', 'x');
  await bind('rt.dlx', 'rt.dead', 'dead');
  await bind('rt.hash', 'rt.h1', '1');
  await bind('rt.hash', 'rt.h2', '3');
  await bind('rt.hash.id', 'rt.h1', '2');
  await bind('rt.headers', 'rt.all', '', { 'x-match': 'all', kind: 'order', n: 1 });
  await bind('rt.headers', 'rt.any', '', { 'x-match': 'any', kind: 'order', ok: true });
  await bind('rt.headers', 'rt.all-x', '', { 'x-match': 'all-with-x', 'x-tag': 'a' });
  await bind('rt.headers', 'rt.any-x', '', { 'x-match': 'any-with-x', 'x-tag': 'a' });
  await bind('amq.topic', 'rt.policy.target', 'policy.#');

  await policy('rt-queues', {
    pattern: '^rt\\.policy\\.',
    'apply-to': 'queues',
    priority: 5,
    definition: {
      'message-ttl': 30000,
      expires: 86400000,
      'max-length': 100,
      'max-length-bytes': 10000,
      overflow: 'reject-publish',
      'dead-letter-exchange': 'rt.dlx',
      'dead-letter-routing-key': 'dead',
    },
  });
  await policy('rt-exchanges', {
    pattern: '^rt\\.headers$',
    'apply-to': 'exchanges',
    priority: 1,
    definition: { 'alternate-exchange': 'rt.ae' },
  });
  await policy('rt-quorum', {
    pattern: '^rt\\.quorum$',
    'apply-to': 'all',
    priority: 0,
    definition: { 'delivery-limit': 5 },
  });
}

/** A queue the broker named (a client declared ''): no definitions file can recreate that name. */
async function brokerNamedQueue(vhost: string): Promise<string> {
  const connection = await amqp.connect(
    `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(vhost)}`,
  );
  const channel = await connection.createChannel();
  const { queue: generated } = await channel.assertQueue('', { exclusive: false, durable: true });
  await channel.bindQueue(generated, 'rt.direct', 'generated');
  await connection.close();
  return generated;
}

interface Listed {
  exchanges?: Table[];
  queues?: Table[];
  bindings?: Table[];
  policies?: Table[];
}

const sortedTable = (table: unknown) =>
  Object.fromEntries(Object.entries((table ?? {}) as Table).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Each object of a definitions file as one line of text, by kind, vhost left out. */
function normalize(file: object) {
  const definitions = file as Listed;
  const line = (...parts: unknown[]) => JSON.stringify(parts);
  return {
    exchanges: (definitions.exchanges ?? [])
      .map((x) =>
        line(x.name, x.type, x.durable, x.auto_delete, x.internal, sortedTable(x.arguments)),
      )
      .sort(),
    queues: (definitions.queues ?? [])
      .map((q) => line(q.name, q.durable, q.auto_delete, sortedTable(q.arguments)))
      .sort(),
    bindings: (definitions.bindings ?? [])
      .map((b) =>
        line(b.source, b.destination, b.destination_type, b.routing_key, sortedTable(b.arguments)),
      )
      .sort(),
    policies: (definitions.policies ?? [])
      .map((p) => line(p.name, p.pattern, p['apply-to'], p.priority, sortedTable(p.definition)))
      .sort(),
  };
}

/** Lines of `a` that `b` lacks. */
function missingFrom(a: ReturnType<typeof normalize>, b: ReturnType<typeof normalize>) {
  return Object.fromEntries(
    (Object.keys(a) as (keyof typeof a)[]).map((kind) => [
      kind,
      a[kind].filter((entry) => !b[kind].includes(entry)),
    ]),
  );
}

/**
 * Opens `source`'s definitions as a session, exports the session and imports that into `target`
 * (POST /api/definitions/<vhost>, what `rabbitmqctl import_definitions` does).
 */
async function roundTrip(target: string) {
  const exported = await mgmt.definitions(source);
  const created = await app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: { definitions: exported },
  });
  expect(created.statusCode, created.body).toBe(201);
  const session = created.json<CreateSessionResponse>();
  expect(session.nodeErrors ?? []).toEqual([]);
  const warrenExport = await app.inject(`/api/sessions/${session.id}/definitions`);
  expect(warrenExport.statusCode).toBe(200);
  const notExported = JSON.parse(
    decodeURIComponent(String(warrenExport.headers[NOT_EXPORTED_HEADER] ?? '%5B%5D')),
  ) as string[];
  await mgmt.importDefinitions(target, warrenExport.json());
  return {
    session,
    notImported: session.notImported ?? [],
    notExported,
    before: normalize(exported),
    after: normalize(await mgmt.definitions(target)),
    materialized: normalize(await mgmt.definitions(session.vhost)),
  };
}

const nothing = { exchanges: [], queues: [], bindings: [], policies: [] };

describe('broker → Warren → broker', () => {
  it('carries every covered field through a session and back into another vhost', async () => {
    await fillSource();
    const trip = await roundTrip(copy);
    expect(trip.notImported).toEqual([]);
    expect(trip.notExported).toEqual([]);
    // Field by field, the copy is the source; missingFrom names what differs.
    expect(missingFrom(trip.before, trip.after)).toEqual(nothing);
    expect(missingFrom(trip.after, trip.before)).toEqual(nothing);
    // The session's own vhost, materialized by Warren over AMQP, holds the same objects.
    expect(missingFrom(trip.before, trip.materialized)).toEqual(nothing);
    expect(missingFrom(trip.materialized, trip.before)).toEqual(nothing);
  });

  it('names a broker-named queue it cannot carry instead of losing it silently', async () => {
    const generated = await brokerNamedQueue(source);
    const target = `${copy}-2`;
    await mgmt.request('PUT', `/vhosts/${v(target)}`, {
      description: `warren round-trip test, created ${new Date().toISOString()}`,
    });
    try {
      await mgmt.grantAll(target, 'guest');
      const trip = await roundTrip(target);
      const lines = (list: string[]) => list.filter((l) => l.includes(generated));
      expect(missingFrom(trip.before, trip.after)).toEqual({
        ...nothing,
        queues: lines(trip.before.queues),
        bindings: lines(trip.before.bindings),
      });
      expect(missingFrom(trip.after, trip.before)).toEqual(nothing);
      expect([...trip.notImported, ...trip.notExported].join('\n')).toContain(generated);
    } finally {
      await mgmt.deleteVhost(target);
    }
  });
});
