import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '@warren/topology';
import { brokerReady, buildTestApp } from '../helpers';

/**
 * `POST /api/explain` needs no token, so its cost must not depend on how cleverly a pattern is
 * written: 127 '#' before a last word, against a 128-word key that does not end with it, is the
 * worst a backtracking match meets. The explanation answers quickly and the server keeps
 * answering others meanwhile.
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

function hostile(bindings: number): Topology {
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
      routingKey: hashes,
    })),
    producers: [],
  };
}

async function explain(bindings: number): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${base}/api/explain`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      topology: hostile(bindings),
      message: { exchange: 't', routingKey: key },
    }),
  });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

describe('explaining a hostile topic pattern', () => {
  it('answers fast, and /api/health stays under 100 ms meanwhile', async () => {
    expect(Buffer.byteLength(hashes)).toBe(255);
    expect(Buffer.byteLength(key)).toBe(255);
    await explain(1); // warm up
    const health: number[] = [];
    let explaining = true;
    const probe = (async () => {
      while (explaining) {
        const started = performance.now();
        await (await fetch(`${base}/api/health`)).text();
        health.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const rounds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sixteenAgain = await explain(16);
      expect(sixteenAgain.status).toBe(200);
      rounds.push(sixteenAgain.ms);
    }
    const sixteen = { status: 200, ms: Math.max(...rounds) };
    explaining = false;
    await probe;
    const worst = Math.max(...health);
    // A thousand such bindings: linear work now (it took about a minute before).
    const thousand = await explain(1000);
    console.log(
      `explain: 16 bindings ${Math.round(sixteen.ms)} ms, 1,000 bindings ${Math.round(thousand.ms)} ms; /api/health worst ${Math.round(worst)} ms over ${health.length} probes`,
    );
    expect(sixteen.status).toBe(200);
    expect(thousand.status).toBe(200);
    expect(thousand.ms).toBeLessThan(5000);
    expect(sixteen.ms).toBeLessThan(200);
    expect(worst).toBeLessThan(100);
  }, 60_000);
});
