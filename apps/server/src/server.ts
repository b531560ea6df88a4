import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { StoreOpenError } from './store/database';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`warren: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const app = await buildApp(config).catch((error: unknown) => {
  if (!(error instanceof StoreOpenError)) throw error;
  console.error(`warren: ${error.message}`);
  process.exit(2);
});
try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  app.log.error({ err: error }, `cannot listen on ${config.host}:${config.port}`);
  process.exit(1);
}
const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
app.log.info(
  `Warren is running at http://${shown}:${app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : config.port}`,
);

/**
 * The first signal closes the sessions and stops: kept sessions (WARREN_KEEP_SESSIONS) stay on
 * the broker for the next start, others have their vhosts deleted. A second one a while
 * later (Ctrl+C pressed again) stops at once; one that comes right after is the same stop
 * reaching this process twice (a process group signalled, and a runner such as tsx relaying it).
 */
const FORCE_AFTER_MS = 1000;
let stoppingSince: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince >= FORCE_AFTER_MS) process.exit(1);
      return;
    }
    stoppingSince = Date.now();
    app.log.info(`${signal}: closing sessions and stopping`);
    void app.close().then(() => process.exit(0));
  });
}
