import type { ServerFrame, WarrenEvent } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import type { TopicBus } from '../broker/topic-bus';
import type { Session } from '../session/session';
import type { LessonRuns } from './lesson-runs';

export type HelloFrame = Extract<ServerFrame, { type: 'hello' }>;
/** A session as a follower's hello needs it, without the classroom part. */
export type SessionSnapshot = Omit<HelloFrame, 'type' | 'classroom'>;

/** What the server running a classroom's session answers to the other servers. */
export type HomeRequest =
  { kind: 'snapshot' } | { kind: 'topology' } | { kind: 'reveal'; questionId: string };

/** Routing keys of a classroom on the bus. */
export const classroomKeys = (code: string) => ({
  /** The session's events, in batches (`{ events }`), for every follower on every server. */
  events: `${code}.events`,
  /** Classroom frames (the whole state and what changed). */
  classroom: `${code}.classroom`,
  /** Requests to the server that runs the session (see HomeRequest). */
  home: `${code}.home`,
});

/** A session's state for a hello: queue depths are read first, the rest in one synchronous step. */
export async function snapshotOf(session: Session, lessons: LessonRuns): Promise<SessionSnapshot> {
  const queues = await session.queueStates().catch(() => []);
  // From here on synchronous: seq is exactly the last event this snapshot includes.
  return {
    sessionId: session.id,
    seq: session.events.lastSeq,
    topology: session.topology,
    queues,
    broker: session.broker,
    ...session.observation.topologyExtras(session.topology),
    counters: session.counters.snapshot(),
    ...(lessons.lessonOf(session) ? { lesson: lessons.report(session) } : {}),
  };
}

export interface HomeDeps {
  bus: TopicBus;
  lessons: LessonRuns;
  /** The diagram changed: keep it where other servers fork sandboxes from. */
  topologyChanged: (topology: Topology) => void;
  /** Answers a request other than a snapshot or the diagram (a reveal). */
  answer: (request: HomeRequest) => Promise<unknown>;
  log: { warn: (obj: object, msg: string) => void };
}

/**
 * The classroom side of the server that runs the teacher's session: every event of the session
 * goes out through the broker (followers on any server, this one included, read it from there),
 * and the other servers' requests for the session's state are answered here.
 */
export class ClassroomHome {
  private batch: WarrenEvent[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly stopWatching: () => void;
  private stopServing: (() => void) | undefined;
  private closed = false;

  private constructor(
    readonly code: string,
    readonly session: Session,
    private readonly deps: HomeDeps,
  ) {
    const keys = classroomKeys(code);
    // Watching (not only listening) keeps the session observed in full while the class follows.
    this.stopWatching = session.events.watch((event) => {
      this.batch.push(event);
      if (event.type === 'topology') deps.topologyChanged(event.topology);
      this.scheduled ??= setImmediate(() => this.flush(keys.events));
    });
  }

  static async open(code: string, session: Session, deps: HomeDeps): Promise<ClassroomHome> {
    const home = new ClassroomHome(code, session, deps);
    home.stopServing = await deps.bus.serve(classroomKeys(code).home, async (content) => {
      const request = JSON.parse(content.toString('utf8')) as HomeRequest;
      if (request.kind === 'snapshot') return snapshotOf(session, deps.lessons);
      if (request.kind === 'topology') return session.topology;
      return deps.answer(request);
    });
    if (home.closed) home.stopServing();
    return home;
  }

  private flush(key: string): void {
    this.scheduled = undefined;
    const events = this.batch;
    this.batch = [];
    if (events.length === 0 || this.closed) return;
    if (!this.deps.bus.publish(key, { events })) {
      this.deps.log.warn(
        { classroom: this.code, events: events.length },
        'classroom events not sent: the broker cannot be reached',
      );
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearImmediate(this.scheduled);
    this.stopWatching();
    this.stopServing?.();
  }
}
