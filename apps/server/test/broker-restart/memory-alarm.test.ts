import { execFileSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { HealthResponse, WarrenEvent } from '@warren/protocol';
import { auth, appPerFile, createSession, until } from '../helpers';
import { startTicker, tickerTopology } from './ticker';

/**
 * A memory alarm of the broker (its watermark set below what it uses), as a shared broker under
 * pressure raises one: RabbitMQ blocks every connection that publishes. It blocks publishers
 * machine-wide, so it runs only in the serial broker stage of `npm test`
 * (WARREN_BROKER_RESTART_TESTS=1), never beside other tests.
 */
const enabled = process.env.WARREN_BROKER_RESTART_TESTS === '1';

let app: FastifyInstance;

const rabbitmqctl = (...args: string[]) =>
  execFileSync('rabbitmqctl', args, { stdio: 'pipe', timeout: 60_000, encoding: 'utf8' });

/** The watermark as the broker has it now, to put back whatever happens. */
function currentWatermark(): string {
  const out = rabbitmqctl('eval', 'vm_memory_monitor:get_vm_memory_high_watermark().');
  const value = out.trim().split('\n').pop() ?? '';
  // A relative watermark prints as a number; anything else is put back as the default.
  return /^\d+(\.\d+)?$/.test(value) ? value : '0.4';
}

describe.runIf(enabled)('a memory alarm of the broker', () => {
  appPerFile((built) => (app = built));

  it('is shown to the session and in health, publishing answers at once, and all resumes after', async () => {
    const session = await createSession(app, { topology: tickerTopology });
    const live = app.sessions.get(session.id)!;
    const statuses: WarrenEvent[] = [];
    const unsubscribe = live.events.listen((event) => {
      if (event.type === 'broker-status') statuses.push(event);
    });
    const producer = await startTicker(app, session);
    await until(async () => (await producer()).sent >= 5, 10_000, 'the producer to send');
    const publish = () =>
      app.inject({
        method: 'POST',
        url: `/api/sessions/${session.id}/publish`,
        headers: auth(session),
        payload: { exchange: '', routingKey: 'work', payload: 'during the alarm' },
      });
    const health = async () => (await app.inject({ url: '/api/health' })).json<HealthResponse>();

    const watermark = currentWatermark();
    try {
      rabbitmqctl('set_vm_memory_high_watermark', '0.0000001');
      const raisedAt = Date.now();
      // Shown: the session's broker status and the health reply name the alarm.
      await until(() => live.broker.alarms?.includes('memory') === true, 5000, 'the alarm');
      const shownMs = Date.now() - raisedAt;
      const checked = await health();
      expect(checked.status).toBe('degraded');
      expect(checked.alarms).toEqual(['memory']);
      expect(checked.hint).toMatch(/memory alarm is on/);
      expect(statuses.at(-1)).toMatchObject({
        type: 'broker-status',
        status: { amqp: true, alarms: ['memory'] },
      });

      // Not a hang: a publish is answered at once with a clear 503, and nothing is sent.
      const before = Date.now();
      const refused = await publish();
      const answeredMs = Date.now() - before;
      expect(refused.statusCode, refused.body).toBe(503);
      expect(refused.json()).toMatchObject({
        error: { code: 'BROKER_BLOCKED', message: expect.stringMatching(/memory alarm/) },
      });
      expect(answeredMs).toBeLessThan(2000);
      // The running producer waits: it is not failed, and every other request still answers.
      const waiting = await producer();
      expect(waiting.status).toBe('running');
      const queues = await app.inject({
        url: `/api/sessions/${session.id}/queues`,
        headers: auth(session),
      });
      expect(queues.statusCode).toBe(200);

      rabbitmqctl('set_vm_memory_high_watermark', watermark);
      const clearedAt = Date.now();
      await until(() => live.broker.alarms === undefined, 10_000, 'the alarm to clear');
      const clearedMs = Date.now() - clearedAt;
      expect((await health()).alarms).toBeUndefined();
      const sentBefore = (await producer()).sent;
      await until(
        async () => (await producer()).sent >= sentBefore + 5,
        10_000,
        'the producer to send again',
      );
      const after = await publish();
      expect(after.statusCode, after.body).toBe(200);
      expect(after.json()).toMatchObject({ routedQueues: ['work'], confirmed: true });
      console.log(
        `memory alarm: shown ${shownMs} ms after it was raised; publish answered 503 in ${answeredMs} ms; cleared ${clearedMs} ms after the watermark was restored`,
      );
    } finally {
      unsubscribe();
      // Whatever happened, the broker is left as it was for everyone else.
      rabbitmqctl('set_vm_memory_high_watermark', watermark);
    }
  }, 90_000);
});
