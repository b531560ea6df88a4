import { randomBytes } from 'node:crypto';
import type {
  ClassroomFrame,
  ClassroomMode,
  ClassroomState,
  ClassroomSummary,
  ClassroomViewRequest,
  CreateForkResponse,
  ErrorCode,
  Question,
  QuestionMessage,
} from '@warren/protocol';
import { ERROR_CODES } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import type { ManagementClient } from '../broker/management';
import { BusRemoteError, BusRequestError, type TopicBus } from '../broker/topic-bus';
import { WarrenError } from '../errors/warren-error';
import type { Session } from '../session/session';
import type { SessionRegistry } from '../session/session-registry';
import type { ClassroomStore, StoredClassroom } from '../store/classroom-store';
import { normalCode } from '../store/classroom-store';
import {
  ClassroomHome,
  classroomKeys,
  snapshotOf,
  type HomeRequest,
  type SessionSnapshot,
} from './classroom-home';
import { ClassroomRoom, type ClassroomSocket } from './classroom-room';
import { predictionOf, questionWithTally } from './classroom-tally';
import type { LessonCatalogue } from './lesson-catalogue';
import type { LessonRuns } from './lesson-runs';

/** How often a server tells the store it still has its followers. */
const PRESENCE_HEARTBEAT_MS = 10_000;
/** Follower counts are written at most this often per classroom (a class joining at once). */
const PRESENCE_DEBOUNCE_MS = 50;
/** How long a follower connecting while the broker connection is down waits for it. */
const BUS_WAIT_MS = 10_000;
/** A room nobody is in stops listening after this long. */
const EMPTY_ROOM_MS = 5000;

export interface ClassroomDeps {
  /** This server among those sharing the store (its follower counts are kept under it). */
  serverId: string;
  store: ClassroomStore;
  bus: TopicBus;
  sessions: SessionRegistry;
  lessons: LessonRuns;
  /** The lessons, to check that a step the teacher shows is one of the lesson's. */
  catalogue: LessonCatalogue;
  management: ManagementClient;
  vhostPrefix: string;
  log: {
    info: (obj: object, msg: string) => void;
    warn: (obj: object, msg: string) => void;
  };
}

/** A request served by another server failed: the same error here, in the catalogue's terms. */
function fromBus(error: unknown): unknown {
  if (error instanceof BusRemoteError) {
    const code =
      typeof error.code === 'string' && error.code in ERROR_CODES ? error.code : undefined;
    return new WarrenError((code as ErrorCode | undefined) ?? 'INTERNAL', error.message);
  }
  if (error instanceof BusRequestError) {
    return error.unrouted
      ? new WarrenError(
          'SESSION_NOT_FOUND',
          "The teacher's session is not running on any Warren server any more.",
        )
      : new WarrenError(
          'BROKER_UNAVAILABLE',
          `The classroom's server did not answer: ${error.message}.`,
        );
  }
  return error;
}

/**
 * Live classrooms, as one Warren server among several sharing a broker and a store. The state
 * lives in the store; the session's events and every change of the classroom travel through the
 * broker (see TopicBus), so a follower may be connected to any server. The server that runs the
 * teacher's session is the classroom's home (see ClassroomHome).
 */
export class Classrooms {
  private readonly homes = new Map<string, ClassroomHome>();
  private readonly stopHomeListening = new Map<string, () => void>();
  private readonly rooms = new Map<string, Promise<ClassroomRoom>>();
  private readonly opening = new Map<string, Promise<{ code: string; created: boolean }>>();
  private readonly presenceTimers = new Map<string, NodeJS.Timeout>();
  private readonly emptyTimers = new Map<string, NodeJS.Timeout>();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopRemoved: (() => void) | undefined;
  private readonly stopBus: (() => void)[] = [];

  constructor(private readonly deps: ClassroomDeps) {}

  get serverId(): string {
    return this.deps.serverId;
  }

  start(): void {
    this.stopRemoved = this.deps.sessions.onRemoved((id) => {
      for (const home of this.homes.values()) {
        if (home.session.id !== id) continue;
        void this.close(home.code).catch((error: unknown) =>
          this.deps.log.warn({ err: error, classroom: home.code }, 'closing a classroom failed'),
        );
      }
    });
    // Events published or sent while a broker connection was down are gone: followers start over.
    this.stopBus.push(
      this.deps.bus.on('lost', () => {
        for (const room of this.rooms.values()) void room.then((r) => r.resync()).catch(() => {});
      }),
      this.deps.bus.on('restored', () => {
        const restoredAt = Date.now();
        for (const code of this.homes.keys()) {
          this.deps.bus.publish(classroomKeys(code).resync, { restoredAt });
        }
      }),
    );
    this.heartbeat = setInterval(() => void this.beat(), PRESENCE_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Opens a classroom on a session of this server, or gives back the one it has open. */
  open(session: Session, teacherToken: string): Promise<{ code: string; created: boolean }> {
    const running = this.opening.get(session.id);
    if (running) return running.then((r) => ({ ...r, created: false }));
    const opened = this.openNow(session, teacherToken).finally(() =>
      this.opening.delete(session.id),
    );
    this.opening.set(session.id, opened);
    return opened;
  }

  private async openNow(
    session: Session,
    teacherToken: string,
  ): Promise<{ code: string; created: boolean }> {
    const existing = await this.deps.store.openOfSession(session.id);
    if (existing) {
      if (!this.homes.has(existing.code)) await this.openHome(existing.code, session);
      return { code: existing.code, created: false };
    }
    const classroom = await this.deps.store.create({
      sessionId: session.id,
      teacherToken,
      lessonId: this.deps.lessons.lessonOf(session)?.id,
      topology: JSON.stringify(session.topology),
    });
    await this.openHome(classroom.code, session);
    this.deps.log.info({ classroom: classroom.code, session: session.id }, 'classroom opened');
    return { code: classroom.code, created: true };
  }

  private async openHome(code: string, session: Session): Promise<void> {
    let home: ClassroomHome | undefined;
    try {
      home = await ClassroomHome.open(code, session, {
        bus: this.deps.bus,
        lessons: this.deps.lessons,
        topologyChanged: (topology) =>
          void this.deps.store
            .update(code, { topology: JSON.stringify(topology) })
            .catch((error: unknown) =>
              this.deps.log.warn({ err: error, classroom: code }, 'keeping the diagram failed'),
            ),
        answer: (request) => this.answerHome(code, request),
        log: this.deps.log,
      });
      this.homes.set(code, home);
      // Closed from another server: stop sending the session's events.
      const stop = await this.deps.bus.listen(classroomKeys(code).classroom, (content) => {
        const frame = JSON.parse(content.toString('utf8')) as ClassroomFrame;
        if (frame.change === 'closed') this.closeHome(code);
      });
      this.stopHomeListening.set(code, stop);
    } catch (error) {
      // The classroom stays in the store: opening it again (same call) tries again.
      this.closeHome(code);
      home?.close();
      this.deps.log.warn(
        { err: error, classroom: code },
        'opening a classroom on the broker failed',
      );
      throw new WarrenError(
        'BROKER_UNAVAILABLE',
        'The classroom cannot reach RabbitMQ right now; try again in a moment.',
      );
    }
  }

  private closeHome(code: string): void {
    this.homes.get(code)?.close();
    this.homes.delete(code);
    this.stopHomeListening.get(code)?.();
    this.stopHomeListening.delete(code);
  }

  private async answerHome(code: string, request: HomeRequest): Promise<unknown> {
    if (request.kind === 'reveal') return this.revealHere(code, request.questionId);
    throw new WarrenError('INVALID_REQUEST', `Unknown request ${JSON.stringify(request)}.`);
  }

  /** The classroom as every follower sees it now. */
  async state(code: string): Promise<ClassroomState> {
    return this.stateOf(await this.deps.store.get(code));
  }

  private async stateOf(classroom: StoredClassroom): Promise<ClassroomState> {
    const { store } = this.deps;
    const question =
      classroom.questionId === null
        ? null
        : questionWithTally(await store.question(classroom.code, classroom.questionId));
    return {
      ...(await this.summaryOf(classroom)),
      viewport: classroom.viewport,
      selection: classroom.selection,
      stepId: classroom.stepId,
      question,
    };
  }

  async summary(code: string): Promise<ClassroomSummary> {
    return this.summaryOf(await this.deps.store.get(code));
  }

  private async summaryOf(classroom: StoredClassroom): Promise<ClassroomSummary> {
    return {
      code: classroom.code,
      sessionId: classroom.sessionId,
      followers: await this.deps.store.followers(classroom.code),
      mode: classroom.mode,
      ...(classroom.lessonId === null ? {} : { lessonId: classroom.lessonId }),
    };
  }

  /** Tells every follower on every server: the state now, and what changed. */
  private async broadcast(
    code: string,
    changes: ClassroomFrame['change'][],
  ): Promise<ClassroomState> {
    const classroom = await this.state(code);
    for (const change of changes) {
      this.deps.bus.publish(classroomKeys(code).classroom, {
        type: 'classroom',
        change,
        classroom,
      } satisfies ClassroomFrame);
    }
    return classroom;
  }

  async view(code: string, token: string | undefined, view: ClassroomViewRequest): Promise<void> {
    const classroom = await this.deps.store.asTeacher(code, token);
    const lesson =
      classroom.lessonId === null ? undefined : this.deps.catalogue.get(classroom.lessonId);
    if (
      lesson &&
      typeof view.stepId === 'string' &&
      !lesson.steps.some((step) => step.id === view.stepId)
    ) {
      throw new WarrenError(
        'INVALID_REQUEST',
        `Lesson "${lesson.id}" has no step "${view.stepId}"; its steps are ${lesson.steps.map((s) => `"${s.id}"`).join(', ')}.`,
        { path: '/stepId' },
      );
    }
    await this.deps.store.update(classroom.code, view);
    const changes: ClassroomFrame['change'][] = [];
    if (view.viewport !== undefined) changes.push('viewport');
    if (view.selection !== undefined) changes.push('selection');
    if (view.stepId !== undefined) changes.push('step');
    if (changes.length > 0) await this.broadcast(classroom.code, changes);
  }

  async setMode(
    code: string,
    token: string | undefined,
    mode: ClassroomMode,
  ): Promise<ClassroomState> {
    const classroom = await this.deps.store.asTeacher(code, token);
    await this.deps.store.update(classroom.code, { mode });
    return this.broadcast(classroom.code, ['mode']);
  }

  async ask(code: string, token: string | undefined, message: QuestionMessage): Promise<Question> {
    const classroom = await this.deps.store.asTeacher(code, token);
    const id = await this.deps.store.ask(classroom.code, message);
    const state = await this.broadcast(classroom.code, ['question']);
    return state.question ?? questionWithTally(await this.deps.store.question(classroom.code, id));
  }

  async answer(
    code: string,
    questionId: string,
    queues: string[],
    followerId: string | undefined,
  ): Promise<Question> {
    const { store } = this.deps;
    const classroom = await store.get(code);
    const question = await store.question(classroom.code, questionId);
    if (question.revealed !== null) {
      throw new WarrenError(
        'INVALID_REQUEST',
        'This question was already answered by the broker; wait for the next one.',
        { path: '/queues' },
        { status: 409 },
      );
    }
    await store.answer(
      question.id,
      followerId ?? randomBytes(9).toString('base64url'),
      predictionOf(queues),
    );
    const answered = questionWithTally(await store.question(classroom.code, questionId));
    if (classroom.questionId === questionId) await this.broadcast(classroom.code, ['question']);
    return answered;
  }

  /**
   * The teacher publishes the question's message on the session, through the same path as any
   * publish; the broker's routing (the firehose's) is the answer. Served by the session's server.
   */
  async reveal(code: string, token: string | undefined, questionId: string): Promise<Question> {
    const classroom = await this.deps.store.asTeacher(code, token);
    await this.deps.store.question(classroom.code, questionId);
    if (this.homes.has(classroom.code)) return this.revealHere(classroom.code, questionId);
    try {
      return await this.deps.bus.request<Question>(
        classroomKeys(classroom.code).home,
        { kind: 'reveal', questionId } satisfies HomeRequest,
        15_000,
      );
    } catch (error) {
      throw fromBus(error);
    }
  }

  private async revealHere(code: string, questionId: string): Promise<Question> {
    const home = this.homes.get(code);
    if (!home) throw new WarrenError('CLASSROOM_NOT_FOUND');
    const { store } = this.deps;
    const question = await store.question(code, questionId);
    const { message } = question;
    const published = await home.session.publish({
      exchange: message.exchange,
      routingKey: message.routingKey ?? '',
      payload: message.payload ?? '',
      ...(message.headers ? { headers: message.headers } : {}),
    });
    await store.reveal(questionId, {
      routedQueues: [...published.routedQueues].sort(),
      messageId: published.messageId,
      at: new Date().toISOString(),
    });
    const classroom = await store.get(code);
    if (classroom.questionId === questionId) await this.broadcast(code, ['question']);
    return questionWithTally(await store.question(code, questionId));
  }

  /**
   * A sandbox of the follower's own (its own vhost and broker user) running the teacher's diagram
   * as it is now. The same follower id gets the same sandbox back while it exists.
   */
  async fork(
    code: string,
    followerId: string | undefined,
  ): Promise<{ fork: CreateForkResponse; created: boolean }> {
    const { store } = this.deps;
    const classroom = await store.get(code);
    const known =
      followerId === undefined ? undefined : await store.fork(classroom.code, followerId);
    if (known && (await this.sessionExists(known.sessionId))) {
      return { fork: { ...known, existing: true }, created: false };
    }
    const topology = await this.currentTopology(classroom);
    const { session, editToken } = await this.deps.sessions.create(topology);
    const fork = { sessionId: session.id, editToken };
    const owner = followerId ?? randomBytes(9).toString('base64url');
    if (known) await store.replaceFork(classroom.code, owner, fork);
    else if (!(await store.addFork(classroom.code, owner, fork))) {
      // The same follower asked twice at once; the other request's sandbox wins.
      await this.deps.sessions.remove(session.id);
      const other = await store.fork(classroom.code, owner);
      if (other) return { fork: { ...other, existing: true }, created: false };
    }
    return { fork, created: true };
  }

  private async sessionExists(id: string): Promise<boolean> {
    if (this.deps.sessions.get(id)) return true;
    const vhosts = await this.deps.management.listVhosts();
    return vhosts.some((v) => v.name === `${this.deps.vhostPrefix}${id}`);
  }

  /** The teacher's diagram: from its server when it answers, else as the store last saw it. */
  private async currentTopology(classroom: StoredClassroom): Promise<Topology> {
    const home = this.homes.get(classroom.code);
    if (home) return home.session.topology;
    try {
      return await this.deps.bus.request<Topology>(
        classroomKeys(classroom.code).home,
        { kind: 'topology' } satisfies HomeRequest,
        3000,
      );
    } catch {
      return JSON.parse(classroom.topology) as Topology;
    }
  }

  /** Closes a classroom: followers get a last frame (`closed`), the session goes on. */
  async closeAsTeacher(code: string, token: string | undefined): Promise<void> {
    const classroom = await this.deps.store.asTeacher(code, token);
    await this.close(classroom.code);
  }

  private async close(code: string): Promise<void> {
    const state = await this.state(code).catch(() => undefined);
    this.closeHome(code);
    if (!state || !(await this.deps.store.close(code))) return;
    this.deps.bus.publish(classroomKeys(code).classroom, {
      type: 'classroom',
      change: 'closed',
      classroom: { ...state, followers: 0 },
    } satisfies ClassroomFrame);
    this.deps.log.info({ classroom: code }, 'classroom closed');
  }

  /**
   * Connects a websocket to a classroom: a hello with the session and the classroom as they are,
   * then the session's events and the classroom frames. Gives the function that disconnects it.
   * `teacher` (with the session's edit token) is the teacher's own page: not counted.
   */
  async follow(
    code: string,
    socket: ClassroomSocket,
    teacher: { token: string | undefined } | undefined,
  ): Promise<() => void> {
    const { store } = this.deps;
    const classroom = teacher ? await store.asTeacher(code, teacher.token) : await store.get(code);
    // Without the broker a follower would get a hello and then nothing.
    if (!(await this.deps.bus.ready(BUS_WAIT_MS))) {
      throw new WarrenError(
        'BROKER_UNAVAILABLE',
        'The classroom cannot reach RabbitMQ right now; reconnect in a moment.',
      );
    }
    const room = await this.room(classroom.code);
    const member = room.join(socket, teacher === undefined);
    const leave = () => {
      room.leave(member);
      if (member.counted) this.presenceChanged(classroom.code);
      if (room.size === 0) this.emptied(classroom.code, room);
    };
    if (member.counted) this.presenceChanged(classroom.code);
    try {
      const snapshot = await this.snapshot(classroom.code);
      room.markRead(member);
      room.hello(member, snapshot, await this.state(classroom.code));
    } catch (error) {
      leave();
      throw error;
    }
    return leave;
  }

  private async snapshot(code: string): Promise<SessionSnapshot> {
    const home = this.homes.get(code);
    if (home) return snapshotOf(home.session, this.deps.lessons);
    try {
      return await this.deps.bus.request<SessionSnapshot>(classroomKeys(code).home, {
        kind: 'snapshot',
      } satisfies HomeRequest);
    } catch (error) {
      throw fromBus(error);
    }
  }

  private async room(code: string): Promise<ClassroomRoom> {
    clearTimeout(this.emptyTimers.get(code));
    this.emptyTimers.delete(code);
    let room = this.rooms.get(code);
    if (!room) {
      room = ClassroomRoom.open(code, this.deps.bus);
      this.rooms.set(code, room);
      room.catch(() => this.rooms.delete(code));
    }
    return room;
  }

  private emptied(code: string, room: ClassroomRoom): void {
    clearTimeout(this.emptyTimers.get(code));
    const timer = setTimeout(() => {
      this.emptyTimers.delete(code);
      if (room.size > 0) return;
      this.rooms.delete(code);
      room.close();
    }, EMPTY_ROOM_MS);
    timer.unref();
    this.emptyTimers.set(code, timer);
  }

  /** This server's follower count changed: store it (debounced) and tell everyone the total. */
  private presenceChanged(code: string): void {
    if (this.presenceTimers.has(code)) return;
    const timer = setTimeout(() => {
      this.presenceTimers.delete(code);
      void this.writePresence(code)
        .then(() => this.broadcast(code, ['followers']))
        .catch((error: unknown) => {
          // Closed meanwhile: nobody to tell.
          if (error instanceof WarrenError && error.code === 'CLASSROOM_NOT_FOUND') return;
          this.deps.log.warn({ err: error, classroom: code }, 'counting followers failed');
        });
    }, PRESENCE_DEBOUNCE_MS);
    this.presenceTimers.set(code, timer);
  }

  private async writePresence(code: string): Promise<void> {
    const room = await this.rooms.get(code);
    await this.deps.store.setPresence(code, this.deps.serverId, room?.followers ?? 0);
  }

  /** Keeps this server's counts fresh, and the teacher's session alive while the class follows. */
  private async beat(): Promise<void> {
    try {
      for (const code of this.rooms.keys()) await this.writePresence(code);
      for (const home of this.homes.values()) {
        if ((await this.deps.store.followers(home.code)) > 0) home.session.touch();
      }
    } catch (error) {
      this.deps.log.warn({ err: error }, 'classroom heartbeat failed');
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    this.stopRemoved?.();
    for (const stop of this.stopBus) stop();
    for (const timer of [...this.presenceTimers.values(), ...this.emptyTimers.values()]) {
      clearTimeout(timer);
    }
    for (const code of [...this.homes.keys()]) {
      await this.close(code).catch((error: unknown) =>
        this.deps.log.warn({ err: error, classroom: code }, 'closing a classroom failed'),
      );
    }
    for (const room of this.rooms.values()) void room.then((r) => r.close()).catch(() => {});
    this.rooms.clear();
    await this.deps.store.forgetServer(this.deps.serverId).catch(() => {});
  }
}

export { normalCode };
