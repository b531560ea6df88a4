import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { parseClientFrame, type ErrorBody, type ServerFrame } from '@warren/protocol';
import { definitionsToTopology, parseTopology } from '@warren/topology';
import { topologyArbitrary } from '@warren/topology/testing';
import { appPerFile, createSession, topicTopology, until } from '../helpers';

/**
 * Property-based tests of everything that reads untrusted input: any document, definitions
 * file, explain request or websocket frame gives a result or a clear 4xx, never a crash or a
 * 500. 10,000 cases each, kept small so the whole file runs in seconds.
 */

const RUNS = 10_000;

let app: FastifyInstance;
appPerFile((a) => (app = a));

/** A small JSON value: what a hostile or broken client may put anywhere. */
const anyNoise: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e300, '', '€'.repeat(100), '..', '#', 'amq.x'),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);
/** As it arrives over HTTP: what JSON.parse makes of it (plain objects, no -0, no undefined). */
const noise = anyNoise.map((v) => JSON.parse(JSON.stringify(v) ?? 'null') as unknown);

type Json = Record<string, unknown> | unknown[];

/** Sets `value` somewhere inside `doc`, found by walking down with `steps` (a copy is changed). */
function mutate(doc: unknown, steps: number[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(doc) as Json;
  let at: Json = copy;
  for (const [i, step] of steps.entries()) {
    const keys = Array.isArray(at) ? at.map((_, k) => k) : Object.keys(at);
    if (keys.length === 0) break;
    const key = keys[step % keys.length]!;
    const child = (at as Record<string | number, unknown>)[key];
    const last = i === steps.length - 1 || typeof child !== 'object' || child === null;
    if (last) {
      if (remove && !Array.isArray(at)) delete at[key as string];
      else (at as Record<string | number, unknown>)[key] = value;
      break;
    }
    at = child as Json;
  }
  return copy;
}

/** Valid topologies with a few random changes anywhere, and plain noise. */
const documents: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        topologyArbitrary(),
        fc.array(
          fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), noise, fc.boolean()),
          { minLength: 1, maxLength: 3 },
        ),
      )
      .map(([topology, changes]) =>
        changes.reduce<unknown>(
          (doc, [steps, value, remove]) => mutate(doc, steps, value, remove),
          topology,
        ),
      ),
  },
  { weight: 1, arbitrary: noise },
);

/** A definitions file: the lists RabbitMQ exports, with items of every shape. */
const definitions: fc.Arbitrary<unknown> = fc
  .tuple(
    topologyArbitrary(),
    fc.array(fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), noise, fc.boolean()), {
      maxLength: 3,
    }),
  )
  .map(([topology, changes]) => {
    const file = {
      exchanges: topology.exchanges.map((x) => ({
        name: x.name,
        vhost: '/',
        type: x.type,
        durable: x.durable,
        auto_delete: x.autoDelete,
        internal: x.internal,
        arguments: x.arguments ?? {},
      })),
      queues: topology.queues.map((q) => ({
        name: q.name,
        vhost: '/',
        durable: q.durable,
        auto_delete: q.autoDelete,
        arguments: q.arguments ?? {},
      })),
      bindings: topology.bindings.map((b) => ({
        source: b.source,
        vhost: '/',
        destination: b.destination,
        destination_type: b.destinationType,
        routing_key: b.routingKey,
        arguments: b.arguments ?? {},
      })),
      policies: [
        {
          name: 'p',
          vhost: '/',
          pattern: '.*',
          'apply-to': 'queues',
          definition: { 'max-length': 3 },
          priority: 0,
        },
      ],
    };
    return changes.reduce<unknown>(
      (doc, [steps, value, remove]) => mutate(doc, steps, value, remove),
      file,
    );
  });

describe('fuzzing what clients send', () => {
  it('the topology validator gives a topology or located issues for any document', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const result = parseTopology(doc);
        if (!result.ok) {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) {
            expect(typeof issue.path).toBe('string');
            expect(issue.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the definitions importer reads or refuses any file, and what it reads validates', () => {
    fc.assert(
      fc.property(definitions, (file) => {
        const imported = definitionsToTopology(file as never, { layout: false });
        if (imported.ok) parseTopology(imported.topology);
        else expect(imported.message.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('the explain endpoint answers 200 or a clear 4xx to any request', async () => {
    const request = fc.record(
      {
        topology: documents,
        message: fc.oneof(
          fc.record({
            exchange: fc.constantFrom('', 'x1', 'x2', 'amq.topic', 'missing'),
            routingKey: fc.constantFrom('', 'a', 'a.b', 'a.b.c', '#'),
          }),
          noise,
        ),
      },
      { requiredKeys: ['message'] },
    );
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(request, async (body) => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/explain',
          payload: body as object,
        });
        answered += 1;
        expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500);
        if (response.statusCode >= 400) {
          const error = response.json<ErrorBody>().error;
          expect(error.code.length).toBeGreaterThan(0);
          expect(error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
    expect(answered).toBe(RUNS);
  }, 300_000);

  it('websocket frames: any text is a known frame or a clear error', () => {
    const frames = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record({ type: fc.constantFrom('ping', 'pong', 'subscribe', ''), id: noise })
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(frames, (raw) => {
        const frame = parseClientFrame(raw);
        if ('error' in frame) expect(frame.error.length).toBeGreaterThan(0);
        else expect(frame.type).toBe('ping');
      }),
      { numRuns: RUNS },
    );
  });

  it('a live websocket answers every kind of frame and stays open', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const received: ServerFrame[] = [];
    const socket: WebSocket = await app.injectWS(
      `/api/sessions/${session.id}/events`,
      {},
      {
        onInit: (ws) =>
          ws.on('message', (data: Buffer) =>
            received.push(JSON.parse(data.toString()) as ServerFrame),
          ),
      },
    );
    const sample = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      ),
      { numRuns: 500, seed: 42 },
    );
    for (const raw of sample) socket.send(raw);
    socket.send(JSON.stringify({ type: 'ping', id: 'last' }));
    await until(
      () => received.some((f) => f.type === 'pong' && f.id === 'last'),
      10_000,
      'the pong after the fuzzed frames',
    );
    expect(received.filter((f) => f.type === 'error').length).toBeGreaterThanOrEqual(
      sample.length - 50,
    );
    expect(socket.readyState).toBe(socket.OPEN);
    socket.terminate();
  }, 60_000);
});
