import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { appPerFile, createSession, until } from '../helpers';
import { startTicker, tickerTopology } from './ticker';

/**
 * The broker application stopped and started again (`rabbitmqctl stop_app` / `start_app`), as
 * an operator restarting it does. It stops the broker for everyone on this machine, so it runs
 * only in its own serial stage of `npm test` (WARREN_BROKER_RESTART_TESTS=1), never beside others.
 */
const enabled = process.env.WARREN_BROKER_RESTART_TESTS === '1';

let app: FastifyInstance;

const execFileAsync = promisify(execFile);
const rabbitmqctl = (command: string) =>
  execFileSync('rabbitmqctl', [command], { stdio: 'pipe', timeout: 60_000 });

describe.runIf(enabled)('a broker restart', () => {
  appPerFile((built) => (app = built));

  it('is shown within 2 s, and running producers send again within 5 s of its return', async () => {
    const session = await createSession(app, { topology: tickerTopology });
    const producer = await startTicker(app, session);
    await until(async () => (await producer()).sent >= 5, 10_000, 'the producer to send');

    try {
      // rabbitmqctl returns once the application has stopped, which takes seconds: the outage
      // is timed from then (the broker may well be shown down before).
      let shownAt: number | undefined;
      const watch = setInterval(() => {
        if (shownAt === undefined && !app.broker.amqpReachable) shownAt = Date.now();
      }, 20);
      await execFileAsync('rabbitmqctl', ['stop_app'], { timeout: 60_000 });
      const stoppedAt = Date.now();
      await until(() => shownAt !== undefined, 2000, 'the outage to be shown');
      clearInterval(watch);
      const shownMs = Math.max(0, (shownAt ?? stoppedAt) - stoppedAt);
      const before = (await producer()).sent;
      rabbitmqctl('start_app');
      const backAt = Date.now();
      await until(
        async () => {
          const state = await producer();
          return state.status === 'running' && state.sent >= before + 5;
        },
        5000,
        'the producer to send again',
      );
      const resumedMs = Date.now() - backAt;
      const state = await producer();
      console.log(
        `broker restart: outage shown ${shownMs} ms after stop_app returned; producer sending again ${resumedMs} ms after start_app returned (${state.sent} sent, status ${state.status})`,
      );
      expect(state.running).toBe(true);
      expect(state.error).toBeUndefined();
    } finally {
      // Whatever happened, the broker is left running for everyone else.
      rabbitmqctl('start_app');
    }
  }, 120_000);
});
