/**
 * Does every message's fate reach the browser at 1,000 msg/s? An outside amqplib publisher sends
 * 1,000 msg/s into a topic exchange with 3 bound queues, each with an amqplib consumer, for
 * BENCH_SECONDS (default 60). A websocket client of the session counts the routed and delivered
 * events against what the broker confirmed and delivered, and measures publish-to-websocket
 * latency; the server's RSS is sampled throughout. Then the rate steps up briefly to find the
 * highest rate with nothing missed, and the raw publish rate of the same broker is measured in a
 * vhost without tracing. Clients run in a child process, apart from the server. Prints JSON.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '@warren/server/app';
import { loadConfig } from '@warren/server/config';
import type { CreateSessionResponse } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import type { ChildMessage, ClientConfig, ClientResult } from './lib/observation-client';
import { heapAfterGcMb, RssSampler, type MemorySummary } from './lib/observation-stats';

const number = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const EXCHANGE = 'bench.topic';
/** Publish-to-websocket p95 under which a rate counts as watched live. */
const LIVE_P95_MS = 1000;
const QUEUES = ['bench.all', 'bench.orders', 'bench.created'];
const PATTERNS = ['#', 'order.*', '*.created'];

function topology(): Topology {
  return {
    version: 1,
    exchanges: [
      {
        id: 'x',
        name: EXCHANGE,
        type: 'topic',
        durable: false,
        autoDelete: false,
        internal: false,
      },
    ],
    queues: QUEUES.map((name) => ({
      id: name,
      name,
      durable: false,
      exclusive: false,
      autoDelete: false,
    })),
    bindings: QUEUES.map((name, i) => ({
      id: `b-${name}`,
      source: EXCHANGE,
      destination: name,
      destinationType: 'queue' as const,
      routingKey: PATTERNS[i] ?? '#',
    })),
    producers: [],
  };
}

async function main(): Promise<void> {
  const seconds = number('BENCH_SECONDS', 60);
  const stepSeconds = number('BENCH_STEP_SECONDS', 8);
  const stepRates = (process.env.BENCH_STEP_RATES ?? '1500,2000,3000,4000,6000')
    .split(',')
    .map(Number)
    .filter((n) => Number.isFinite(n) && n > 0);
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    WARREN_VHOST_PREFIX: 'warren-bench-',
  });
  // Logs go to stderr: stdout is the JSON result.
  const app = await buildApp(config, { logger: { level: 'warn', stream: process.stderr } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const deadline = Date.now() + 15_000;
  while (!(app.broker.amqpReachable && (await app.broker.probeManagement()))) {
    if (Date.now() > deadline) throw new Error('RabbitMQ is not reachable');
    await new Promise((r) => setTimeout(r, 100));
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no server address');

  const rss = new RssSampler();
  rss.start(1000);
  const created = await app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: { topology: topology() },
  });
  if (created.statusCode !== 201) throw new Error(`create session: ${created.body}`);
  const session = created.json<CreateSessionResponse>();

  const clientConfig: ClientConfig = {
    wsUrl: `ws://127.0.0.1:${address.port}/api/sessions/${session.id}/events`,
    countersUrl: `http://127.0.0.1:${address.port}/api/sessions/${session.id}/counters`,
    amqpUrl: session.amqp.url,
    exchange: EXCHANGE,
    routingKey: 'order.created',
    queues: QUEUES,
    seconds,
    warmupSeconds: 2,
    stepRates,
    stepSeconds,
    rawSeconds: number('BENCH_RAW_SECONDS', 5),
    brokerUrl: config.amqpUrl,
    managementUrl: config.managementUrl,
    managementAuth: `Basic ${Buffer.from(`${config.managementUser}:${config.managementPassword}`).toString('base64')}`,
    rawVhost: `warren-bench-raw-${randomBytes(4).toString('hex')}`,
  };

  const memory: Record<string, MemorySummary> = {};
  const marks = new Map<string, number>();
  /** The server's event loop delay and CPU time per phase: where its time went. */
  const loop: Record<
    string,
    {
      delayP50Ms: number;
      delayP99Ms: number;
      delayMaxMs: number;
      cpuPercent: number;
      heapAfterGcMb: number | undefined;
    }
  > = {};
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let cpuAtStart = process.cpuUsage();
  let phaseStartedAt = Date.now();
  let result: ClientResult | undefined;
  let failure: string | undefined;
  // The server's CPU time from the clients' start to their end (every phase and its drain), per
  // message: unlike a phase's CPU share it does not depend on how far the firehose lags behind.
  const cpuAtClients = process.cpuUsage();
  let clientsCpu: NodeJS.CpuUsage | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const child = fork(new URL('./lib/observation-client.ts', import.meta.url).pathname, [], {
        env: { ...process.env, BENCH_CONFIG: JSON.stringify(clientConfig) },
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'phase') {
          if (message.state === 'start') {
            marks.set(message.name, rss.mark());
            loopDelay.reset();
            cpuAtStart = process.cpuUsage();
            phaseStartedAt = Date.now();
          } else {
            memory[message.name] = rss.summary(marks.get(message.name) ?? 0, rss.mark() + 1);
            const cpu = process.cpuUsage(cpuAtStart);
            const ms = (n: number) => Math.round(n / 1e5) / 10;
            loop[message.name] = {
              delayP50Ms: ms(loopDelay.percentile(50)),
              delayP99Ms: ms(loopDelay.percentile(99)),
              delayMaxMs: ms(loopDelay.max),
              cpuPercent: Math.round(
                ((cpu.user + cpu.system) / 1000 / Math.max(1, Date.now() - phaseStartedAt)) * 100,
              ),
              // Only with `node --expose-gc`: the collection takes a few ms of the next phase.
              heapAfterGcMb: heapAfterGcMb(),
            };
          }
        } else if (message.type === 'result') {
          result = message.result;
        } else {
          failure = message.message;
        }
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(failure ?? `client exited with ${code}`)),
      );
    });
  } finally {
    clientsCpu = process.cpuUsage(cpuAtClients);
    rss.stop();
    await app.inject({
      method: 'DELETE',
      url: `/api/sessions/${session.id}`,
      headers: { authorization: `Bearer ${session.editToken}` },
    });
    await app.close();
  }
  if (!result) throw new Error(failure ?? 'the client reported nothing');

  const main = result.phases.find((p) => p.name === 'main');
  // Nothing missed at a rate the broker really took in (confirmed), not just asked for.
  const clean = result.phases.filter(
    (p) =>
      p.name !== 'warmup' &&
      p.missingRouted + p.missingDelivered === 0 &&
      p.confirmedRate >= p.targetRate * 0.95,
  );
  // ... and with the events on the socket within a second of the publish.
  const keepingUp = clean.filter((p) => p.routedLatencyMs.p95 <= LIVE_P95_MS);
  const steps = result.phases.filter((p) => p.name.startsWith('step'));
  console.log(
    JSON.stringify(
      {
        bench: 'observation',
        setup: {
          exchange: `${EXCHANGE} (topic)`,
          queues: QUEUES.length,
          consumers: QUEUES.length,
          clients: 'amqplib, outside Warren, in a child process',
          seconds,
          stepSeconds,
        },
        main: main && {
          targetRate: main.targetRate,
          achievedRate: main.achievedRate,
          confirmedRate: main.confirmedRate,
          confirmLatencyMs: main.confirmLatencyMs,
          published: main.published,
          routedEvents: main.routedEvents,
          missingRouted: main.missingRouted,
          consumed: main.consumed,
          deliveredEvents: main.deliveredEvents,
          missingDelivered: main.missingDelivered,
          droppedOrCoalescedByServer: main.droppedReported,
          routedLatencyMs: main.routedLatencyMs,
          deliveredLatencyMs: main.deliveredLatencyMs,
          routedPublishToServerMs: main.routedBrokerToServerMs,
          routedServerToWebsocketMs: main.routedServerToClientMs,
          drainMs: main.drainMs,
          serverRssMb: memory.main,
          serverEventLoop: loop.main,
        },
        // The queues' publish and deliver totals on the broker, beside what the websocket carried
        // and the server's edge counters (bindings into the queues, lines to the consumers).
        brokerCountsVsWebsocket: result.management,
        steps: steps.map((s) => ({
          targetRate: s.targetRate,
          achievedRate: s.achievedRate,
          confirmedRate: s.confirmedRate,
          confirmP95Ms: s.confirmLatencyMs.p95,
          published: s.published,
          missingRouted: s.missingRouted,
          missingDelivered: s.missingDelivered,
          droppedOrCoalescedByServer: s.droppedReported,
          routedP95Ms: s.routedLatencyMs.p95,
          deliveredP95Ms: s.deliveredLatencyMs.p95,
          serverRssMaxMb: memory[s.name]?.maxMb,
          serverEventLoop: loop[s.name],
        })),
        highestRateWithNothingMissed: Math.max(0, ...clean.map((p) => p.targetRate)),
        highestRateLive: {
          rate: Math.max(0, ...keepingUp.map((p) => p.targetRate)),
          rule: `nothing missed, broker confirmed ≥ 95 % of the rate, routed p95 ≤ ${LIVE_P95_MS} ms`,
        },
        rawPublishRate: {
          untracedVhost: result.raw.untracedPublishRate,
          sessionVhostTracedAndObserved: result.raw.tracedPublishRate,
          seconds: result.raw.seconds,
          method: 'confirm channel, batches of 500, 3 bound queues with acking consumers',
        },
        serverRssMb: rss.summary(),
        serverCpu: serverCpu(clientsCpu, result),
      },
      null,
      2,
    ),
  );
}

/** CPU seconds the server spent while the clients ran, and per thousand traced publishes. */
function serverCpu(cpu: NodeJS.CpuUsage | undefined, result: ClientResult) {
  const messages = result.phases.reduce((n, p) => n + p.published, 0);
  const seconds = cpu === undefined ? 0 : (cpu.user + cpu.system) / 1e6;
  return {
    seconds: Math.round(seconds * 10) / 10,
    messages,
    msPerThousandMessages: messages > 0 ? Math.round((seconds * 1e6) / messages) : 0,
    counts: 'every phase (warmup, main, steps) and its drain; each message has 3 deliveries',
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
