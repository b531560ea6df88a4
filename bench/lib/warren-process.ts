/**
 * A real Warren server as its own process, for benches that measure it from outside: its URL,
 * its CPU time and resident memory read from /proc, and its heap and buffers asked over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../apps/server/src/server.ts', import.meta.url));
const PROBE = new URL('./memory-probe.ts', import.meta.url).href;

/** `process.memoryUsage()` of the server, in MB. */
export interface ServerMemory {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}

export interface WarrenProcess {
  url: string;
  process: ChildProcess;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number;
  /** Resident memory now, in MB. */
  rssMb(): number;
  /** Heap and buffers now (after a full collection when `gc` and the server runs with `--expose-gc`). */
  memory(options?: { gc?: boolean }): Promise<ServerMemory>;
  /** Writes a heap snapshot of the server; resolves to its path. */
  heapSnapshot(path?: string): Promise<string>;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

export async function startWarren(
  env: Record<string, string> & { PORT: string },
  /** Extra Node options for the server, such as `--expose-gc`. */
  nodeArgs: readonly string[] = [],
): Promise<WarrenProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', '--import', PROBE, SERVER],
    {
      // Sessions end with the bench's server (their store is not kept either).
      env: { ...process.env, LOG_LEVEL: 'warn', WARREN_KEEP_SESSIONS: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  // Asking must not keep the bench alive by itself.
  child.channel?.unref();
  let asked = 0;
  const ask = <T>(message: Record<string, unknown>, pick: (reply: Record<string, unknown>) => T) =>
    new Promise<T>((resolve, reject) => {
      const id = (asked += 1);
      const onReply = (reply: Record<string, unknown>) => {
        if (reply.id !== id) return;
        child.off('message', onReply);
        resolve(pick(reply));
      };
      child.on('message', onReply);
      child.send({ ...message, id }, (error) => {
        if (!error) return;
        child.off('message', onReply);
        reject(error);
      });
    });
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  let output = '';
  const keep = (chunk: string) => (output = (output + chunk).slice(-20_000));
  // Piped, as spawned above (the IPC channel widens the type to a possibly missing stream).
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
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
    // Up once it answers and has reached RabbitMQ: a session created before that gets a 503.
    const up = await fetch(`${url}/api/health`).then(
      async (r) => r.ok && ((await r.json()) as { amqp?: { reachable?: boolean } }).amqp?.reachable,
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
    memory: (options) =>
      ask({ probe: 'memory', gc: options?.gc ?? false }, (reply) => {
        const usage = reply.memory as NodeJS.MemoryUsage;
        return {
          rssMb: mb(usage.rss),
          heapUsedMb: mb(usage.heapUsed),
          heapTotalMb: mb(usage.heapTotal),
          externalMb: mb(usage.external),
          arrayBuffersMb: mb(usage.arrayBuffers),
        };
      }),
    heapSnapshot: (path) =>
      ask({ probe: 'snapshot', gc: true, ...(path ? { path } : {}) }, (r) => String(r.path)),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
