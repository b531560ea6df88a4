/**
 * Can a class follow a busy session live? One teacher session with a producer node at 200 msg/s
 * into a topic exchange with two queues and two consumers; 50 follower websockets on its
 * classroom for BENCH_SECONDS (default 60). For each follower: events missing (gaps in seq the
 * server did not account for as dropped or replaced), duplicates, and lag (receipt time minus the
 * event's `at`). The servers are real processes (their CPU and memory read from /proc) sharing the
 * broker and one store; the run is done twice: every follower on the session's server, then the
 * followers split across two servers. Prints JSON.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateClassroomResponse, CreateSessionResponse } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import type { FollowersCommand, FollowersMessage } from './lib/classroom-followers';
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
/** Processes the followers are spread over. */
const GROUPS = number('BENCH_FOLLOWER_PROCESSES', 5);

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

/** A process holding some of the followers (see lib/classroom-followers.ts). */
class FollowerGroup {
  private readonly child: ChildProcess;
  private waiting: ((message: FollowersMessage) => void) | undefined;

  constructor() {
    this.child = fork(new URL('./lib/classroom-followers.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: FollowersMessage) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(message);
    });
  }

  private ask(command: FollowersCommand): Promise<FollowersMessage> {
    return new Promise((resolve, reject) => {
      this.waiting = (message) =>
        message.type === 'error' ? reject(new Error(message.message)) : resolve(message);
      this.child.send(command);
    });
  }

  async open(urls: string[]): Promise<void> {
    await this.ask({ type: 'open', urls });
  }

  measure(on: boolean): void {
    this.child.send({ type: 'measure', on } satisfies FollowersCommand);
  }

  async report(): Promise<Extract<FollowersMessage, { type: 'report' }>> {
    const message = await this.ask({ type: 'report' });
    if (message.type !== 'report') throw new Error(`unexpected ${message.type}`);
    return message;
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
  /** Over every follower (a sample of every 20th event of each). */
  lagMs: LatencySummary;
  perFollowerLagP50Ms: { median: number; max: number };
  perFollowerLagP95Ms: { median: number; max: number };
  /** The follower processes' own event loop delay: how late they may read the clock. */
  followerProcessesLoopDelayP99Ms: number;
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
  const urls = placement.map(
    (server) => `${server.url.replace(/^http/, 'ws')}/api/classrooms/${code}/events`,
  );
  const groups = Array.from({ length: Math.min(GROUPS, urls.length) }, () => new FollowerGroup());
  await Promise.all(
    groups.map((group, g) => group.open(urls.filter((_, i) => i % groups.length === g))),
  );
  // Every follower counted, on whichever server it is connected to.
  let counted = { followers: 0 };
  for (let tries = 0; counted.followers !== urls.length && tries < 50; tries += 1) {
    await new Promise((r) => setTimeout(r, 100));
    counted = await call<{ followers: number }>(home.url, 'GET', `/api/classrooms/${code}`);
  }
  await call(home.url, 'POST', `/api/sessions/${session.id}/producers/p1/start`, session.editToken);
  // A second to reach the rate, then measure.
  await new Promise((r) => setTimeout(r, 1000));
  const cpuStart = servers.map((s) => s.cpuSeconds());
  const rss = servers.map((s) => ({ start: s.rssMb(), max: s.rssMb() }));
  const startedAt = Date.now();
  for (const group of groups) group.measure(true);
  const sampler = setInterval(() => {
    servers.forEach((s, i) => {
      const entry = rss[i];
      if (entry) entry.max = Math.max(entry.max, s.rssMb());
    });
  }, 1000);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const elapsed = (Date.now() - startedAt) / 1000;
  for (const group of groups) group.measure(false);
  const cpu = servers.map((s, i) => ((s.cpuSeconds() - (cpuStart[i] ?? 0)) / elapsed) * 100);
  clearInterval(sampler);
  await call(home.url, 'POST', `/api/sessions/${session.id}/producers/p1/stop`, session.editToken);
  // Let the last events arrive.
  await new Promise((r) => setTimeout(r, 2000));
  const reports = await Promise.all(groups.map((group) => group.report()));
  const followers = reports.flatMap((r) => r.followers);

  const names = servers.map((_, i) => (i === 0 ? 'A (runs the session)' : 'B'));
  const perP50 = followers.map((f) => f.lagMs.p50);
  const perP95 = followers.map((f) => f.lagMs.p95);
  const missing = followers.map((f) => f.missing);
  const lagMs = latencySummary(reports.flatMap((r) => r.lagSample));
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
    followerProcessesLoopDelayP99Ms: Math.max(...reports.map((r) => r.loopDelayP99Ms)),
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
    const loadBefore = loadavg()[0];
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
          // Lag is read on this machine's clock by processes that share its cores with the servers:
          // a busy machine delays the reading (see followerProcessesLoopDelayP99Ms).
          machine: {
            cpus: cpus().length,
            loadAverage1m: { before: loadBefore, after: loadavg()[0] },
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
