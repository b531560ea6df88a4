import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, LessonProgressReport, WarrenEvent } from '@warren/protocol';
import { auth, brokerReady, buildTestApp, createSession } from '../helpers';

/**
 * A restart command that does not restart the broker (it fails, or it does nothing) is never
 * taken for a restart: the step is refused with what happened, and nothing ticks. The broker is
 * not touched, so this runs with the other tests; the real restart is in test/broker-restart/.
 */

let app: FastifyInstance;
beforeAll(async () => {
  // A "restart" that only prints.
  app = await buildTestApp({ WARREN_BROKER_RESTART: 'echo restarting' });
  await brokerReady(app);
});
afterAll(async () => {
  await app?.close();
});

describe('a restart command that does not restart the broker', () => {
  it('is refused with 502 when it does nothing, and ticks nothing', async () => {
    const session = await createSession(app, { lessonId: 'durability' });
    const events: WarrenEvent[] = [];
    app.sessions.get(session.id)!.events.listen((event) => events.push(event));
    try {
      const run = await app.inject({
        method: 'POST',
        url: `/api/sessions/${session.id}/lesson/steps/restart/run`,
        headers: auth(session),
      });
      expect(run.statusCode, run.body).toBe(502);
      expect(run.json<ErrorBody>().error).toMatchObject({
        code: 'BROKER_RESTART_FAILED',
        message: expect.stringContaining('never closed this session'),
      });
      const phases = events.filter((e) => e.type === 'broker-restart').map((e) => e.phase);
      expect(phases).toEqual(['stopping', 'failed']);
      const report = (
        await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/lesson` })
      ).json<LessonProgressReport>();
      expect(report.steps.filter((s) => s.done).map((s) => s.id)).toEqual([]);
    } finally {
      await app.inject({
        method: 'DELETE',
        url: `/api/sessions/${session.id}`,
        headers: auth(session),
      });
    }
  });

  it('names the exit code and the output of a command that fails', async () => {
    await app.close();
    app = await buildTestApp({ WARREN_BROKER_RESTART: 'echo "no such broker" >&2; exit 3' });
    await brokerReady(app);
    const session = await createSession(app, { lessonId: 'durability' });
    try {
      const run = await app.inject({
        method: 'POST',
        url: `/api/sessions/${session.id}/lesson/steps/restart/run`,
        headers: auth(session),
      });
      expect(run.statusCode, run.body).toBe(502);
      expect(run.json<ErrorBody>().error.message).toBe(
        'The broker restart command set by WARREN_BROKER_RESTART ended with exit code 3: no such broker',
      );
    } finally {
      await app.inject({
        method: 'DELETE',
        url: `/api/sessions/${session.id}`,
        headers: auth(session),
      });
    }
  });
});
