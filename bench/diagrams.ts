/**
 * How fast are diagrams saved and loaded? For each store (SQLite in a fresh folder, PostgreSQL
 * in a fresh database of the server at BENCH_POSTGRES_URL), a Warren server listening on a port
 * is sent BENCH_DIAGRAMS (default 1,000) diagrams over HTTP one after another: created, saved
 * again as a second revision, then loaded. Prints the latency of each (p50, p95, max, in ms) as
 * JSON, and PostgreSQL's p50 over SQLite's.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { CreateDiagramResponse } from '@warren/protocol';
import { buildApp } from '@warren/server/app';
import { loadConfig } from '@warren/server/config';
import type { Topology } from '@warren/topology';

const COUNT = Number(process.env.BENCH_DIAGRAMS ?? 1000);
const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Latency {
  p50: number;
  p95: number;
  max: number;
}

function summarize(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const round = (v: number) => Math.round(v * 100) / 100;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1) ?? 0) };
}

/** A diagram of a realistic size: a few exchanges, a dozen queues and their bindings. */
function diagram(n: number): Topology {
  const queues = Array.from({ length: 12 }, (_, i) => ({
    id: `q${i}`,
    name: `diagram-${n}-queue-${i}`,
    durable: true,
    exclusive: false,
    autoDelete: false,
    position: { x: 600, y: i * 140 },
  }));
  return {
    version: 1,
    name: `bench ${n}`,
    exchanges: [
      {
        id: 'x',
        name: 'orders',
        type: 'topic',
        durable: true,
        autoDelete: false,
        internal: false,
        position: { x: 300, y: 200 },
      },
    ],
    queues,
    bindings: queues.map((q, i) => ({
      id: `b${i}`,
      source: 'orders',
      destination: q.name,
      destinationType: 'queue' as const,
      routingKey: `order.${i}.#`,
    })),
    producers: [],
  };
}

async function timed(run: () => Promise<Response>, expected: number): Promise<[number, Response]> {
  const started = performance.now();
  const reply = await run();
  const elapsed = performance.now() - started;
  if (reply.status !== expected) throw new Error(`${reply.status}: ${await reply.text()}`);
  return [elapsed, reply];
}

async function measure(env: Record<string, string>) {
  const config = loadConfig({ ...process.env, ...env, PORT: '0', LOG_LEVEL: 'warn' });
  const app = await buildApp(config, { logger: { level: 'warn' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const json = { 'content-type': 'application/json' };
  const created: number[] = [];
  const saved: number[] = [];
  const loaded: number[] = [];
  const made: CreateDiagramResponse[] = [];
  try {
    for (let n = 0; n < COUNT; n += 1) {
      const body = JSON.stringify({ name: `bench ${n}`, document: diagram(n) });
      const [ms, reply] = await timed(
        () => fetch(`${base}/api/diagrams`, { method: 'POST', headers: json, body }),
        201,
      );
      created.push(ms);
      made.push((await reply.json()) as CreateDiagramResponse);
    }
    for (const [n, d] of made.entries()) {
      const body = JSON.stringify({ document: diagram(n + COUNT), baseRevision: 1 });
      const headers = { ...json, authorization: `Bearer ${d.editToken}` };
      const [ms, reply] = await timed(
        () => fetch(`${base}/api/diagrams/${d.id}`, { method: 'PUT', headers, body }),
        200,
      );
      await reply.arrayBuffer();
      saved.push(ms);
    }
    for (const d of made) {
      const [ms, reply] = await timed(() => fetch(`${base}/api/diagrams/${d.id}`), 200);
      await reply.arrayBuffer();
      loaded.push(ms);
    }
  } finally {
    await app.close();
  }
  return { create: summarize(created), save: summarize(saved), load: summarize(loaded) };
}

async function postgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `warren_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const folder = mkdtempSync(join(tmpdir(), 'warren-bench-store-'));
const database = await postgresDatabase();
try {
  const sqlite = await measure({ WARREN_DATA_DIR: folder });
  const postgres = await measure({ DATABASE_URL: database.url });
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  console.log(
    JSON.stringify(
      {
        bench: 'diagrams',
        diagrams: COUNT,
        latencyMs: { sqlite, postgres },
        postgresOverSqliteP50: {
          create: ratio(postgres.create.p50, sqlite.create.p50),
          save: ratio(postgres.save.p50, sqlite.save.p50),
          load: ratio(postgres.load.p50, sqlite.load.p50),
        },
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
  await database.drop();
}
process.exit(0);
