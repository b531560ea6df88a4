/**
 * How smooth is the canvas? Headless Chromium opens a session of 100 nodes and 150 edges
 * (10 topic exchanges, 60 queues, 10 producers, 20 consumers) served by a Warren server on the
 * real broker, and records every animation frame for BENCH_SECONDS (default 10) three times: idle,
 * with the producers sending 500 msg/s in all, and the same with the other core kept busy by a
 * spinning process. Prints, as JSON, the median frames per second, the share of frames over
 * 50 ms, long tasks, and what the first load of the page transferred (compressed kB).
 * Needs the web app built (`pnpm build`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import type { CreateSessionResponse } from '@warren/protocol';
import { buildApp } from '@warren/server/app';
import { loadConfig } from '@warren/server/config';
import type { Topology } from '@warren/topology';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE_PER_PRODUCER = 50;
const EXCHANGES = 10;
const QUEUES = 60;
const PRODUCERS = 10;
const CONSUMERS = 20;

/** 100 nodes; 120 bindings, 10 producer and 20 consumer edges: 150 edges. */
function bigTopology(): Topology {
  const exchanges = Array.from({ length: EXCHANGES }, (_, i) => ({
    id: `x${i}`,
    name: `bench.x${i}`,
    type: 'topic' as const,
    durable: false,
    autoDelete: false,
    internal: false,
  }));
  const queues = Array.from({ length: QUEUES }, (_, i) => ({
    id: `q${i}`,
    name: `bench.q${i}`,
    durable: false,
    exclusive: false,
    autoDelete: false,
    arguments: { 'x-max-length': 1000 },
  }));
  const bindings = queues.flatMap((q, i) =>
    [
      { source: `bench.x${i % EXCHANGES}`, key: `k.${i % 6}` },
      { source: `bench.x${(i + 5) % EXCHANGES}`, key: `k.${(i + 1) % 6}` },
    ].map((b, j) => ({
      id: `b${i}-${j}`,
      source: b.source,
      destination: q.name,
      destinationType: 'queue' as const,
      routingKey: b.key,
    })),
  );
  const producers = Array.from({ length: PRODUCERS }, (_, i) => ({
    id: `p${i}`,
    name: `sensor ${i}`,
    exchange: `bench.x${i}`,
    routingKey: `k.${i % 6}`,
    payload: '{"n": {{n}}}',
    mandatory: false,
    ratePerSecond: RATE_PER_PRODUCER,
  }));
  const consumers = Array.from({ length: CONSUMERS }, (_, i) => ({
    id: `c${i}`,
    name: `worker ${i}`,
    queue: `bench.q${i * 3}`,
    prefetch: 50,
    autoAck: true,
  }));
  return { version: 1, exchanges, queues, bindings, producers, consumers };
}

interface Frames {
  /** Frames drawn per second over the whole phase (long frames count for their length). */
  fps: number;
  /** 1000 / the median frame time: what a typical frame ran at. */
  medianFps: number;
  framesOver50ms: number;
  frames: number;
  longTasks: number;
  longTaskMs: number;
}

/** Records every animation frame (and long task) of the page for `seconds`. */
async function frames(page: Page, seconds: number): Promise<Frames> {
  // Sent as text: tsx's transform adds helpers to functions that the page does not have.
  const { deltas, longTasks } = await page.evaluate<{ deltas: number[]; longTasks: number[] }>(`
    new Promise((resolve) => {
      const deltas = [];
      const longTasks = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      });
      observer.observe({ entryTypes: ['longtask'] });
      let last = performance.now();
      const end = last + ${seconds * 1000};
      requestAnimationFrame(function tick(now) {
        deltas.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick);
        else {
          observer.disconnect();
          resolve({ deltas, longTasks });
        }
      });
    })`);
  const sorted = [...deltas].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
  return {
    fps: round(deltas.length / seconds),
    medianFps: round(median > 0 ? 1000 / median : 0),
    framesOver50ms: round(deltas.filter((d) => d > 50).length / Math.max(1, deltas.length), 3),
    frames: deltas.length,
    longTasks: longTasks.length,
    longTaskMs: Math.round(longTasks.reduce((a, b) => a + b, 0)),
  };
}

/** A process that keeps one core busy, as a video call on a classroom laptop would. */
function spin(): ChildProcess {
  return fork('-e', ['for (;;) {}'], { execArgv: [] });
}

const config = loadConfig({
  ...process.env,
  PORT: '0',
  LOG_LEVEL: 'warn',
  WARREN_VHOST_PREFIX: 'warren-bench-',
});
if (!existsSync(`${config.webDist}/index.html`))
  throw new Error('Build the web app first: pnpm build');
const app = await buildApp(config, { logger: { level: 'warn', stream: process.stderr } });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const created = await app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: { topology: bigTopology() },
  });
  if (created.statusCode !== 201) throw new Error(`session: ${created.body}`);
  const session = created.json<CreateSessionResponse>();
  const auth = { authorization: `Bearer ${session.editToken}` };

  const page = await (
    await browser.newContext({ viewport: { width: 1440, height: 900 } })
  ).newPage();
  const started = Date.now();
  await page.goto(`${base}/?session=${session.id}`);
  await page.locator('.react-flow__node').first().waitFor();
  const canvasMs = Date.now() - started;
  const transfer = await page.evaluate<{ totalKB: number; scriptKB: number; styleKB: number }>(`
    (() => {
      const entries = [
        ...performance.getEntriesByType('navigation'),
        ...performance.getEntriesByType('resource'),
      ];
      const kB = (list) => Math.round(list.reduce((n, e) => n + e.transferSize, 0) / 102.4) / 10;
      return {
        totalKB: kB(entries),
        scriptKB: kB(entries.filter((e) => e.name.endsWith('.js'))),
        styleKB: kB(entries.filter((e) => e.name.endsWith('.css'))),
      };
    })()`);
  const nodes = await page.locator('.react-flow__node').count();
  const edges = await page.locator('.react-flow__edge').count();

  const idle = await frames(page, SECONDS);
  for (let i = 0; i < PRODUCERS; i += 1)
    await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/producers/p${i}/start`,
      headers: auth,
    });
  await new Promise((r) => setTimeout(r, 2000));
  const load = await frames(page, SECONDS);
  const spinner = spin();
  let busy: Frames;
  try {
    busy = await frames(page, SECONDS);
  } finally {
    spinner.kill();
  }
  const counters = (await app.inject({ url: `/api/sessions/${session.id}/counters` })).json<{
    exchanges: Record<string, { published: number }>;
  }>();
  const published = Object.values(counters.exchanges).reduce((n, x) => n + x.published, 0);
  console.log(
    JSON.stringify(
      {
        bench: 'canvas',
        drawn: { nodes, edges },
        secondsPerPhase: SECONDS,
        ratePerSecond: RATE_PER_PRODUCER * PRODUCERS,
        publishedDuringRun: published,
        firstLoad: { ...transfer, canvasVisibleMs: canvasMs },
        idle,
        load,
        loadWithOtherCoreBusy: busy,
      },
      null,
      2,
    ),
  );
  await app.inject({ method: 'DELETE', url: `/api/sessions/${session.id}`, headers: auth });
} finally {
  await browser.close();
  await app.close();
}
process.exit(0);
