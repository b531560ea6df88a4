/**
 * The routing explainer against the real broker, at scale: random topologies materialized
 * through Warren's HTTP API, random messages published, the broker's routed_queues compared
 * with the prediction. Prints one JSON object; exits non-zero on any mismatch.
 *
 *   pnpm exec tsx bench/differential.ts [cases] [seed]
 */
import { buildApp } from '@warren/server/app';
import { loadConfig } from '@warren/server/config';
import { runDifferential, type ManagementApi } from './lib/differential-harness';
import { coverage } from './lib/differential-stats';

const MESSAGES_PER_TOPOLOGY = 40;

function managementClient(url: string, user: string, password: string): ManagementApi {
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}/api${path}`, {
        method,
        headers: {
          authorization,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
  };
}

async function main(): Promise<void> {
  const cases = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 20240610);
  // Pino writes to stdout, which carries this script's JSON: only fatal logs get through. Broker
  // trouble is counted in the output (brokerIncidents) instead.
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'fatal',
    WARREN_VHOST_PREFIX: 'warren-bench-diff-',
  });
  const app = await buildApp(config);
  await app.ready();
  const deadline = Date.now() + 15_000;
  while (!(app.broker.amqpReachable && (await app.broker.probeManagement()))) {
    if (Date.now() > deadline) throw new Error('RabbitMQ is not reachable');
    await new Promise((r) => setTimeout(r, 100));
  }
  const management = managementClient(
    config.managementUrl,
    config.managementUser,
    config.managementPassword,
  );
  const options = {
    seed,
    topologies: Math.ceil(cases / MESSAGES_PER_TOPOLOGY),
    messagesPerTopology: MESSAGES_PER_TOPOLOGY,
  };
  try {
    const result = await runDifferential(app, management, {
      ...options,
      sessions: 2,
      concurrency: 16,
      progress: (done, total) => {
        if (done % 25 === 0) process.stderr.write(`differential: ${done}/${total} topologies\n`);
      },
    });
    const output = {
      cases: result.cases,
      topologies: result.topologies,
      mismatches: result.mismatches.length,
      materializeProblems: result.materializeProblems.length,
      brokerIncidents: result.brokerIncidents.length,
      seed: result.seed,
      durationMs: result.durationMs,
      casesPerSecond: Math.round((result.cases / result.durationMs) * 1000),
      // What the cases exercised, by the explainer's own account of each.
      coverage: coverage(options),
      sample: result.mismatches.slice(0, 3),
      materializeSample: result.materializeProblems.slice(0, 2),
      brokerIncidentSample: result.brokerIncidents.slice(0, 2).map((i) => ({
        topologyIndex: i.topologyIndex,
        previousIndex: i.previousIndex,
        problem: i.problem,
      })),
    };
    console.log(JSON.stringify(output, null, 2));
    process.exitCode = result.mismatches.length + result.materializeProblems.length > 0 ? 1 : 0;
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
