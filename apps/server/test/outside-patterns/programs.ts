import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from '../helpers';

/**
 * Small client programs in ordinary pika and amqplib style (programs/), run as separate
 * processes against a session's AMQP URL, as a person following a tutorial would. Each prints
 * one JSON object a line: `ready` once it consumes, `sent` for what it published, `received`
 * and `answer` for what reached it.
 */

export type Language = 'pika' | 'amqplib';
export const LANGUAGES: Language[] = ['pika', 'amqplib'];

/** Python with pika (Debian's python3-pika); WARREN_PYTHON names another. */
const PYTHON = process.env.WARREN_PYTHON ?? '/usr/bin/python3';
const DIRECTORY = fileURLToPath(new URL('./programs/', import.meta.url));

export type Printed = Record<string, unknown>;

export interface Program {
  readonly name: string;
  /** Everything it printed so far. */
  readonly printed: Printed[];
  /** Waits for a line that `match` accepts, and returns it. */
  line(match: (line: Printed) => boolean, what: string, timeoutMs?: number): Promise<Printed>;
  /** Waits for it to end by itself; rejects unless it ends well. */
  finished(timeoutMs?: number): Promise<void>;
  /** Asks it to stop (SIGTERM, as Ctrl-C would) and waits until it has. */
  stop(): Promise<void>;
}

const running = new Set<Program>();

export function run(language: Language, program: string, args: string[], amqpUrl: string): Program {
  const file =
    language === 'pika' ? `${DIRECTORY}pika/${program}.py` : `${DIRECTORY}amqplib/${program}.mjs`;
  const child = spawn(language === 'pika' ? PYTHON : process.execPath, [file, ...args], {
    env: { ...process.env, AMQP_URL: amqpUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const name = `${language} ${program} ${args.join(' ')}`;
  const printed: Printed[] = [];
  let errors = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') printed.push(JSON.parse(line) as Printed);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exited = false;
  void exit.then(() => (exited = true));

  const failure = (what: string) =>
    new Error(`${name}: ${what}; printed ${JSON.stringify(printed)}; stderr: ${errors.trim()}`);
  const self: Program = {
    name,
    printed,
    async line(match, what, timeoutMs = 10_000) {
      await until(() => exited || printed.some(match), timeoutMs, `${name}: ${what}`).catch(() => {
        throw failure(`no line: ${what}`);
      });
      const found = printed.find(match);
      if (!found) throw failure(`ended before ${what}`);
      return found;
    },
    async finished(timeoutMs = 10_000) {
      const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), timeoutMs).unref());
      const code = await Promise.race([exit, timer]);
      running.delete(self);
      if (code !== 0) throw failure(code === 'late' ? 'still running' : `exit code ${code}`);
    },
    async stop() {
      running.delete(self);
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
  running.add(self);
  return self;
}

/** Stops every program still running (after each test). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}
