import { execFileSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CreateSessionResponse,
  ErrorBody,
  HealthResponse,
  LessonProgressReport,
  LessonReply,
  RunLessonStepResponse,
  WarrenEvent,
} from '@warren/protocol';
import { auth, brokerReady, buildTestApp, createSession, management, until } from '../helpers';

/**
 * Lesson 18 on a Warren whose operator allows restarts (WARREN_BROKER_RESTART=rabbitmqctl):
 * the broker application really stops and starts. It stops the broker for everyone on this
 * machine, so this folder runs only in the serial broker-restart stage of `npm test`
 * (WARREN_BROKER_RESTART_TESTS=1, see apps/server/vitest.config.ts), never beside other tests.
 */

let app: FastifyInstance;

beforeAll(async () => {
  app = await buildTestApp({ WARREN_BROKER_RESTART: 'rabbitmqctl' });
  await brokerReady(app);
});

afterAll(async () => {
  await app?.close();
  // Whatever happened, leave the broker running for the next one.
  try {
    execFileSync('rabbitmqctl', ['await_startup'], { stdio: 'pipe', timeout: 60_000 });
  } catch {
    execFileSync('rabbitmqctl', ['start_app'], { stdio: 'pipe', timeout: 60_000 });
  }
});

async function steps(sessionId: string): Promise<LessonProgressReport['steps']> {
  const reply = await app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/lesson` });
  return reply.json<LessonProgressReport>().steps;
}

const done = async (sessionId: string, stepId: string) =>
  (await steps(sessionId)).find((s) => s.id === stepId)?.done === true;

function runStep(session: CreateSessionResponse, stepId: string) {
  return app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/lesson/steps/${stepId}/run`,
    headers: auth(session),
  });
}

/** Every event of a session from now on. */
function record(sessionId: string): WarrenEvent[] {
  const events: WarrenEvent[] = [];
  app.sessions.get(sessionId)!.events.listen((event) => events.push(event));
  return events;
}

describe('lesson 18 across a real broker restart', () => {
  it('keeps the persistent message of durable.q and loses transient.q', async () => {
    const health = (await app.inject({ method: 'GET', url: '/api/health' })).json<HealthResponse>();
    expect(health.brokerRestart).toBe(true);
    const lesson = (
      await app.inject({ method: 'GET', url: '/api/lessons/durability' })
    ).json<LessonReply>();
    expect(lesson.brokerRestart).toBe(true);
    expect(lesson.steps.map((s) => s.id)).toEqual([
      'send-persistent',
      'send-transient',
      'restart',
      'survivors',
    ]);

    const learner = await createSession(app, { lessonId: 'durability' });
    // A second learner on the same lesson, asking for a restart at the same time: refused.
    const other = await createSession(app, { lessonId: 'durability' });
    // Someone else on the broker, not in a lesson: sees the outage and hears the broker is back.
    const bystander = await createSession(app, {
      topology: {
        version: 1,
        exchanges: [],
        queues: [
          { id: 'q', name: 'elsewhere', durable: false, exclusive: false, autoDelete: false },
        ],
        bindings: [],
        producers: [],
      },
    });
    const learnerEvents = record(learner.id);
    const bystanderEvents = record(bystander.id);
    try {
      for (const stepId of ['send-persistent', 'send-transient']) {
        const sent = await runStep(learner, stepId);
        expect(sent.statusCode, sent.body).toBe(200);
        await until(() => done(learner.id, stepId), 20_000, `step ${stepId} ticked`);
      }
      expect(await done(learner.id, 'survivors')).toBe(false);

      const started = Date.now();
      const [restarted, second] = await Promise.all([
        runStep(learner, 'restart'),
        // Sent a moment later, while the first restart runs.
        new Promise((r) => setTimeout(r, 200)).then(() => runStep(other, 'restart')),
      ]);
      expect(restarted.statusCode, restarted.body).toBe(200);
      expect(restarted.json<RunLessonStepResponse>().did).toMatch(/^restarted the broker/);
      expect(second.statusCode, second.body).toBe(409);
      expect(second.json<ErrorBody>().error.code).toBe('BROKER_RESTART_BUSY');

      // The restart was real: the learner's connection went away and came back.
      const phases = learnerEvents.filter((e) => e.type === 'broker-restart').map((e) => e.phase);
      expect(phases).toEqual(['stopping', 'back']);
      const statuses = learnerEvents.filter((e) => e.type === 'broker-status');
      expect(statuses.some((e) => !e.status.amqp)).toBe(true);
      expect(statuses.at(-1)?.status.amqp).toBe(true);

      await until(() => done(learner.id, 'restart'), 10_000, 'the restart step ticked');
      const depthsSeen = () =>
        JSON.stringify(learnerEvents.filter((e) => e.type === 'queue-stats').slice(-3));
      await until(() => done(learner.id, 'survivors'), 20_000, 'the survivors step ticked').catch(
        (error: Error) => {
          throw new Error(`${error.message}; last queue-stats: ${depthsSeen()}`);
        },
      );
      console.log(`restart and recovery took ${Date.now() - started} ms`);

      // As the broker's management API tells it (its figures lag a few seconds).
      const vhost = app.sessions.get(learner.id)!.vhost;
      let depths: Record<string, number | undefined> = {};
      await until(
        async () => {
          const queues = await management().listQueues(vhost);
          depths = Object.fromEntries(queues.map((q) => [q.name, q.messages]));
          // transient.q: declared again by Warren from the diagram after the restart, empty.
          return depths['durable.q'] === 1 && depths['transient.q'] === 0;
        },
        20_000,
        `durable.q 1 and transient.q 0 on the broker, not ${JSON.stringify(depths)}`,
      );

      // The other learner did not restart anything, yet saw the same real restart.
      expect(await done(other.id, 'restart')).toBe(true);
      expect(await done(other.id, 'survivors')).toBe(false);

      await until(
        () => bystanderEvents.some((e) => e.type === 'broker-restart' && e.phase === 'back'),
        10_000,
        'the bystander hears the broker is back',
      );
      expect(bystanderEvents.some((e) => e.type === 'broker-status' && !e.status.amqp)).toBe(true);
    } finally {
      for (const session of [learner, other, bystander]) {
        await app.inject({
          method: 'DELETE',
          url: `/api/sessions/${session.id}`,
          headers: auth(session),
        });
      }
    }
  }, 180_000);
});
