import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { CreateSessionResponse, ErrorBody } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { appPerFile, auth, createSession, topicTopology } from '../helpers';

let app: FastifyInstance;
appPerFile((a) => (app = a));

/** 100 characters, 300 bytes in UTF-8: short enough by characters, too long for AMQP. */
const euros = '€'.repeat(100);
const bigText = 'x'.repeat(70_000);

/** Stands for a table nested 6,000 deep, spliced into the request's text (JSON.stringify
 * itself runs out of stack on it). */
const NESTED = '__nested__';
const nestedText = `${'{"deeper":'.repeat(6000)}{"leaf":1}${'}'.repeat(6000)}`;

async function apply(session: CreateSessionResponse, topology: Topology) {
  return app.inject({
    method: 'PUT',
    url: `/api/sessions/${session.id}/topology`,
    headers: { ...auth(session), 'content-type': 'application/json' },
    payload: JSON.stringify(topology).replace(`"${NESTED}"`, nestedText),
  });
}

/** After a refusal the session still works: apply, publish, purge and a fault all answer. */
async function stillWorks(session: CreateSessionResponse): Promise<void> {
  const applied = await apply(session, topicTopology());
  expect(applied.statusCode, applied.body).toBe(200);
  const published = await app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/publish`,
    headers: auth(session),
    payload: { exchange: 'demo.topic', routingKey: 'order.created', payload: 'ok' },
  });
  expect(published.statusCode, published.body).toBe(200);
  const purged = await app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/queues/orders/purge`,
    headers: auth(session),
  });
  expect(purged.statusCode, purged.body).toBe(200);
  const deleted = await app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/faults/delete`,
    headers: auth(session),
    payload: { kind: 'queue', name: 'critical' },
  });
  expect(deleted.statusCode, deleted.body).toBe(200);
}

function expect400(response: { statusCode: number; body: string }, path: string): void {
  expect(response.statusCode, response.body).toBe(400);
  const body = JSON.parse(response.body) as ErrorBody;
  const paths = [body.error.path, ...(body.error.details ?? []).map((d) => d.path)];
  expect(
    paths.some((p) => p?.startsWith(path)),
    `${path} in ${response.body.slice(0, 500)}`,
  ).toBe(true);
}

describe('names, keys and tables the broker would refuse', () => {
  const cases: [string, (t: Topology) => void, string][] = [
    [
      'a queue name over 255 bytes',
      (t) => {
        t.queues[0]!.name = euros;
        t.bindings[0]!.destination = euros;
      },
      '/queues/0/name',
    ],
    [
      'an exchange name over 255 bytes',
      (t) => {
        t.exchanges[0]!.name = euros;
        for (const b of t.bindings) b.source = euros;
        t.producers[0]!.exchange = euros;
      },
      '/exchanges/0/name',
    ],
    [
      'a routing key over 255 bytes',
      (t) => (t.bindings[0]!.routingKey = euros),
      '/bindings/0/routingKey',
    ],
    [
      'an argument key over 255 bytes',
      (t) => (t.queues[0]!.arguments = { [euros]: 1 }),
      `/queues/0/arguments/${euros}`,
    ],
    [
      'an argument table over 64 KB',
      (t) => (t.exchanges[0]!.arguments = { note: bigText }),
      '/exchanges/0/arguments',
    ],
    [
      'binding arguments nested 6,000 deep',
      (t) => (t.bindings[0]!.arguments = { x: NESTED }),
      '/bindings/0/arguments/x/deeper',
    ],
    [
      'a producer header key over 255 bytes',
      (t) => (t.producers[0]!.headers = { [euros]: 'v' }),
      `/producers/0/headers/${euros}`,
    ],
  ];
  for (const [what, spoil, path] of cases) {
    it(`refuses ${what} with a 400, and the session keeps working`, async () => {
      const session = await createSession(app, { topology: topicTopology() });
      const topology = topicTopology();
      spoil(topology);
      expect400(await apply(session, topology), path);
      await stillWorks(session);
    }, 30_000);
  }

  it('refuses a policy named .. with a 400', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const topology: Topology = {
      ...topicTopology(),
      policies: [
        {
          id: 'p',
          name: '..',
          pattern: '^orders$',
          applyTo: 'queues',
          priority: 0,
          definition: { 'max-length': 5 },
        },
      ],
    };
    expect400(await apply(session, topology), '/policies/0/name');
    await stillWorks(session);
  }, 30_000);
});

describe('publishing what the broker would refuse', () => {
  const cases: [string, object, string][] = [
    ['a routing key over 255 bytes', { routingKey: euros }, '/routingKey'],
    ['an exchange name over 255 bytes', { exchange: euros }, '/exchange'],
    ['a header key over 255 bytes', { headers: { [euros]: 'v' } }, `/headers/${euros}`],
    ['headers over 64 KB', { headers: { big: bigText } }, '/headers'],
  ];
  for (const [what, change, path] of cases) {
    it(`refuses ${what} with a 400, and the session keeps working`, async () => {
      const session = await createSession(app, { topology: topicTopology() });
      const response = await app.inject({
        method: 'POST',
        url: `/api/sessions/${session.id}/publish`,
        headers: auth(session),
        payload: { exchange: 'demo.topic', routingKey: 'order.x', payload: 'p', ...change },
      });
      expect400(response, path);
      await stillWorks(session);
    }, 30_000);
  }
});

/**
 * A bound that catches work growing out of hand with the chain (a walk per exchange per
 * exchange), not a speed figure: those are in bench/. A busy 2-core machine took up to 2.2 s.
 */
const RUNAWAY_MS = 10_000;

describe('a long exchange-to-exchange chain in an import', () => {
  it('is refused with a clear 400 or imported, never a 500', async () => {
    const n = 2000;
    const exchanges = Array.from({ length: n }, (_, i) => ({
      name: `chain.${i}`,
      vhost: '/',
      type: 'fanout',
      durable: true,
      auto_delete: false,
      internal: false,
      arguments: {},
    }));
    const bindings = Array.from({ length: n - 1 }, (_, i) => ({
      source: `chain.${i}`,
      vhost: '/',
      destination: `chain.${i + 1}`,
      destination_type: 'exchange',
      routing_key: '',
      arguments: {},
    }));
    const definitions = { exchanges, queues: [], bindings };
    let started = Date.now();
    const imported = await app.inject({
      method: 'POST',
      url: '/api/definitions/import',
      payload: { definitions },
    });
    expect([200, 400], imported.body.slice(0, 300)).toContain(imported.statusCode);
    expect(Date.now() - started, 'import time').toBeLessThan(RUNAWAY_MS);
    started = Date.now();
    const explained = await app.inject({
      method: 'POST',
      url: '/api/explain',
      payload: {
        topology:
          imported.statusCode === 200
            ? (imported.json<{ topology: Topology }>().topology as object)
            : topicTopology(),
        message: { exchange: 'chain.0', routingKey: 'x' },
      },
    });
    expect([200, 400], explained.body.slice(0, 300)).toContain(explained.statusCode);
    expect(Date.now() - started, 'explain time').toBeLessThan(RUNAWAY_MS);
    const created = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { definitions },
    });
    expect([201, 400], created.body.slice(0, 300)).toContain(created.statusCode);
    if (created.statusCode === 201) {
      const session = created.json<CreateSessionResponse>();
      await app.inject({
        method: 'DELETE',
        url: `/api/sessions/${session.id}`,
        headers: auth(session),
      });
    }
  }, 120_000);
});
