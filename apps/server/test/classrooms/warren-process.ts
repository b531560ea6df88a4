import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A real Warren server as its own process (node with tsx's loader), as an operator runs it. */
export interface WarrenProcess {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));

export async function startWarren(env: Record<string, string>): Promise<WarrenProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      WARREN_VHOST_PREFIX: 'warren-test-',
      STATS_INTERVAL_MS: '200',
      // The test's store is dropped after it: sessions end with the server unless a test keeps them.
      WARREN_KEEP_SESSIONS: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      // Keep only the tail: a long run logs a lot.
      if (output.length > 100_000) output = output.slice(-50_000);
      const found = /Warren is running at (http:\/\/[^"\s]+)/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  return {
    url,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
