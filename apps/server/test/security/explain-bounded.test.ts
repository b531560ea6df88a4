import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '@warren/topology';
import { brokerReady, buildTestApp } from '../helpers';

/**
 * `POST /api/explain` needs no token, so its cost must not weigh on anyone else: 127 '#' before
 * a last word, against a 128-word key that does not end with it, is the worst a backtracking
 * match meets, and a thousand bindings explained word by word make a reply of megabytes. The
 * explanation is worked out off the event loop, and the server keeps answering others meanwhile.
 */

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = await buildTestApp();
  await brokerReady(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
});

const hashes = `${Array.from({ length: 127 }, () => '#').join('.')}.z`;
const key = Array.from({ length: 128 }, () => 'a').join('.');

/** `bindings` bindings from one topic exchange, each to a queue of its own, with `pattern(i)`. */
function topicFan(bindings: number, pattern: (i: number) => string): Topology {
  return {
    version: 1,
    exchanges: [
      { id: 'x', name: 't', type: 'topic', durable: true, autoDelete: false, internal: false },
    ],
    queues: Array.from({ length: bindings }, (_, i) => ({
      id: `q${i}`,
      name: `q${i}`,
      durable: true,
      exclusive: false,
      autoDelete: false,
    })),
    bindings: Array.from({ length: bindings }, (_, i) => ({
      id: `b${i}`,
      source: 't',
      destination: `q${i}`,
      destinationType: 'queue' as const,
      routingKey: pattern(i),
    })),
    producers: [],
  };
}

const hostile = (bindings: number) => topicFan(bindings, () => hashes);
/** Patterns that match the key in different ways: every binding is explained word by word. */
const varied = (bindings: number) =>
  topicFan(bindings, (i) => ['#', 'a.#', '*.#.a', `#.x${i}`, 'a.*.#'][i % 5] as string);

/** A request body, made before any measuring: the test shares the server's event loop. */
const request = (topology: Topology) =>
  JSON.stringify({ topology, message: { exchange: 't', routingKey: key } });

async function explain(body: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${base}/api/explain`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

/**
 * Runs `work` while asking /api/health every 10 ms; the slowest health answer meanwhile. The
 * first probe is answered before the work starts, so the work is in flight throughout.
 */
async function healthDuring<T>(
  work: () => Promise<T>,
): Promise<{ result: T; worstMs: number; probes: number }> {
  const health: number[] = [];
  let working = true;
  const probe = (async () => {
    while (working) {
      const started = performance.now();
      await (await fetch(`${base}/api/health`)).text();
      health.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const result = await work();
  working = false;
  await probe;
  return { result, worstMs: Math.max(...health), probes: health.length };
}

/**
 * The target is 100 ms (measured on a quiet machine: 12–35 ms); the assertion leaves room for a
 * shared, loaded CI machine, and still fails on the stalls of seconds these requests caused
 * when they ran on the event loop. The worst latencies are printed.
 */
const STALL_LIMIT_MS = 400;

describe('explaining against a large or hostile diagram', () => {
  it('answers, and /api/health stays responsive meanwhile', async () => {
    expect(Buffer.byteLength(hashes)).toBe(255);
    expect(Buffer.byteLength(key)).toBe(255);
    // Warm up: the explaining thread loads, and both sides of the loop are compiled.
    const sixteenHostile = request(hostile(16));
    const thousandHostileBody = request(hostile(1000));
    const thousandVariedBody = request(varied(1000));
    expect((await explain(sixteenHostile)).status).toBe(200);
    expect((await explain(request(varied(50)))).status).toBe(200);

    const sixteen = await healthDuring(async () => {
      const rounds: { status: number; ms: number }[] = [];
      for (let i = 0; i < 10; i++) rounds.push(await explain(sixteenHostile));
      return rounds;
    });
    const thousand = await healthDuring(() => explain(thousandHostileBody));
    const variedRun = await healthDuring(() => explain(thousandVariedBody));
    // Several at once: they wait for the explaining thread, not the event loop.
    const together = await healthDuring(() =>
      Promise.all([
        explain(thousandVariedBody),
        explain(thousandHostileBody),
        explain(thousandVariedBody),
      ]),
    );
    const ms = (n: number) => `${Math.round(n)} ms`;
    console.log(
      `explain: 16 hostile bindings ${ms(Math.max(...sixteen.result.map((r) => r.ms)))} (/api/health worst ${ms(sixteen.worstMs)} over ${sixteen.probes} probes); ` +
        `1,000 hostile ${ms(thousand.result.ms)} (health worst ${ms(thousand.worstMs)}, ${thousand.probes} probes); ` +
        `1,000 varied ${ms(variedRun.result.ms)} (health worst ${ms(variedRun.worstMs)}, ${variedRun.probes} probes); ` +
        `3 at once ${ms(Math.max(...together.result.map((r) => r.ms)))} (health worst ${ms(together.worstMs)})`,
    );
    expect(sixteen.result.every((r) => r.status === 200)).toBe(true);
    expect(thousand.result.status).toBe(200);
    expect(variedRun.result.status).toBe(200);
    expect(together.result.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(thousand.probes).toBeGreaterThan(0);
    expect(variedRun.probes).toBeGreaterThan(0);
    for (const run of [sixteen, thousand, variedRun])
      expect(run.worstMs).toBeLessThan(STALL_LIMIT_MS);
    // Three at once wait for the one thread; the event loop only also reads their three replies
    // of megabytes here, in the test's own client, which shares it: reported, bounded loosely.
    expect(together.worstMs).toBeLessThan(2 * STALL_LIMIT_MS);
  }, 120_000);
});

describe('reading a definitions file of 2,000 queues', () => {
  it('answers, and /api/health stays responsive meanwhile', async () => {
    const queues = 2000;
    const definitions = {
      exchanges: Array.from({ length: 20 }, (_, i) => ({
        name: `x${i}`,
        vhost: '/',
        type: 'topic',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: {},
      })),
      queues: Array.from({ length: queues }, (_, i) => ({
        name: `q${i}`,
        vhost: '/',
        durable: true,
        auto_delete: false,
        arguments: {},
      })),
      bindings: Array.from({ length: queues }, (_, i) => ({
        source: `x${i % 20}`,
        vhost: '/',
        destination: `q${i}`,
        destination_type: 'queue',
        routing_key: `k.${i}.#`,
        arguments: {},
      })),
    };
    const body = JSON.stringify({ definitions });
    const read = async () => {
      const started = performance.now();
      const response = await fetch(`${base}/api/definitions/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const reply = (await response.json()) as { topology?: Topology };
      return {
        status: response.status,
        queues: reply.topology?.queues.length,
        ms: performance.now() - started,
      };
    };
    expect((await read()).status).toBe(200); // warm up
    const run = await healthDuring(read);
    console.log(
      `definitions import of ${queues} queues: ${Math.round(run.result.ms)} ms (/api/health worst ${Math.round(run.worstMs)} ms over ${run.probes} probes)`,
    );
    expect(run.result).toMatchObject({ status: 200, queues });
    expect(run.worstMs).toBeLessThan(STALL_LIMIT_MS);
  }, 60_000);
});
