import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

/**
 * The load bench in a CI-sized form: a few sessions, each with a producer and a consumer, for a
 * few seconds on a real server process and the real broker. Every confirmed message's `routed`
 * and `delivered` events reach each session's viewer, in order, none dropped.
 */
/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

it('several busy sessions lose no event', { timeout: 120_000 }, async () => {
  const port = await freePort();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('load.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        BENCH_PORT: String(port),
        BENCH_SESSIONS: '4',
        BENCH_RATE: '50',
        BENCH_SECONDS: '4',
      },
      timeout: 110_000,
      maxBuffer: 1 << 20,
    },
  );
  const result = JSON.parse(stdout) as {
    confirmed: number;
    missingRouted: number;
    missingDelivered: number;
    droppedByServer: number;
    unexplainedSeqGaps: number;
    latencyMs: { p95: number };
  };
  console.info(JSON.stringify({ ...result, memorySamples: undefined }));
  expect(result.confirmed).toBeGreaterThan(4 * 50 * 2);
  expect(result).toMatchObject({
    missingRouted: 0,
    missingDelivered: 0,
    droppedByServer: 0,
    unexplainedSeqGaps: 0,
  });
});
