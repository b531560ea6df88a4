import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClassroomSummary,
  CreateClassroomResponse,
  CreateForkResponse,
  CreateSessionResponse,
  Question,
} from '@warren/protocol';
import { management, topicTopology, until } from '../helpers';
import { STORE_KINDS, testStore, type TestStore } from '../diagrams/stores';
import { call, followClassroom, helloOf, type ClassroomClient } from './classroom-client';
import { startWarren, type WarrenProcess } from './warren-process';

/**
 * Two real Warren processes sharing the broker and one store: the teacher's session runs on A,
 * followers connect to A and to B. Everything a follower gets on B came through the broker.
 */

const PORT_A = Number(process.env.CLASSROOM_TEST_PORT_A ?? 5302);
const PORT_B = Number(process.env.CLASSROOM_TEST_PORT_B ?? 5303);

describe.each(STORE_KINDS)('a classroom across two servers on %s', (kind) => {
  let store: TestStore;
  let a: WarrenProcess;
  let b: WarrenProcess;
  const clients: ClassroomClient[] = [];

  beforeAll(async () => {
    store = await testStore(kind);
    // One after the other: the first creates the store's tables.
    a = await startWarren({ ...store.env, PORT: String(PORT_A) });
    b = await startWarren({ ...store.env, PORT: String(PORT_B) });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([a?.stop(), b?.stop()]);
    await store?.drop();
  });

  it('follows, counts, asks and forks from either server', async () => {
    const session = (
      await call<CreateSessionResponse>(a.url, 'POST', '/api/sessions', {
        topology: topicTopology(),
      })
    ).body;
    const opened = await call<CreateClassroomResponse>(
      a.url,
      'POST',
      `/api/sessions/${session.id}/classroom`,
      undefined,
      session.editToken,
    );
    expect(opened.status).toBe(201);
    const { code } = opened.body;

    // Server B knows the classroom from the store.
    expect(await call<ClassroomSummary>(b.url, 'GET', `/api/classrooms/${code}`)).toEqual({
      status: 200,
      body: { code, sessionId: session.id, followers: 0, mode: 'follow' },
    });

    const onA = await followClassroom(a.url, code);
    const onB = await followClassroom(b.url, code);
    const alsoOnB = await followClassroom(b.url, code);
    clients.push(onA, onB, alsoOnB);
    const [helloA, helloB] = await Promise.all([helloOf(onA), helloOf(onB), helloOf(alsoOnB)]);
    // B's hello came from A, through the broker: the same session, its queues read on A.
    expect(helloB).toMatchObject({ sessionId: session.id, classroom: { code, mode: 'follow' } });
    expect(helloB.topology).toEqual(helloA.topology);
    expect(helloB.queues.map((q) => q.name).sort()).toEqual(['critical', 'orders']);

    // Followers on both servers are counted, by both.
    for (const server of [a, b]) {
      await until(
        async () =>
          (await call<ClassroomSummary>(server.url, 'GET', `/api/classrooms/${code}`)).body
            .followers === 3,
        10_000,
        `three followers counted on ${server.url}`,
      );
    }
    await until(
      () =>
        onB.classroomFrames().some((f) => f.change === 'followers' && f.classroom.followers === 3),
      10_000,
      'B hears of three followers',
    );

    // Session events reach followers on A and on B, each once and in order.
    for (let i = 0; i < 5; i += 1) {
      await call(
        a.url,
        'POST',
        `/api/sessions/${session.id}/publish`,
        { exchange: 'demo.topic', routingKey: `order.n${i}` },
        session.editToken,
      );
    }
    const routedOf = (c: ClassroomClient) => c.events().filter((e) => e.type === 'routed');
    for (const client of [onA, onB, alsoOnB]) {
      await until(() => routedOf(client).length === 5, 10_000, 'five routed events');
      const seqs = client.events().map((e) => e.seq);
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
      expect(seqs[0]).toBeGreaterThan(client.hello().seq);
    }

    // The teacher steers through B: followers on A hear it.
    expect(
      (
        await call(
          b.url,
          'PUT',
          `/api/classrooms/${code}/view`,
          { viewport: { x: 1, y: 2, zoom: 0.5 } },
          session.editToken,
        )
      ).status,
    ).toBe(204);
    await until(
      () =>
        onA
          .classroomFrames()
          .some((f) => f.change === 'viewport' && f.classroom.viewport?.zoom === 0.5),
      10_000,
      'viewport frame on A',
    );
    const mode = await call(
      b.url,
      'POST',
      `/api/classrooms/${code}/mode`,
      { mode: 'try' },
      session.editToken,
    );
    expect(mode.status).toBe(200);
    for (const client of [onA, onB]) {
      await until(
        () =>
          client.classroomFrames().some((f) => f.change === 'mode' && f.classroom.mode === 'try'),
        10_000,
        'mode frame',
      );
    }

    // Predict-then-reveal with the reveal asked of B: A publishes on its session.
    const asked = await call<Question>(
      a.url,
      'POST',
      `/api/classrooms/${code}/questions`,
      { message: { exchange: 'demo.topic', routingKey: 'order.x.critical' } },
      session.editToken,
    );
    await call(b.url, 'POST', `/api/classrooms/${code}/questions/${asked.body.id}/answers`, {
      queues: ['orders'],
      followerId: 'student-on-b',
    });
    const revealed = await call<Question>(
      b.url,
      'POST',
      `/api/classrooms/${code}/questions/${asked.body.id}/reveal`,
      undefined,
      session.editToken,
    );
    expect(revealed.status).toBe(200);
    expect(revealed.body.revealed?.routedQueues).toEqual(['critical', 'orders']);
    expect(revealed.body.tally).toEqual([{ queues: ['orders'], count: 1, correct: false }]);
    await until(
      () =>
        onB
          .classroomFrames()
          .some(
            (f) => f.classroom.question?.revealed?.messageId === revealed.body.revealed?.messageId,
          ),
      10_000,
      'the reveal on B',
    );

    // A sandbox forked through B runs on B, from the teacher's current diagram, in its own vhost.
    const fork = await call<CreateForkResponse>(b.url, 'POST', `/api/classrooms/${code}/forks`, {
      followerId: 'student-on-b',
    });
    expect(fork.status).toBe(201);
    const forkSession = await call<{ vhost: string; topology: { queues: { name: string }[] } }>(
      b.url,
      'GET',
      `/api/sessions/${fork.body.sessionId}`,
    );
    expect(forkSession.status).toBe(200);
    expect(forkSession.body.vhost).not.toBe(session.vhost);
    expect(forkSession.body.topology.queues.map((q) => q.name).sort()).toEqual([
      'critical',
      'orders',
    ]);
    // Asked again through A: the same sandbox.
    const again = await call<CreateForkResponse>(a.url, 'POST', `/api/classrooms/${code}/forks`, {
      followerId: 'student-on-b',
    });
    expect(again).toEqual({ status: 200, body: { ...fork.body, existing: true } });
    const vhosts = (await management().listVhosts()).map((v) => v.name);
    expect(vhosts).toEqual(expect.arrayContaining([session.vhost, forkSession.body.vhost]));

    // A follower leaving B is no longer counted anywhere.
    await alsoOnB.close();
    await until(
      async () =>
        (await call<ClassroomSummary>(a.url, 'GET', `/api/classrooms/${code}`)).body.followers ===
        2,
      10_000,
      'two followers left',
    );

    // The teacher closes the classroom on A: followers on B hear it.
    expect(
      (await call(a.url, 'DELETE', `/api/classrooms/${code}`, undefined, session.editToken)).status,
    ).toBe(204);
    await until(
      () => onB.classroomFrames().some((f) => f.change === 'closed'),
      10_000,
      'closed on B',
    );
    expect((await call(b.url, 'GET', `/api/classrooms/${code}`)).status).toBe(404);
  }, 90_000);
});
