import { LessonProgress, type Lesson, type LessonAction } from '@warren/lessons';
import type { LessonProgressReport } from '@warren/protocol';
import { WarrenError } from '../errors/warren-error';
import type { Session } from '../session/session';
import type { BrokerRestarts } from './broker-restarts';

interface LessonRun {
  lesson: Lesson;
  progress: LessonProgress;
}

/**
 * The lessons sessions run: each session's steps ticked off by its own events, announced as
 * `lesson-progress`, and steps' actions carried out on its broker. Held per session object,
 * so a run ends with its session.
 */
export class LessonRuns {
  private readonly runs = new WeakMap<Session, LessonRun>();

  constructor(private readonly restarts: BrokerRestarts) {}

  /** Whether steps that restart the broker can run here (the operator's WARREN_BROKER_RESTART). */
  get brokerRestart(): boolean {
    return this.restarts.allowed;
  }

  /** Runs `lesson` in `session`; `done`: steps done before a restart of the server. */
  start(session: Session, lesson: Lesson, done: readonly string[] = []): void {
    const run = { lesson, progress: new LessonProgress(lesson) };
    run.progress.restore(done);
    this.runs.set(session, run);
    session.trackLesson(() => run.progress.doneIds());
    session.events.watch((event) => {
      if (event.type !== 'lesson-progress' && run.progress.observe(event)) {
        // After the event that did it has reached every viewer: seq stays in order for them.
        queueMicrotask(() => this.announce(session, run));
      }
    });
  }

  lessonOf(session: Session): Lesson | undefined {
    return this.runs.get(session)?.lesson;
  }

  report(session: Session): LessonProgressReport {
    const run = this.runOf(session);
    return { lessonId: run.lesson.id, steps: run.progress.steps() };
  }

  /** Carries out a step's action; says what it did. */
  async runStep(session: Session, stepId: string): Promise<string> {
    const run = this.runOf(session);
    const step = run.lesson.steps.find((s) => s.id === stepId);
    if (!step) {
      throw new WarrenError(
        'NOT_FOUND',
        `Lesson "${run.lesson.id}" has no step "${stepId}"; its steps are ${run.lesson.steps.map((s) => `"${s.id}"`).join(', ')}.`,
        { path: '/stepId' },
      );
    }
    if (!step.action) {
      throw new WarrenError(
        'INVALID_REQUEST',
        `Step "${stepId}" has nothing to run: it asks you to ${step.title.toLowerCase()} yourself.`,
        { path: '/stepId' },
      );
    }
    const did =
      step.action.kind === 'restart-broker'
        ? await this.restarts.restart(session)
        : await perform(session, step.action);
    await session.saveRuntime();
    if (run.progress.actionRan(stepId)) this.announce(session, run);
    return did;
  }

  private runOf(session: Session): LessonRun {
    const run = this.runs.get(session);
    if (!run) {
      throw new WarrenError('LESSON_NOT_FOUND', `Session ${session.id} does not run a lesson.`, {
        hint: 'Start one with POST /api/sessions {"lessonId": "…"}; GET /api/lessons lists them.',
      });
    }
    return run;
  }

  private announce(session: Session, run: LessonRun): void {
    session.events.emit({
      type: 'lesson-progress',
      lessonId: run.lesson.id,
      steps: run.progress.steps(),
    });
    // Kept, so a restart of the server does not start the lesson over.
    void session.saveRuntime().catch(() => {});
  }
}

const CONSUMER_VERBS = {
  'start-consumer': ['start', 'started'],
  'pause-consumer': ['pause', 'paused'],
  'resume-consumer': ['resume', 'resumed'],
  'kill-consumer': ['kill', 'killed'],
} as const;

function missing(kind: 'producer' | 'consumer', id: string): WarrenError {
  return new WarrenError(
    'NOT_FOUND',
    `The diagram has no ${kind} "${id}" any more; the step needs it (reset the lesson to get it back).`,
    { path: '/action' },
  );
}

async function perform(
  session: Session,
  action: Exclude<LessonAction, { kind: 'restart-broker' }>,
): Promise<string> {
  switch (action.kind) {
    case 'publish': {
      for (const message of action.messages) {
        await session.publish({
          exchange: message.exchange,
          routingKey: message.routingKey ?? '',
          payload: message.payload ?? message.routingKey ?? '',
          ...(message.headers ? { headers: message.headers } : {}),
          ...(message.mandatory ? { mandatory: true } : {}),
          ...(message.messageId ? { messageId: message.messageId } : {}),
          ...(message.producer ? { producerId: message.producer } : {}),
        });
      }
      const count = action.messages.length;
      return `published ${count} message${count === 1 ? '' : 's'}`;
    }
    case 'send': {
      if (!session.topology.producers.some((p) => p.id === action.producer)) {
        throw missing('producer', action.producer);
      }
      const count = action.count ?? 1;
      await session.producers.send(action.producer, count);
      return `sent ${count} message${count === 1 ? '' : 's'} with producer ${action.producer}`;
    }
    case 'start-producer':
    case 'stop-producer': {
      if (!session.topology.producers.some((p) => p.id === action.producer)) {
        throw missing('producer', action.producer);
      }
      if (action.kind === 'start-producer') session.producers.start(action.producer);
      else await session.producers.stop(action.producer);
      return `${action.kind === 'start-producer' ? 'started' : 'stopped'} producer ${action.producer}`;
    }
    default: {
      const [verb, past] = CONSUMER_VERBS[action.kind];
      const state = await session.consumers[verb](action.consumer);
      if (!state) throw missing('consumer', action.consumer);
      return `${past} consumer ${action.consumer}`;
    }
  }
}
