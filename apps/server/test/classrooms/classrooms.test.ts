import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClassroomState,
  ClassroomSummary,
  CreateClassroomResponse,
  CreateForkResponse,
  CreateSessionResponse,
  ErrorBody,
  Question,
} from '@warren/protocol';
import { brokerReady, buildTestApp, management, topicTopology, until } from '../helpers';
import { call, followClassroom, helloOf, type ClassroomClient } from './classroom-client';

/**
 * A classroom on one real server and the real broker: open, follow, steer, fork, ask and reveal,
 * and every kind of bad input. Followers are real websockets.
 */

const PORT = Number(process.env.CLASSROOM_TEST_PORT ?? 5301);
let app: FastifyInstance;
let base: string;
const clients: ClassroomClient[] = [];

beforeAll(async () => {
  app = await buildTestApp();
  await brokerReady(app);
  await app.listen({ port: PORT, host: '127.0.0.1' });
  base = `http://127.0.0.1:${PORT}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await app.close();
});

async function teacherSession(): Promise<CreateSessionResponse> {
  const made = await call<CreateSessionResponse>(base, 'POST', '/api/sessions', {
    topology: topicTopology(),
  });
  expect(made.status).toBe(201);
  return made.body;
}

async function openClassroom(session: CreateSessionResponse): Promise<string> {
  const opened = await call<CreateClassroomResponse>(
    base,
    'POST',
    `/api/sessions/${session.id}/classroom`,
    undefined,
    session.editToken,
  );
  expect(opened.status).toBe(201);
  return opened.body.code;
}

async function follow(code: string, query = ''): Promise<ClassroomClient> {
  const client = await followClassroom(base, code, query);
  clients.push(client);
  return client;
}

describe('a live classroom', () => {
  it('opens with a join link, once per session, and tells who follows', async () => {
    const session = await teacherSession();
    const first = await call<CreateClassroomResponse>(
      base,
      'POST',
      `/api/sessions/${session.id}/classroom`,
      undefined,
      session.editToken,
    );
    expect(first.status).toBe(201);
    expect(first.body.code).toMatch(/^[A-Z0-9]{6}$/);
    expect(first.body.joinUrl).toBe(`${base}/join/${first.body.code}`);
    const again = await call<CreateClassroomResponse>(
      base,
      'POST',
      `/api/sessions/${session.id}/classroom`,
      undefined,
      session.editToken,
    );
    expect(again).toEqual({ status: 200, body: first.body });

    const summary = await call<ClassroomSummary>(base, 'GET', `/api/classrooms/${first.body.code}`);
    expect(summary).toEqual({
      status: 200,
      body: { code: first.body.code, sessionId: session.id, followers: 0, mode: 'follow' },
    });
    // A student may type the code in lower case.
    expect(
      (await call(base, 'GET', `/api/classrooms/${first.body.code.toLowerCase()}`)).status,
    ).toBe(200);

    const a = await follow(first.body.code);
    const b = await follow(first.body.code);
    const teacher = await follow(first.body.code, `?role=teacher&token=${session.editToken}`);
    await Promise.all([helloOf(a), helloOf(b), helloOf(teacher)]);
    await until(
      async () =>
        (await call<ClassroomSummary>(base, 'GET', `/api/classrooms/${first.body.code}`)).body
          .followers === 2,
      5000,
      'two followers counted',
    );
    await until(
      () =>
        teacher
          .classroomFrames()
          .some((f) => f.change === 'followers' && f.classroom.followers === 2),
      5000,
      'the teacher hears of two followers',
    );
    await b.close();
    await until(
      async () =>
        (await call<ClassroomSummary>(base, 'GET', `/api/classrooms/${first.body.code}`)).body
          .followers === 1,
      5000,
      'one follower left',
    );
  });

  it('greets a follower with the session and the classroom, then streams events and changes', async () => {
    const session = await teacherSession();
    const code = await openClassroom(session);
    const follower = await follow(code);
    const hello = await helloOf(follower);
    expect(hello).toMatchObject({
      type: 'hello',
      sessionId: session.id,
      broker: { amqp: true },
      classroom: {
        code,
        sessionId: session.id,
        mode: 'follow',
        viewport: null,
        selection: [],
        stepId: null,
        question: null,
      },
    });
    expect(hello.topology.queues.map((q) => q.name).sort()).toEqual(['critical', 'orders']);
    expect(hello.queues.map((q) => q.name).sort()).toEqual(['critical', 'orders']);

    const published = await call(
      base,
      'POST',
      `/api/sessions/${session.id}/publish`,
      { exchange: 'demo.topic', routingKey: 'order.create.critical' },
      session.editToken,
    );
    expect(published.status).toBe(200);
    await until(() => follower.events().some((e) => e.type === 'routed'), 5000, 'routed event');
    const routed = follower.events().find((e) => e.type === 'routed');
    expect(routed?.type === 'routed' && [...routed.routedQueues].sort()).toEqual([
      'critical',
      'orders',
    ]);
    const seqs = follower.events().map((e) => e.seq);
    expect(seqs[0]).toBeGreaterThan(hello.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));

    const view = await call(
      base,
      'PUT',
      `/api/classrooms/${code}/view`,
      { viewport: { x: 10, y: -20, zoom: 1.5 }, selection: ['q1'], stepId: 'step-2' },
      session.editToken,
    );
    expect(view.status).toBe(204);
    await until(() => follower.classroomFrames().length >= 3, 5000, 'view frames');
    expect(follower.classroomFrames().map((f) => f.change)).toEqual(
      expect.arrayContaining(['viewport', 'selection', 'step']),
    );
    expect(follower.classroomFrames().at(-1)?.classroom).toMatchObject({
      viewport: { x: 10, y: -20, zoom: 1.5 },
      selection: ['q1'],
      stepId: 'step-2',
    });

    const mode = await call<ClassroomState>(
      base,
      'POST',
      `/api/classrooms/${code}/mode`,
      { mode: 'try' },
      session.editToken,
    );
    expect(mode.status).toBe(200);
    expect(mode.body.mode).toBe('try');
    await until(
      () =>
        follower.classroomFrames().some((f) => f.change === 'mode' && f.classroom.mode === 'try'),
      5000,
      'mode frame',
    );

    // A follower who comes (back) later lands where the class is.
    const late = await follow(code);
    expect((await helloOf(late)).classroom).toMatchObject({
      mode: 'try',
      viewport: { x: 10, y: -20, zoom: 1.5 },
      selection: ['q1'],
      stepId: 'step-2',
    });
  });

  it('forks a sandbox per follower from the current diagram, apart from the teacher', async () => {
    const session = await teacherSession();
    const code = await openClassroom(session);
    // The teacher changes the diagram after opening the classroom: the fork has the change.
    const changed = topicTopology();
    changed.queues.push({
      id: 'q3',
      name: 'audit',
      durable: true,
      exclusive: false,
      autoDelete: false,
    });
    const applied = await call(
      base,
      'PUT',
      `/api/sessions/${session.id}/topology`,
      changed,
      session.editToken,
    );
    expect(applied.status).toBe(200);

    const fork = await call<CreateForkResponse>(base, 'POST', `/api/classrooms/${code}/forks`, {
      followerId: 'student-0001',
    });
    expect(fork.status).toBe(201);
    expect(fork.body.sessionId).not.toBe(session.id);
    const again = await call<CreateForkResponse>(base, 'POST', `/api/classrooms/${code}/forks`, {
      followerId: 'student-0001',
    });
    expect(again).toEqual({ status: 200, body: { ...fork.body, existing: true } });
    const other = await call<CreateForkResponse>(base, 'POST', `/api/classrooms/${code}/forks`, {
      followerId: 'student-0002',
    });
    expect(other.status).toBe(201);
    expect(other.body.sessionId).not.toBe(fork.body.sessionId);

    const forkSummary = await call<{ vhost: string; topology: { queues: { name: string }[] } }>(
      base,
      'GET',
      `/api/sessions/${fork.body.sessionId}`,
    );
    expect(forkSummary.body.vhost).not.toBe(session.vhost);
    expect(forkSummary.body.topology.queues.map((q) => q.name).sort()).toEqual([
      'audit',
      'critical',
      'orders',
    ]);

    // The student edits the sandbox: the teacher's vhost on the broker does not change.
    const edited = topicTopology();
    edited.queues.push({
      id: 'q9',
      name: 'mine',
      durable: true,
      exclusive: false,
      autoDelete: false,
    });
    expect(
      (
        await call(
          base,
          'PUT',
          `/api/sessions/${fork.body.sessionId}/topology`,
          edited,
          fork.body.editToken,
        )
      ).status,
    ).toBe(200);
    const mgmt = management();
    const forkQueues = (await mgmt.listQueues(forkSummary.body.vhost)).map((q) => q.name);
    expect(forkQueues).toContain('mine');
    const teacherQueues = (await mgmt.listQueues(session.vhost)).map((q) => q.name);
    expect(teacherQueues).not.toContain('mine');
    expect(teacherQueues).toEqual(expect.arrayContaining(['audit', 'critical', 'orders']));
    // The sandbox's edit token does not steer the classroom.
    expect(
      (
        await call(
          base,
          'POST',
          `/api/classrooms/${code}/mode`,
          { mode: 'try' },
          fork.body.editToken,
        )
      ).status,
    ).toBe(401);
  });

  it("asks where a message goes, tallies the answers and reveals the broker's routing", async () => {
    const session = await teacherSession();
    const code = await openClassroom(session);
    const follower = await follow(code);
    await helloOf(follower);
    const asked = await call<Question>(
      base,
      'POST',
      `/api/classrooms/${code}/questions`,
      { message: { exchange: 'demo.topic', routingKey: 'order.paid.critical', payload: 'x' } },
      session.editToken,
    );
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ answers: 0, tally: [], revealed: null });
    const qid = asked.body.id;
    await until(
      () =>
        follower
          .classroomFrames()
          .some((f) => f.change === 'question' && f.classroom.question?.id === qid),
      5000,
      'question frame',
    );

    const answer = (queues: string[], followerId: string) =>
      call<Question>(base, 'POST', `/api/classrooms/${code}/questions/${qid}/answers`, {
        queues,
        followerId,
      });
    expect((await answer(['orders'], 'student-a-01')).status).toBe(200);
    expect((await answer(['critical', 'orders'], 'student-b-01')).status).toBe(200);
    // Answering again replaces the answer.
    await answer(['orders'], 'student-b-01');
    await answer(['critical', 'orders'], 'student-b-01');
    const last = await answer(['orders', 'critical', 'orders'], 'student-c-01');
    expect(last.body.answers).toBe(3);
    expect(last.body.tally).toEqual([
      { queues: ['critical', 'orders'], count: 2 },
      { queues: ['orders'], count: 1 },
    ]);

    const revealed = await call<Question>(
      base,
      'POST',
      `/api/classrooms/${code}/questions/${qid}/reveal`,
      undefined,
      session.editToken,
    );
    expect(revealed.status).toBe(200);
    expect(revealed.body.revealed).toMatchObject({
      routedQueues: ['critical', 'orders'],
      correct: 2,
    });
    expect(revealed.body.tally).toEqual([
      { queues: ['critical', 'orders'], count: 2, correct: true },
      { queues: ['orders'], count: 1, correct: false },
    ]);
    // The reveal is a real publish on the teacher's session: its followers see it routed.
    await until(
      () =>
        follower
          .events()
          .some((e) => e.type === 'routed' && e.messageId === revealed.body.revealed?.messageId),
      5000,
      'the revealed message routed',
    );
    await until(
      () =>
        follower
          .classroomFrames()
          .some(
            (f) =>
              f.classroom.question?.revealed !== null &&
              f.classroom.question?.revealed !== undefined,
          ),
      5000,
      'reveal frame',
    );
    expect((await answer(['orders'], 'student-d-01')).status).toBe(409);
  });

  it('closes with the session, telling its followers', async () => {
    const session = await teacherSession();
    const code = await openClassroom(session);
    const follower = await follow(code);
    await helloOf(follower);
    expect(
      (await call(base, 'DELETE', `/api/sessions/${session.id}`, undefined, session.editToken))
        .status,
    ).toBe(204);
    await until(
      () => follower.classroomFrames().some((f) => f.change === 'closed'),
      5000,
      'closed frame',
    );
    expect((await call(base, 'GET', `/api/classrooms/${code}`)).status).toBe(404);

    const other = await teacherSession();
    const second = await openClassroom(other);
    const watcher = await follow(second);
    await helloOf(watcher);
    expect((await call(base, 'DELETE', `/api/classrooms/${second}`)).status).toBe(401);
    expect(
      (await call(base, 'DELETE', `/api/classrooms/${second}`, undefined, other.editToken)).status,
    ).toBe(204);
    await until(() => watcher.classroomFrames().some((f) => f.change === 'closed'), 5000, 'closed');
    // A new classroom can be opened on the same session once the last one is closed.
    expect(
      (await call(base, 'POST', `/api/sessions/${other.id}/classroom`, undefined, other.editToken))
        .status,
    ).toBe(201);
  });
});

describe('bad input to a classroom', () => {
  let session: CreateSessionResponse;
  let code: string;
  beforeAll(async () => {
    session = await teacherSession();
    code = await openClassroom(session);
  });

  const errorOf = (body: unknown) => (body as ErrorBody).error;

  it('an unknown code is CLASSROOM_NOT_FOUND everywhere', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/classrooms/ZZZZZZ', undefined],
      ['POST', '/api/classrooms/ZZZZZZ/forks', {}],
      ['POST', '/api/classrooms/ZZZZZZ/questions/abc/answers', { queues: [] }],
    ] as const) {
      const reply = await call(base, method, path, body);
      expect(reply.status, path).toBe(404);
      expect(errorOf(reply.body).code).toBe('CLASSROOM_NOT_FOUND');
    }
    const ws = await follow('ZZZZZZ');
    await until(() => ws.frames.some((f) => f.type === 'error'), 5000, 'error frame');
    expect(ws.frames[0]).toMatchObject({ type: 'error', code: 'CLASSROOM_NOT_FOUND' });
  });

  it('teacher routes need the teacher token', async () => {
    for (const [method, path, body] of [
      ['PUT', `/api/classrooms/${code}/view`, { selection: [] }],
      ['POST', `/api/classrooms/${code}/mode`, { mode: 'try' }],
      ['POST', `/api/classrooms/${code}/questions`, { message: { exchange: '' } }],
      ['DELETE', `/api/classrooms/${code}`, undefined],
    ] as const) {
      const reply = await call(base, method, path, body);
      expect(reply.status, `${method} ${path}`).toBe(401);
      expect(errorOf(reply.body).code).toBe('UNAUTHORIZED');
    }
    expect((await call(base, 'POST', `/api/sessions/${session.id}/classroom`)).status).toBe(401);
    const ws = await follow(code, '?role=teacher&token=wrong');
    await until(() => ws.frames.some((f) => f.type === 'error'), 5000, 'error frame');
    expect(ws.frames[0]).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
  });

  it('bad bodies are 400 naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      [
        'PUT',
        `/api/classrooms/${code}/view`,
        { viewport: { x: 1, y: 2, zoom: 0 } },
        '/viewport/zoom',
      ],
      ['PUT', `/api/classrooms/${code}/view`, { zoom: 1 }, '/zoom'],
      ['POST', `/api/classrooms/${code}/mode`, { mode: 'sleep' }, '/mode'],
      [
        'POST',
        `/api/classrooms/${code}/questions`,
        { message: { routingKey: 'a' } },
        '/message/exchange',
      ],
      ['POST', `/api/classrooms/${code}/forks`, { followerId: 'short' }, '/followerId'],
    ];
    for (const [method, path, body, field] of cases) {
      const reply = await call(base, method, path, body, session.editToken);
      expect(reply.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(errorOf(reply.body).code).toBe('INVALID_REQUEST');
      expect(JSON.stringify(errorOf(reply.body).details)).toContain(field);
    }
    const asked = await call<Question>(
      base,
      'POST',
      `/api/classrooms/${code}/questions`,
      { message: { exchange: '' } },
      session.editToken,
    );
    const noQueues = await call(
      base,
      'POST',
      `/api/classrooms/${code}/questions/${asked.body.id}/answers`,
      {
        followerId: 'student-x-01',
      },
    );
    expect(noQueues.status).toBe(400);
    expect(JSON.stringify(errorOf(noQueues.body).details)).toContain('/queues');
    const unknown = await call(base, 'POST', `/api/classrooms/${code}/questions/nope/answers`, {
      queues: [],
    });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.body).code).toBe('QUESTION_NOT_FOUND');
  });
});
