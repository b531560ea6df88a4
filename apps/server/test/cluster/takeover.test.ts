import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateSessionResponse, PublishResponse, SessionSummary } from '@warren/protocol';
import { management, topicTopology, until } from '../helpers';
import { testStore, type TestStore } from '../diagrams/stores';
import { startWarren, type WarrenProcess } from '../classrooms/warren-process';
import { call } from './session-client';

/**
 * Two real Warren processes keeping their sessions in one PostgreSQL store: when the server
 * running a session is killed (SIGKILL, nothing written at the end), the other one takes the
 * session over once its lease runs out, and serves it with its diagram and edit token.
 */

const PORT_A = Number(process.env.SCALE_TEST_PORT_A ?? 7512);
const PORT_B = Number(process.env.SCALE_TEST_PORT_B ?? 7513);
/** The bound: another server serves the session within 10 s of the kill. */
const TAKEOVER_WITHIN_MS = 10_000;

describe('a session whose server is killed', () => {
  let store: TestStore;
  let a: WarrenProcess;
  let b: WarrenProcess;
  let vhost: string | undefined;

  beforeAll(async () => {
    store = await testStore('postgres');
    const keep = { ...store.env, WARREN_KEEP_SESSIONS: 'true' };
    a = await startWarren({ ...keep, PORT: String(PORT_A), WARREN_SERVER_NAME: 'take-a' });
    b = await startWarren({ ...keep, PORT: String(PORT_B), WARREN_SERVER_NAME: 'take-b' });
  }, 60_000);

  afterAll(async () => {
    for (const w of [a, b])
      if (w && w.process.exitCode === null && !w.process.signalCode) await w.stop();
    if (vhost) {
      await management()
        .deleteVhost(vhost)
        .catch(() => {});
      await management()
        .deleteUser(vhost)
        .catch(() => {});
    }
    await store?.drop();
  });

  it('is taken over by the other server within 10 s, its last acknowledged change and token kept', async () => {
    const created = await call<CreateSessionResponse>(a.url, 'POST', '/api/sessions', {
      topology: topicTopology(),
    });
    expect(created.status).toBe(201);
    const { id, editToken } = created.body;
    vhost = created.body.amqp.vhost;
    // Through B, the session is A's.
    const before = await call<SessionSummary>(b.url, 'GET', `/api/sessions/${id}`);
    expect(before.status).toBe(200);
    expect(before.servedBy).toBe('take-a');

    // A change A acknowledged just before it dies: a third queue, bound.
    const changed = topicTopology();
    changed.queues.push({
      id: 'q3',
      name: 'audit',
      durable: true,
      exclusive: false,
      autoDelete: false,
    });
    changed.bindings.push({
      id: 'b3',
      source: 'demo.topic',
      destination: 'audit',
      destinationType: 'queue',
      routingKey: '#',
    });
    const applied = await call(a.url, 'PUT', `/api/sessions/${id}/topology`, changed, editToken);
    expect(applied.status).toBe(200);
    a.process.kill('SIGKILL');
    const killedAt = Date.now();
    await until(
      async () => {
        const reply = await call<SessionSummary>(b.url, 'GET', `/api/sessions/${id}`);
        return reply.status === 200 && reply.servedBy === 'take-b';
      },
      20_000,
      'B serving the session itself',
    );
    const tookMs = Date.now() - killedAt;
    console.log(`session taken over by B ${tookMs} ms after A was killed`);
    expect(tookMs).toBeLessThan(TAKEOVER_WITHIN_MS);

    // B runs it now: the diagram as it was, the same token, and the broker routes again.
    let published: PublishResponse | undefined;
    await until(
      async () => {
        const reply = await call<PublishResponse>(
          b.url,
          'POST',
          `/api/sessions/${id}/publish`,
          { exchange: 'demo.topic', routingKey: 'order.create', payload: 'after' },
          editToken,
        );
        if (reply.status === 200) published = reply.body;
        return published !== undefined;
      },
      15_000,
      'a publish through B',
    );
    expect(published?.routedQueues).toContain('audit');
    const after = await call<SessionSummary>(b.url, 'GET', `/api/sessions/${id}`);
    expect(after.body.topology.queues.map((q) => q.name)).toContain('audit');
    const wrongToken = await call(b.url, 'DELETE', `/api/sessions/${id}`, undefined, 'nope');
    expect(wrongToken.status).toBe(401);
    expect((await call(b.url, 'DELETE', `/api/sessions/${id}`, undefined, editToken)).status).toBe(
      204,
    );
    vhost = undefined;
  }, 90_000);
});
