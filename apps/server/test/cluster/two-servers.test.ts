import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CreateClassroomResponse,
  CreateSessionResponse,
  ErrorBody,
  PublishResponse,
  QueuesResponse,
  SessionSummary,
  WarrenEvent,
} from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { management, topicTopology, until } from '../helpers';
import { testStore, type TestStore } from '../diagrams/stores';
import { startWarren, type WarrenProcess } from '../classrooms/warren-process';
import { call, watchSession, type SessionClient } from './session-client';

/**
 * Two real Warren processes sharing PostgreSQL and the broker. Sessions are created on A; B
 * serves them too: HTTP requests are forwarded to A, websockets on B get A's hello and A's events
 * through the broker. Killing A leaves B answering a clear 503, never hanging.
 */

const PORT_A = Number(process.env.SCALE_TEST_PORT_A ?? 7510);
const PORT_B = Number(process.env.SCALE_TEST_PORT_B ?? 7511);
/** B's forwarding timeout (FORWARD_TIMEOUT_MS) plus slack: the longest a request may take. */
const ANSWER_WITHIN_MS = 11_000;

const withConsumer = (): Topology => ({
  ...topicTopology(),
  producers: [
    {
      id: 'p1',
      name: 'shop',
      exchange: 'demo.topic',
      routingKey: 'order.create',
      payload: 'hello',
      mandatory: false,
      ratePerSecond: 20,
    },
  ],
  consumers: [{ id: 'c1', name: 'worker', queue: 'orders', prefetch: 10, autoAck: true }],
});

/** The routed and delivered events of the given messages, as [type, messageId, seq]. */
const trail = (events: WarrenEvent[], messageIds: Set<string>) =>
  events
    .filter(
      (e): e is Extract<WarrenEvent, { type: 'routed' | 'delivered' }> =>
        (e.type === 'routed' || e.type === 'delivered') &&
        e.messageId !== undefined &&
        messageIds.has(String(e.messageId)),
    )
    .map((e) => [e.type, String(e.messageId), e.seq] as const);

describe('sessions served by two servers sharing PostgreSQL and the broker', () => {
  let store: TestStore;
  let a: WarrenProcess;
  let b: WarrenProcess;
  const clients: SessionClient[] = [];
  const leftOnBroker: string[] = [];

  beforeAll(async () => {
    store = await testStore('postgres');
    // One after the other: the first creates the store's tables.
    a = await startWarren({ ...store.env, PORT: String(PORT_A), WARREN_SERVER_NAME: 'scale-a' });
    b = await startWarren({ ...store.env, PORT: String(PORT_B), WARREN_SERVER_NAME: 'scale-b' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    const running = [a, b].filter((w) => w && w.process.exitCode === null && !w.process.signalCode);
    await Promise.all(running.map((w) => w.stop()));
    // A killed server leaves its sessions on the broker (taking them over is the next step).
    const mgmt = management();
    for (const vhost of leftOnBroker) {
      await mgmt.deleteVhost(vhost).catch(() => {});
      await mgmt.deleteUser(vhost).catch(() => {});
    }
    await store?.drop();
  });

  it('serves a session of A through B, over HTTP and the websocket', async () => {
    const created = await call<CreateSessionResponse>(a.url, 'POST', '/api/sessions', {
      topology: topicTopology(),
    });
    expect(created.status).toBe(201);
    const session = created.body;
    const token = session.editToken;
    const path = `/api/sessions/${session.id}`;

    const got = await call<SessionSummary>(b.url, 'GET', path);
    expect(got).toMatchObject({ status: 200, servedBy: 'scale-a' });
    expect(got.body).toMatchObject({ id: session.id, vhost: session.vhost });
    // Without the token B relays A's refusal as it is.
    expect((await call(b.url, 'PUT', `${path}/topology`, withConsumer())).status).toBe(401);

    const onA = await watchSession(a.url, session.id);
    const onB = await watchSession(b.url, session.id);
    clients.push(onA, onB);
    const [helloA, helloB] = await Promise.all([onA.hello(), onB.hello()]);
    expect(helloB.sessionId).toBe(session.id);
    expect(helloB.topology).toEqual(helloA.topology);
    expect(helloB.queues.map((q) => q.name).sort()).toEqual(['critical', 'orders']);

    const applied = await call(b.url, 'PUT', `${path}/topology`, withConsumer(), token);
    expect(applied).toMatchObject({ status: 200, servedBy: 'scale-a' });

    // Five messages published through B: both sockets see the same routed and delivered events.
    const ids = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const published = await call<PublishResponse>(
        b.url,
        'POST',
        `${path}/publish`,
        { exchange: 'demo.topic', routingKey: `order.n${i}`, payload: `m${i}` },
        token,
      );
      expect(published.status).toBe(200);
      expect(published.body.routedQueues).toEqual(['orders']);
      ids.add(String(published.body.messageId));
    }
    for (const client of [onA, onB]) {
      await until(
        () => trail(client.events(), ids).length === 10,
        10_000,
        'five routed and five delivered events',
      );
    }
    const onATrail = trail(onA.events(), ids);
    expect(trail(onB.events(), ids)).toEqual(onATrail);
    console.log(
      `routed+delivered seqs on A and on B: ${onATrail.map(([type, , seq]) => `${type[0]}${seq}`).join(' ')}`,
    );
    for (const client of [onA, onB]) {
      const seqs = client.events().map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    expect(onB.events()[0]?.seq).toBeGreaterThan(helloB.seq);

    // A producer started through B runs on A; its messages reach both sockets.
    const started = await call<{ producer: { status: string } }>(
      b.url,
      'POST',
      `${path}/producers/p1/start`,
      undefined,
      token,
    );
    expect(started).toMatchObject({ status: 200, servedBy: 'scale-a' });
    const fromProducer = (c: SessionClient) =>
      c.events().filter((e) => e.type === 'routed' && e.producerId === 'p1').length;
    await until(() => fromProducer(onB) >= 10, 10_000, 'ten producer messages on B');
    expect((await call(b.url, 'POST', `${path}/producers/p1/stop`, undefined, token)).status).toBe(
      200,
    );
    await until(() => fromProducer(onA) >= 10, 10_000, 'ten producer messages on A');

    const queues = await call<QueuesResponse>(b.url, 'GET', `${path}/queues`);
    expect(queues).toMatchObject({ status: 200, servedBy: 'scale-a' });
    expect(queues.body.queues.map((q) => q.name).sort()).toEqual(['critical', 'orders']);

    // Routes that name the session elsewhere than in the path go to A as well.
    const explained = await call<{ routedQueues?: string[] }>(b.url, 'POST', '/api/explain', {
      sessionId: session.id,
      message: { exchange: 'demo.topic', routingKey: 'order.x.critical' },
    });
    expect(explained).toMatchObject({ status: 200, servedBy: 'scale-a' });
    const classroom = await call<CreateClassroomResponse>(
      b.url,
      'POST',
      `${path}/classroom`,
      undefined,
      token,
    );
    expect(classroom).toMatchObject({ status: 201, servedBy: 'scale-a' });

    // Deleted through B: gone everywhere, and B's socket hears it.
    expect((await call(b.url, 'DELETE', path, undefined, token)).status).toBe(204);
    expect((await call(a.url, 'GET', path)).status).toBe(404);
    expect((await call<ErrorBody>(b.url, 'GET', path)).body.error.code).toBe('SESSION_NOT_FOUND');
    await until(() => onB.closedWith() === 4404, 10_000, "B's socket closed: session deleted");
  }, 120_000);

  it('answers a clear 503 for the sessions of a killed server, without hanging', async () => {
    const created = await call<CreateSessionResponse>(a.url, 'POST', '/api/sessions', {
      topology: topicTopology(),
    });
    const session = created.body;
    leftOnBroker.push(session.vhost);
    const path = `/api/sessions/${session.id}`;
    const onB = await watchSession(b.url, session.id);
    clients.push(onB);
    await onB.hello();

    a.process.kill('SIGKILL');
    await new Promise((resolve) => a.process.once('exit', resolve));

    // A still looks alive in the directory: B tries it, and says it does not answer.
    const started = Date.now();
    const refused = await call<ErrorBody>(b.url, 'GET', path);
    const took = Date.now() - started;
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('SESSION_SERVER_UNAVAILABLE');
    expect(refused.body.error.message).toContain(session.id);
    expect(took).toBeLessThan(ANSWER_WITHIN_MS);
    console.log(`503 from B ${took} ms after A was killed: ${refused.body.error.message}`);

    // B's viewer is told to try again later once its watch cannot be renewed.
    await until(() => onB.closedWith() === 1013, 10_000, "B's socket closed: server gone");

    // Once A's heartbeat is older than the directory allows, B answers at once.
    await until(
      async () =>
        (await call<ErrorBody>(b.url, 'GET', path)).body.error.message.includes('stopped'),
      15_000,
      'A taken for dead',
    );
    const again = Date.now();
    const dead = await call<ErrorBody>(b.url, 'POST', `${path}/publish`, {
      exchange: 'demo.topic',
      routingKey: 'order.late',
    });
    expect(dead.status).toBe(503);
    expect(Date.now() - again).toBeLessThan(1000);
    const late = await watchSession(b.url, session.id);
    clients.push(late);
    await until(() => late.closedWith() === 1013, 5000, 'a new socket on B told to retry');
    expect(late.frames).toMatchObject([{ type: 'error', code: 'SESSION_SERVER_UNAVAILABLE' }]);
  }, 60_000);
});
