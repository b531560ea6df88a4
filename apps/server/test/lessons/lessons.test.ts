import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type {
  CreateSessionResponse,
  ErrorBody,
  LessonProgressReport,
  LessonReply,
  LessonsResponse,
  RunLessonStepResponse,
} from '@warren/protocol';
import { needsBrokerRestart } from '@warren/lessons';
import { appPerFile, auth, until } from '../helpers';

/**
 * Every lesson of the gallery, run through the API on the real broker: its session starts from
 * the lesson's diagram, each step's action runs, and every check ticks itself off. Steps that
 * need a broker restart are not available here (restarts are off, as by default): they are
 * skipped by name, after checking that running one is refused and that they stay undone. The
 * serial broker-restart stage runs lesson 18 with the restart (test/broker-restart/).
 */

let app: FastifyInstance;
appPerFile((built) => (app = built));

async function progress(sessionId: string): Promise<LessonProgressReport> {
  const reply = await app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/lesson` });
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json<LessonProgressReport>();
}

/** Runs a lesson's steps; answers the ids of the steps skipped as not available here. */
async function runLesson(id: string): Promise<string[]> {
  const lesson = (
    await app.inject({ method: 'GET', url: `/api/lessons/${id}` })
  ).json<LessonReply>();
  expect(lesson.brokerRestart).toBe(false);
  const skipped: string[] = [];
  const created = await app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: { lessonId: id },
  });
  expect(created.statusCode, created.body).toBe(201);
  const session = created.json<CreateSessionResponse>();
  expect(session.lessonId).toBe(id);
  expect(session.nodeErrors ?? []).toEqual([]);
  try {
    for (const step of lesson.steps) {
      if (needsBrokerRestart(step)) {
        if (step.action) {
          const refused = await app.inject({
            method: 'POST',
            url: `/api/sessions/${session.id}/lesson/steps/${step.id}/run`,
            headers: auth(session),
          });
          expect(refused.statusCode, refused.body).toBe(403);
          expect(refused.json<ErrorBody>().error).toMatchObject({
            code: 'BROKER_RESTART_NOT_ALLOWED',
            message: expect.stringMatching(
              /^This Warren does not restart the broker; its operator allows it with WARREN_BROKER_RESTART/,
            ),
          });
        }
        skipped.push(step.id);
        continue;
      }
      if (step.action) {
        const ran = await app.inject({
          method: 'POST',
          url: `/api/sessions/${session.id}/lesson/steps/${step.id}/run`,
          headers: auth(session),
        });
        expect(ran.statusCode, `${id}/${step.id}: ${ran.body}`).toBe(200);
        expect(ran.json<RunLessonStepResponse>().did).not.toBe('');
      }
      await until(
        async () => (await progress(session.id)).steps.find((s) => s.id === step.id)?.done === true,
        20_000,
        `${id}: step "${step.id}" is not ticked off`,
      );
    }
    const report = await progress(session.id);
    for (const stepId of skipped) {
      expect(report.steps.find((s) => s.id === stepId)?.done, `${id}/${stepId}`).toBe(false);
    }
    return skipped;
  } finally {
    await app.inject({
      method: 'DELETE',
      url: `/api/sessions/${session.id}`,
      headers: auth(session),
    });
  }
}

describe('the lesson gallery', () => {
  it('lists every lesson by number, each readable whole', async () => {
    const reply = await app.inject({ method: 'GET', url: '/api/lessons' });
    const { lessons: list } = reply.json<LessonsResponse>();
    expect(list.map((l) => l.number)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(list[6]).toMatchObject({ id: 'topic', title: 'Topic routing' });
    const one = await app.inject({ method: 'GET', url: '/api/lessons/topic' });
    expect(one.json<LessonReply>().steps.map((s) => s.id)).toEqual([
      'critical-order',
      'login',
      'nowhere',
    ]);
  });

  it('names a lesson that does not exist, and a session that runs none', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/lessons/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorBody>().error.code).toBe('LESSON_NOT_FOUND');
    const start = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { lessonId: 'nope' },
    });
    expect(start.json<ErrorBody>().error).toMatchObject({
      code: 'LESSON_NOT_FOUND',
      path: '/lessonId',
    });
    const plain = (
      await app.inject({ method: 'POST', url: '/api/sessions' })
    ).json<CreateSessionResponse>();
    const none = await app.inject({ method: 'GET', url: `/api/sessions/${plain.id}/lesson` });
    expect(none.statusCode).toBe(404);
    await app.inject({ method: 'DELETE', url: `/api/sessions/${plain.id}`, headers: auth(plain) });
  });

  it('refuses to run a step without the edit token, or one that has nothing to run', async () => {
    const session = (
      await app.inject({
        method: 'POST',
        url: '/api/sessions',
        payload: { lessonId: 'hello-world' },
      })
    ).json<CreateSessionResponse>();
    const anonymous = await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/lesson/steps/send/run`,
    });
    expect(anonymous.statusCode).toBe(401);
    const reading = await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/lesson/steps/look/run`,
      headers: auth(session),
    });
    expect(reading.statusCode).toBe(400);
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/lesson/steps/fly/run`,
      headers: auth(session),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ErrorBody>().error.message).toContain('"look", "send", "ack"');
    await app.inject({
      method: 'DELETE',
      url: `/api/sessions/${session.id}`,
      headers: auth(session),
    });
  });

  const ids = [
    'hello-world',
    'work-queue',
    'fanout',
    'temporary-queues',
    'direct-routing',
    'direct-load-balancing',
    'topic',
    'headers',
    'multiple-producers',
    'rpc',
    'exchange-to-exchange',
    'alternate-exchange',
    'mandatory-return',
    'dead-letter-reject',
    'delayed-retry',
    'max-length',
    'consistent-hash',
    'durability',
    'publisher-confirms',
    'reliable-producer',
    'reliable-consumer',
    'idempotent-consumer',
    'microservices',
  ];
  it.each(ids.filter((id) => id !== 'durability'))(
    'runs lesson "%s" and sees every check tick',
    async (id) => expect(await runLesson(id)).toEqual([]),
    60_000,
  );

  it('runs lesson "durability" up to the broker restart, which is not available here', async () => {
    expect(await runLesson('durability')).toEqual(['restart', 'survivors']);
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json<{ brokerRestart: boolean }>().brokerRestart).toBe(false);
  }, 60_000);
});
