/**
 * The routing explainer against the real broker, at scale: random diagrams PUT one after
 * another into one Warren session, random messages published into each, Warren's report of
 * each publish compared with the prediction. Stops at the first disagreement. Prints one JSON
 * object; exits non-zero on a disagreement.
 *
 *   pnpm exec tsx bench/differential.ts [cases] [seed]
 */
import { buildApp } from '@warren/server/app';
import { loadConfig } from '@warren/server/config';
import { ManagementClient } from '@warren/server/management';
import { coverage, differentialCases, injectRequest, runDifferential } from '@warren/differential';

const MESSAGES_PER_TOPOLOGY = 40;

async function main(): Promise<void> {
  const cases = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 20240610);
  // Pino writes to stdout, which carries this script's JSON: only fatal logs get through.
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
  const options = {
    seed,
    topologies: Math.ceil(cases / MESSAGES_PER_TOPOLOGY),
    messagesPerTopology: MESSAGES_PER_TOPOLOGY,
  };
  try {
    const result = await runDifferential({
      ...options,
      warren: injectRequest(app),
      management: new ManagementClient(
        config.managementUrl,
        config.managementUser,
        config.managementPassword,
      ),
      progress: (done, total) => {
        if (done % 25 === 0) process.stderr.write(`differential: ${done}/${total} diagrams\n`);
      },
    });
    const output = {
      cases: result.cases,
      topologies: result.topologies,
      mismatches: result.failure?.kind === 'mismatch' ? 1 : 0,
      materializeProblems: result.failure?.kind === 'materialize' ? 1 : 0,
      seed: result.seed,
      durationMs: result.durationMs,
      casesPerSecond: Math.round((result.cases / result.durationMs) * 1000),
      // What the cases exercised, by the explainer's own account of each.
      coverage: coverage(differentialCases(options)),
      ...(result.failure ? { failure: result.failure } : {}),
    };
    console.log(JSON.stringify(output, null, 2));
    process.exitCode = result.failure ? 1 : 0;
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
