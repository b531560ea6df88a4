/**
 * A real Warren server as its own process, for benches that measure it from outside: its URL,
 * and its CPU time and resident memory read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../apps/server/src/server.ts', import.meta.url));

export interface WarrenProcess {
  url: string;
  process: ChildProcess;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number;
  /** Resident memory now, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

export async function startWarren(
  env: Record<string, string> & { PORT: string },
): Promise<WarrenProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    // Sessions end with the bench's server (their store is not kept either).
    env: { ...process.env, LOG_LEVEL: 'warn', WARREN_KEEP_SESSIONS: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: string) => (output = (output + chunk).slice(-20_000));
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  let exited = false;
  child.once('exit', (code, signal) => {
    exited = true;
    if (code !== 0 && signal !== 'SIGTERM')
      console.error(`warren ${env.PORT} exited (${code ?? signal}): ${output}`);
  });
  // Logs stay at warn (a request log per call would weigh on the figures): ask it instead.
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`server exited: ${output}`);
    if (Date.now() > deadline) {
      // Not left behind holding the port.
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${output}`);
    }
    const up = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid;
  return {
    url,
    process: child,
    cpuSeconds: () => {
      // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    },
    rssMb: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round((kb / 1024) * 10) / 10;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
