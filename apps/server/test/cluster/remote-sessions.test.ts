import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateSessionResponse, WarrenEvent } from '@warren/protocol';
import { CLASSROOM_EXCHANGE } from '../../src/app';
import { TopicBus } from '../../src/broker/topic-bus';
import {
  CLOSE,
  RemoteSessions,
  type OwnerClient,
  type RemoteViewer,
  type SessionSnapshot,
} from '../../src/cluster/remote-sessions';
import { FORWARDED_BY, PEER_TOKEN, sessionKeys } from '../../src/cluster/session-keys';
import { loadConfig } from '../../src/config';
import { brokerReady, buildTestApp, createSession, until } from '../helpers';

const quiet = { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} };
const owner = { serverId: 'owner', url: 'http://owner.invalid', alive: true };

const routed = (seq: number): WarrenEvent => ({
  type: 'routed',
  seq,
  at: Date.now(),
  messageId: `m${seq}`,
  exchange: 'x',
  routingKey: 'k',
  routedQueues: ['q'],
  outside: false,
  messageKey: `m${seq}`,
});
const queueStats = (seq: number): WarrenEvent =>
  ({ type: 'queue-stats', seq, at: Date.now(), queues: [] }) as unknown as WarrenEvent;

/** A viewer socket that keeps what it is sent, with a transport backlog the test sets. */
function viewer() {
  const got = {
    hello: undefined as SessionSnapshot | undefined,
    events: [] as WarrenEvent[],
    dropped: 0,
    replaced: 0,
    closed: undefined as number | undefined,
    backlog: 0,
  };
  const socket: RemoteViewer = {
    hello: (snapshot) => (got.hello = snapshot),
    events: (events, dropped, replaced) => {
      got.events.push(...events);
      got.dropped += dropped;
      got.replaced += replaced;
    },
    bufferedAmount: () => got.backlog,
    close: (code) => (got.closed = code),
  };
  return { got, socket };
}

/** An owner whose hello the test gives when it wants. */
function owners() {
  let give: ((snapshot: SessionSnapshot) => void) | undefined;
  let asked = 0;
  const client: OwnerClient = {
    hello: () => {
      asked += 1;
      return new Promise((resolve) => (give = resolve));
    },
    renew: async () => {},
    unwatch: async () => {},
  };
  return {
    client,
    asked: () => asked,
    give: (seq: number) => give?.({ sessionId: 's', seq } as unknown as SessionSnapshot),
  };
}

describe('viewers of a session that runs on another server', () => {
  let bus: TopicBus;
  beforeAll(async () => {
    bus = new TopicBus(loadConfig(process.env).amqpUrl, CLASSROOM_EXCHANGE, quiet, 'warren test');
    bus.start();
    expect(await bus.ready(10_000)).toBe(true);
  });
  afterAll(async () => {
    await bus.close();
  });

  it('get the hello, then only the events after it, in order', async () => {
    const id = randomBytes(8).toString('hex');
    const owner$ = owners();
    const remote = new RemoteSessions(bus, owner$.client, quiet);
    const { got, socket } = viewer();
    const following = remote.follow(id, owner, socket);
    // Listening on the bus before the hello is asked for: nothing falls in between.
    await until(() => owner$.asked() === 1, 5000, 'the hello asked for');
    // Another listener on the same bus queue: once it has both batches, the view has them too.
    let batches = 0;
    const stop = await bus.listen(sessionKeys(id).events, () => (batches += 1));
    bus.publish(sessionKeys(id).events, { events: [4, 5, 6].map(routed) });
    bus.publish(sessionKeys(id).events, { events: [routed(7)] });
    await until(() => batches === 2, 5000, 'both batches on the bus');
    stop();
    await new Promise((resolve) => setImmediate(resolve));
    // Held for the hello: nothing goes out before it.
    expect(got.events).toEqual([]);
    owner$.give(5);
    const leave = await following;
    expect(got.hello?.seq).toBe(5);
    await until(() => got.events.length === 2, 5000, 'events after the hello');
    expect(got.events.map((e) => e.seq)).toEqual([6, 7]);

    bus.publish(sessionKeys(id).ended, {});
    await until(() => got.closed !== undefined, 5000, 'closed when the session ends');
    expect(got.closed).toBe(CLOSE.notFound);
    leave();
    remote.close();
  });

  it('drop animation and coalesce state for a viewer that does not read, like on the owner', async () => {
    const id = randomBytes(8).toString('hex');
    const owner$ = owners();
    const remote = new RemoteSessions(bus, owner$.client, quiet);
    const { got, socket } = viewer();
    const following = remote.follow(id, owner, socket);
    await until(() => owner$.asked() === 1, 5000, 'the hello asked for');
    owner$.give(0);
    const leave = await following;
    got.backlog = 2 << 20;
    const events: WarrenEvent[] = [];
    for (let seq = 1; seq <= 3000; seq += 1)
      events.push(seq % 1000 === 0 ? queueStats(seq) : routed(seq));
    events.push(routed(3001), queueStats(3002));
    let batches = 0;
    const stop = await bus.listen(sessionKeys(id).events, () => (batches += 1));
    bus.publish(sessionKeys(id).events, { events });
    // The reader comes back once everything is in: it gets the newest queue stats and a count.
    await until(() => batches === 1, 5000, 'the batch on the bus');
    stop();
    got.backlog = 0;
    await until(() => got.events.some((e) => e.seq === 3002), 5000, 'the newest queue stats');
    const stats = got.events.filter((e) => e.type === 'queue-stats');
    expect(stats.map((e) => e.seq)).toEqual([3002]);
    expect(got.replaced).toBe(3);
    expect(got.dropped).toBeGreaterThan(0);
    expect(got.events.length + got.dropped + got.replaced).toBe(3002);
    console.log(
      `slow remote viewer: ${got.events.length} events sent, ${got.dropped} dropped, ${got.replaced} replaced`,
    );
    leave();
    remote.close();
  });
});

describe('the endpoint other servers watch a session through', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
    await brokerReady(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers peers only', async () => {
    const created: CreateSessionResponse = await createSession(app, {});
    const url = `/api/internal/sessions/${created.id}/watchers`;
    const payload = { serverId: 'elsewhere', snapshot: true };
    expect((await app.inject({ method: 'POST', url, payload })).statusCode).toBe(404);
    const stranger = await app.inject({
      method: 'POST',
      url,
      payload,
      headers: { [FORWARDED_BY]: app.cluster.directory.id, [PEER_TOKEN]: 'guess' },
    });
    expect(stranger.statusCode).toBe(404);
    const peer = await app.inject({
      method: 'POST',
      url,
      payload,
      headers: {
        [FORWARDED_BY]: app.cluster.directory.id,
        [PEER_TOKEN]: app.cluster.directory.peerToken,
      },
    });
    expect(peer.statusCode).toBe(200);
    expect(peer.json()).toMatchObject({ sessionId: created.id, topology: { version: 1 } });
    expect(app.cluster.fanout.watchers(created.id)).toBe(1);
  });
});
