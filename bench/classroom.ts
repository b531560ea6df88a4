/**
 * Can a class follow a busy session live? One teacher session with a producer node at 200 msg/s
 * into a topic exchange with two queues and two consumers; 50 follower websockets on its
 * classroom for BENCH_SECONDS (default 60). For each follower: events missing (gaps in seq the
 * server did not account for as dropped or replaced), duplicates, and lag (receipt time minus the
 * event's `at`). The servers are real processes (their CPU and memory read from /proc) sharing the
 * broker and one store; the run is done twice: every follower on the session's server, then the
 * followers split across two servers. Prints JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { CreateClassroomResponse, CreateSessionResponse, ServerFrame } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { latencySummary, type LatencySummary } from './lib/observation-stats';
import { startWarren, type WarrenProcess } from './lib/warren-process';

const number = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const SECONDS = number('BENCH_SECONDS', 60);
const FOLLOWERS = number('BENCH_FOLLOWERS', 50);
const RATE = number('BENCH_RATE', 200);
const PORTS = [number('BENCH_PORT_A', 5304), number('BENCH_PORT_B', 5305)];
/** Lag p95 a follower must stay under, and nothing missing, for a run to meet the target. */
const TARGET_P95_MS = 100;

function topology(): Topology {
  const queue = (name: string) => ({
    id: name,
    name,
    durable: false,
    exclusive: false,
    autoDelete: false,
  });
  return {
    version: 1,
    exchanges: [
      {
        id: 'x',
        name: 'class.topic',
        type: 'topic',
        durable: false,
        autoDelete: false,
        internal: false,
      },
    ],
    queues: [queue('class.orders'), queue('class.all')],
    bindings: [
      {
        id: 'b1',
        source: 'class.topic',
        destination: 'class.orders',
        destinationType: 'queue',
        routingKey: 'order.*',
      },
      {
        id: 'b2',
        source: 'class.topic',
        destination: 'class.all',
        destinationType: 'queue',
        routingKey: '#',
      },
    ],
    producers: [
      {
        id: 'p1',
        name: 'shop',
        exchange: 'class.topic',
        routingKey: 'order.created',
        payload: 'order {{n}}',
        mandatory: false,
        ratePerSecond: RATE,
      },
    ],
    consumers: [
      { id: 'c1', name: 'billing', queue: 'class.orders', prefetch: 50, autoAck: false },
      { id: 'c2', name: 'audit', queue: 'class.all', prefetch: 50, autoAck: false },
    ],
  };
}

async function call<T>(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** One follower's websocket and what it saw. */
class Follower {
  socket: WebSocket;
  helloSeq: number | undefined;
  lastSeq = 0;
  events = 0;
  gaps = 0;
  dropped = 0;
  replaced = 0;
  duplicates = 0;
  classroomFrames = 0;
  lags: number[] = [];
  measuring = false;
  ready: Promise<void>;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.on('message', (data: Buffer) => {
        const now = Date.now();
        const frame = JSON.parse(data.toString()) as ServerFrame;
        if (frame.type === 'hello') {
          this.helloSeq = frame.seq;
          this.lastSeq = frame.seq;
          resolve();
        } else if (frame.type === 'events') {
          this.dropped += frame.dropped;
          this.replaced += frame.replaced ?? 0;
          for (const event of frame.events) {
            if (event.seq <= this.lastSeq) this.duplicates += 1;
            else {
              this.gaps += event.seq - this.lastSeq - 1;
              this.lastSeq = event.seq;
            }
            this.events += 1;
            if (this.measuring) this.lags.push(now - event.at);
          }
        } else if (frame.type === 'classroom') this.classroomFrames += 1;
        else if (frame.type === 'error') reject(new Error(frame.message));
      });
    });
  }

  /** Gaps in seq the server did not say it left out. */
  get missing(): number {
    return Math.max(0, this.gaps - this.dropped - this.replaced);
  }

  close(): void {
    this.socket.close();
  }
}

interface RunResult {
  followers: Record<string, number>;
  seconds: number;
  eventsPerFollower: { min: number; max: number };
  missingTotal: number;
  missingMaxPerFollower: number;
  duplicatesTotal: number;
  droppedReportedTotal: number;
  replacedReportedTotal: number;
  lagMs: LatencySummary;
  perFollowerLagP50Ms: { median: number; max: number };
  perFollowerLagP95Ms: { median: number; max: number };
  serverCpuPercent: Record<string, number>;
  serverRssMb: Record<string, { start: number; max: number }>;
  followersCounted: number;
  meetsTarget: boolean;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function run(
  servers: WarrenProcess[],
  placement: WarrenProcess[],
  code: string,
  session: CreateSessionResponse,
  home: WarrenProcess,
): Promise<RunResult> {
  const followers = placement.map(
    (server) => new Follower(`${server.url.replace(/^http/, 'ws')}/api/classrooms/${code}/events`),
  );
  await Promise.all(followers.map((f) => f.ready));
  // Every follower counted, on whichever server it is connected to.
  let counted = { followers: 0 };
  for (let tries = 0; counted.followers !== followers.length && tries < 50; tries += 1) {
    await new Promise((r) => setTimeout(r, 100));
    counted = await call<{ followers: number }>(home.url, 'GET', `/api/classrooms/${code}`);
  }
  await call(home.url, 'POST', `/api/sessions/${session.id}/producers/p1/start`, session.editToken);
  // A second to reach the rate, then measure.
  await new Promise((r) => setTimeout(r, 1000));
  const cpuStart = servers.map((s) => s.cpuSeconds());
  const rss = servers.map((s) => ({ start: s.rssMb(), max: s.rssMb() }));
  const startedAt = Date.now();
  for (const f of followers) f.measuring = true;
  const sampler = setInterval(() => {
    servers.forEach((s, i) => {
      const entry = rss[i];
      if (entry) entry.max = Math.max(entry.max, s.rssMb());
    });
  }, 1000);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const elapsed = (Date.now() - startedAt) / 1000;
  for (const f of followers) f.measuring = false;
  const cpu = servers.map((s, i) => ((s.cpuSeconds() - (cpuStart[i] ?? 0)) / elapsed) * 100);
  clearInterval(sampler);
  await call(home.url, 'POST', `/api/sessions/${session.id}/producers/p1/stop`, session.editToken);
  // Let the last events arrive.
  await new Promise((r) => setTimeout(r, 2000));
  for (const f of followers) f.close();

  const names = servers.map((_, i) => (i === 0 ? 'A (runs the session)' : 'B'));
  const perP50 = followers.map((f) => latencySummary(f.lags).p50);
  const perP95 = followers.map((f) => latencySummary(f.lags).p95);
  const missing = followers.map((f) => f.missing);
  const lagMs = latencySummary(followers.flatMap((f) => f.lags));
  const result: RunResult = {
    followers: Object.fromEntries(
      servers.map(
        (s, i) => [names[i] ?? `server ${i}`, placement.filter((p) => p === s).length] as const,
      ),
    ),
    seconds: Math.round(elapsed * 10) / 10,
    eventsPerFollower: {
      min: Math.min(...followers.map((f) => f.events)),
      max: Math.max(...followers.map((f) => f.events)),
    },
    missingTotal: missing.reduce((a, b) => a + b, 0),
    missingMaxPerFollower: Math.max(...missing),
    duplicatesTotal: followers.reduce((a, f) => a + f.duplicates, 0),
    droppedReportedTotal: followers.reduce((a, f) => a + f.dropped, 0),
    replacedReportedTotal: followers.reduce((a, f) => a + f.replaced, 0),
    lagMs,
    perFollowerLagP50Ms: { median: median(perP50), max: Math.max(...perP50) },
    perFollowerLagP95Ms: { median: median(perP95), max: Math.max(...perP95) },
    serverCpuPercent: Object.fromEntries(names.map((n, i) => [n, Math.round(cpu[i] ?? 0)])),
    serverRssMb: Object.fromEntries(names.map((n, i) => [n, rss[i] ?? { start: 0, max: 0 }])),
    followersCounted: counted.followers,
    meetsTarget: false,
  };
  result.meetsTarget = result.missingTotal === 0 && result.perFollowerLagP95Ms.max < TARGET_P95_MS;
  return result;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'warren-bench-classroom-'));
  // PostgreSQL when given (as several servers would use in production), else a shared SQLite file.
  const storeEnv: Record<string, string> = process.env.BENCH_DATABASE_URL
    ? { DATABASE_URL: process.env.BENCH_DATABASE_URL }
    : { WARREN_DATA_DIR: dataDir };
  const env = { ...storeEnv, WARREN_VHOST_PREFIX: 'warren-bench-' };
  const a = await startWarren({ ...env, PORT: String(PORTS[0]) });
  const b = await startWarren({ ...env, PORT: String(PORTS[1]) });
  const servers = [a, b];
  try {
    const session = await call<CreateSessionResponse>(a.url, 'POST', '/api/sessions', undefined, {
      topology: topology(),
    });
    const { code } = await call<CreateClassroomResponse>(
      a.url,
      'POST',
      `/api/sessions/${session.id}/classroom`,
      session.editToken,
    );
    const oneServer = await run(
      servers,
      Array.from({ length: FOLLOWERS }, () => a),
      code,
      session,
      a,
    );
    const twoServers = await run(
      servers,
      Array.from({ length: FOLLOWERS }, (_, i) => (i % 2 === 0 ? a : b)),
      code,
      session,
      a,
    );
    await call(a.url, 'DELETE', `/api/sessions/${session.id}`, session.editToken);
    console.log(
      JSON.stringify(
        {
          bench: 'classroom',
          setup: {
            producerRate: RATE,
            followers: FOLLOWERS,
            seconds: SECONDS,
            topology: 'topic exchange, 2 queues, 2 acking consumers run by Warren',
            store: process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite (shared file)',
            fanOut: 'topic exchange warren.classrooms on the broker',
            target: `nothing missing, every follower's lag p95 < ${TARGET_P95_MS} ms`,
          },
          oneServer,
          twoServers,
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
