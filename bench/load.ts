/**
 * Many classrooms' worth of sessions at once: BENCH_SESSIONS (default 20) sessions on one Warren
 * server (its own process), each with a producer sending BENCH_RATE (default 100) msg/s into a
 * fanout exchange with one queue and a consumer node, for BENCH_SECONDS (default 120). One
 * websocket viewer per session counts the `routed` and `delivered` events against the
 * producer's confirmed count and the consumer's, and measures event latency (the producer stamps
 * each body with its send time, the viewer subtracts it on receipt). The server's RSS, heap and
 * buffers are sampled every 5 s to show whether memory stays flat. Prints JSON.
 * BENCH_HEAP_SNAPSHOTS=<dir> also writes heap snapshots of the server after the first and last
 * sample (each pauses the server for a while: not for figures); BENCH_NODE_ARGS passes Node
 * options to the server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { CreateSessionResponse, ProducersResponse, ServerFrame } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { latencySummary } from './lib/observation-stats';
import { startWarren } from './lib/warren-process';

const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const SESSIONS = positive('BENCH_SESSIONS', 20);
const RATE = positive('BENCH_RATE', 100);
const SECONDS = positive('BENCH_SECONDS', 120);
const PORT = positive('BENCH_PORT', 5306);
const SNAPSHOTS = process.env.BENCH_HEAP_SNAPSHOTS;
/** Node options for the server, to compare heap settings (`--max-semi-space-size=32`). */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

function topology(): Topology {
  return {
    version: 1,
    exchanges: [
      {
        id: 'x',
        name: 'load.x',
        type: 'fanout',
        durable: false,
        autoDelete: false,
        internal: false,
      },
    ],
    queues: [{ id: 'q', name: 'load.q', durable: false, exclusive: false, autoDelete: false }],
    bindings: [
      {
        id: 'b',
        source: 'load.x',
        destination: 'load.q',
        destinationType: 'queue',
        routingKey: '',
      },
    ],
    producers: [
      {
        id: 'p',
        name: 'sender',
        exchange: 'load.x',
        routingKey: '',
        // The send time, read back from the payload preview of each event.
        payload: '{{timestamp}}',
        mandatory: false,
        ratePerSecond: RATE,
      },
    ],
    consumers: [{ id: 'c', name: 'reader', queue: 'load.q', prefetch: 50, autoAck: true }],
  };
}

interface Viewer {
  routed: number;
  delivered: number;
  gaps: number;
  dropped: number;
  replaced: number;
  latencies: number[];
  socket: WebSocket;
}

function sentAt(event: { payload?: { base64: string } }): number | undefined {
  if (!event.payload) return undefined;
  const at = Date.parse(Buffer.from(event.payload.base64, 'base64').toString('utf8'));
  return Number.isFinite(at) ? at : undefined;
}

function watch(url: string, id: string): Promise<Viewer> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/sessions/${id}/events`);
  const viewer: Viewer = {
    routed: 0,
    delivered: 0,
    gaps: 0,
    dropped: 0,
    replaced: 0,
    latencies: [],
    socket,
  };
  let seq = -1;
  let measuring = false;
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as ServerFrame;
    if (frame.type === 'hello') {
      seq = frame.seq;
      measuring = true;
      return;
    }
    if (frame.type !== 'events' || !measuring) return;
    viewer.dropped += frame.dropped;
    viewer.replaced += frame.replaced ?? 0;
    const now = Date.now();
    for (const event of frame.events) {
      // Events missing between two received, beyond what the server said it left out.
      viewer.gaps += event.seq - seq - 1;
      seq = event.seq;
      if (event.type === 'routed') {
        viewer.routed += 1;
        const at = sentAt(event);
        if (at !== undefined) viewer.latencies.push(now - at);
      } else if (event.type === 'delivered') viewer.delivered += 1;
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(viewer));
    socket.once('error', reject);
  });
}

const server = await startWarren(
  {
    PORT: String(PORT),
    // A store of its own, not the one `npm start` keeps diagrams in.
    WARREN_DATA_DIR: mkdtempSync(join(tmpdir(), 'warren-bench-')),
  },
  NODE_ARGS,
);
const json = async <T>(method: string, path: string, body?: unknown, token?: string) => {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
};

interface MemorySample {
  atSeconds: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}
const memory: MemorySample[] = [];
const sample = async (atSeconds: number) => {
  memory.push({ atSeconds, ...(await server.memory()) });
};
const snapshot = async (name: string) => {
  if (SNAPSHOTS)
    console.error(`heap snapshot: ${await server.heapSnapshot(join(SNAPSHOTS, name))}`);
};
try {
  const sessions: CreateSessionResponse[] = [];
  for (let i = 0; i < SESSIONS; i += 1)
    sessions.push(
      await json<CreateSessionResponse>('POST', '/api/sessions', { topology: topology() }),
    );
  const viewers = await Promise.all(sessions.map((s) => watch(server.url, s.id)));
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const started = Date.now();
  const cpuBefore = server.cpuSeconds();
  await sample(0);
  const sampler = setInterval(() => void sample(Math.round((Date.now() - started) / 1000)), 5000);
  await Promise.all(
    sessions.map((s) => json('POST', `/api/sessions/${s.id}/producers/p/start`, {}, s.editToken)),
  );
  if (SNAPSHOTS) {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await snapshot('load-early.heapsnapshot');
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000 - 10_000));
    await snapshot('load-late.heapsnapshot');
  } else await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  await Promise.all(
    sessions.map((s) => json('POST', `/api/sessions/${s.id}/producers/p/stop`, {}, s.editToken)),
  );
  // The last messages' events arrive.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  clearInterval(sampler);
  await sample(Math.round((Date.now() - started) / 1000));
  const cpuMs = (server.cpuSeconds() - cpuBefore) * 1000;

  let confirmed = 0;
  let missingRouted = 0;
  let missingDelivered = 0;
  for (const [i, session] of sessions.entries()) {
    const { producers } = await json<ProducersResponse>(
      'GET',
      `/api/sessions/${session.id}/producers`,
    );
    const sent = producers.find((p) => p.producerId === 'p')?.confirmed ?? 0;
    const viewer = viewers[i] as Viewer;
    confirmed += sent;
    missingRouted += Math.max(0, sent - viewer.routed);
    missingDelivered += Math.max(0, sent - viewer.delivered);
    viewer.socket.close();
    await json('DELETE', `/api/sessions/${session.id}`, undefined, session.editToken);
  }
  const half = memory.filter((m) => m.atSeconds >= SECONDS / 2);
  const firstHalf = memory.filter((m) => m.atSeconds < SECONDS / 2);
  console.log(
    JSON.stringify(
      {
        bench: 'load',
        sessions: SESSIONS,
        ratePerSession: RATE,
        seconds: SECONDS,
        confirmed,
        missingRouted,
        missingDelivered,
        // Animation events the server left out for a slow viewer (none expected), snapshots it
        // replaced by newer ones (a producer's state, queue depths), and gaps in seq neither explains.
        droppedByServer: viewers.reduce((n, v) => n + v.dropped, 0),
        replacedByServer: viewers.reduce((n, v) => n + v.replaced, 0),
        unexplainedSeqGaps: viewers.reduce(
          (n, v) => n + Math.max(0, v.gaps - v.dropped - v.replaced),
          0,
        ),
        latencyMs: latencySummary(viewers.flatMap((v) => v.latencies)),
        serverCpuPercent: Math.round((cpuMs / (SECONDS * 1000)) * 100),
        serverRssMb: {
          start: memory[0]?.rssMb,
          middle: half[0]?.rssMb,
          end: memory[memory.length - 1]?.rssMb,
          max: Math.max(...memory.map((m) => m.rssMb)),
        },
        // Live JavaScript objects, and buffers outside the heap (socket and amqplib buffers).
        heapUsedMb: {
          start: memory[0]?.heapUsedMb,
          middle: half[0]?.heapUsedMb,
          end: memory[memory.length - 1]?.heapUsedMb,
          max: Math.max(...memory.map((m) => m.heapUsedMb)),
          // The heap is sampled between collections, so it saws up and down; its lowest sample
          // in each half of the run is close to what stays alive, and level when memory is flat.
          lowestFirstHalf: Math.min(...firstHalf.map((m) => m.heapUsedMb)),
          lowestSecondHalf: Math.min(...half.map((m) => m.heapUsedMb)),
        },
        externalMb: {
          start: memory[0]?.externalMb,
          middle: half[0]?.externalMb,
          end: memory[memory.length - 1]?.externalMb,
        },
        memorySamples: memory,
      },
      null,
      2,
    ),
  );
} finally {
  await server.stop();
}
process.exit(0);
