import amqp from 'amqplib';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  ConnectResponse,
  ConsumersResponse,
  CreateSessionResponse,
  ProducersResponse,
  ServerFrame,
  SessionSummary,
} from '@warren/protocol';
import { consumerEdgeId, producerEdgeId, type CounterSnapshot } from '@warren/topology';
import { brokerSideOfVhost, management, topicTopology, until } from '../helpers';
import { call } from '../classrooms/classroom-client';
import { STORE_KINDS, testStore, type TestStore } from '../diagrams/stores';
import { startWarren, type WarrenProcess } from '../classrooms/warren-process';

/**
 * A real Warren process keeping its sessions in the store is stopped (SIGTERM) or killed
 * (SIGKILL) with a producer sending and a consumer consuming; a new process on the same store
 * and port rebuilds the session: same id, edit token, AMQP URL, topology and counters, and
 * its producer and consumer running again.
 */

const PORT = Number(process.env.RESTART_TEST_PORT ?? 7401);
/** The counters are written every COUNTERS_SAVE_MS (2 s); a killed server loses at most that. */
const SAVE_WAIT_MS = 3000;

const PRODUCER_EDGE = producerEdgeId('p1');
const CONSUMER_EDGE = consumerEdgeId('c1');

function diagram() {
  const topology = topicTopology();
  topology.producers = [{ ...topology.producers[0]!, ratePerSecond: 20 }];
  topology.consumers = [
    { id: 'c1', name: 'worker', queue: 'orders', prefetch: 10, autoAck: false },
  ];
  return topology;
}

const edge = (counters: CounterSnapshot, id: string) => counters.edges[id] ?? 0;

async function helloOver(base: string, id: string) {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/sessions/${id}/events`);
  try {
    return await new Promise<Extract<ServerFrame, { type: 'hello' }>>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as ServerFrame;
        if (frame.type === 'hello') resolve(frame);
      });
      socket.once('close', (code) => reject(new Error(`socket closed (${code})`)));
      socket.once('error', reject);
    });
  } finally {
    socket.close();
  }
}

const started: WarrenProcess[] = [];
const stores: TestStore[] = [];
afterAll(async () => {
  // A killed process has exited already (with a signal, not a code).
  await Promise.all(started.filter((p) => p.process.signalCode === null).map((p) => p.stop()));
  await Promise.all(stores.map((s) => s.drop()));
});

describe.each(STORE_KINDS)('a session on %s', (kind) => {
  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'comes back after the server gets %s',
    async (signal) => {
      const store = await testStore(kind);
      stores.push(store);
      const env = { ...store.env, PORT: String(PORT), WARREN_KEEP_SESSIONS: 'true' };
      const first = await startWarren(env);
      started.push(first);
      await until(
        async () =>
          (await call<{ status: string }>(first.url, 'GET', '/api/health')).body.status === 'ok',
        15_000,
        'the broker reached',
      );
      const creation = await call<CreateSessionResponse>(first.url, 'POST', '/api/sessions', {
        topology: diagram(),
      });
      expect(creation.status, JSON.stringify(creation.body)).toBe(201);
      const created = creation.body;
      const token = created.editToken;
      const path = `/api/sessions/${created.id}`;
      const start = await call(first.url, 'POST', `${path}/producers/p1/start`, undefined, token);
      expect(start.status, JSON.stringify(start.body)).toBe(200);
      const counters = async (base: string) =>
        (await call<CounterSnapshot>(base, 'GET', `${path}/counters`)).body;
      await until(
        async () => {
          const c = await counters(first.url);
          return edge(c, PRODUCER_EDGE) >= 10 && edge(c, CONSUMER_EDGE) >= 10;
        },
        15_000,
        'the producer and the consumer counted',
      );
      const topologyBefore = (await call<SessionSummary>(first.url, 'GET', path)).body.topology;
      const brokerBefore = await brokerSideOfVhost(created.vhost);
      const before = await counters(first.url);
      // The producer's and the consumer's own counters, which go on after the restart too.
      const ownCounts = async (base: string) => ({
        sent: (await call<ProducersResponse>(base, 'GET', `${path}/producers`)).body.producers.find(
          (p) => p.producerId === 'p1',
        )!.sent,
        received: (
          await call<ConsumersResponse>(base, 'GET', `${path}/consumers`)
        ).body.consumers.find((c) => c.consumerId === 'c1')!.received,
      });
      const { sent: sentBefore, received: receivedBefore } = await ownCounts(first.url);
      // A kill loses what changed since the last periodic save: wait for one.
      if (signal === 'SIGKILL') await new Promise((r) => setTimeout(r, SAVE_WAIT_MS));

      const exited = new Promise((resolve) => first.process.once('exit', resolve));
      const stopped = performance.now();
      first.process.kill(signal);
      await exited;
      // A kept session stays on the broker while no server runs it.
      expect((await management().listVhosts()).some((v) => v.name === created.vhost)).toBe(true);

      const second = await startWarren(env);
      started.push(second);
      const listening = performance.now();
      const summary = await call<SessionSummary>(second.url, 'GET', path);
      expect(summary.status).toBe(200);
      const restored = await counters(second.url);
      expect(edge(restored, PRODUCER_EDGE)).toBeGreaterThanOrEqual(edge(before, PRODUCER_EDGE));
      expect(edge(restored, CONSUMER_EDGE)).toBeGreaterThanOrEqual(edge(before, CONSUMER_EDGE));

      // The producer sends again, and counts on from the restored counters.
      await until(
        async () => {
          const producers = (await call<ProducersResponse>(second.url, 'GET', `${path}/producers`))
            .body.producers;
          return producers.some((p) => p.producerId === 'p1' && p.running);
        },
        15_000,
        'the producer running again',
      );
      // Their own counters went on from where they were, not from zero.
      const { sent: sentAfter, received: receivedAfter } = await ownCounts(second.url);
      expect(sentAfter).toBeGreaterThanOrEqual(sentBefore);
      expect(receivedAfter).toBeGreaterThanOrEqual(receivedBefore);
      await until(
        async () => (await ownCounts(second.url)).sent > sentAfter,
        10_000,
        'the producer sending again',
      );
      const sendingAfterMs = Math.round(performance.now() - listening);
      const downMs = Math.round(performance.now() - stopped);
      await until(
        async () => edge(await counters(second.url), PRODUCER_EDGE) > edge(restored, PRODUCER_EDGE),
        10_000,
        'the counters growing',
      );
      await until(
        async () =>
          (
            await call<ConsumersResponse>(second.url, 'GET', `${path}/consumers`)
          ).body.consumers.some(
            (c) => c.consumerId === 'c1' && c.status === 'running' && c.received > receivedAfter,
          ),
        10_000,
        'the consumer receiving again',
      );
      console.log(
        JSON.stringify({
          store: kind,
          signal,
          sendingAfterListenMs: sendingAfterMs,
          signalToSendingMs: downMs,
          producerEdgeBefore: edge(before, PRODUCER_EDGE),
          producerEdgeRestored: edge(restored, PRODUCER_EDGE),
          consumerEdgeBefore: edge(before, CONSUMER_EDGE),
          consumerEdgeRestored: edge(restored, CONSUMER_EDGE),
          producerSent: { before: sentBefore, after: sentAfter },
          consumerReceived: { before: receivedBefore, after: receivedAfter },
        }),
      );

      // Same topology, in Warren and on the broker.
      expect((await call<SessionSummary>(second.url, 'GET', path)).body.topology).toEqual(
        topologyBefore,
      );
      expect(await brokerSideOfVhost(created.vhost)).toEqual(brokerBefore);
      // The edit token still edits; the AMQP URL the user was given still logs in.
      const connect = await call<ConnectResponse>(
        second.url,
        'GET',
        `${path}/connect`,
        undefined,
        token,
      );
      expect(connect.status).toBe(200);
      expect(connect.body.amqp.url).toBe(created.amqp.url);
      expect(
        (await call(second.url, 'GET', `${path}/connect`, undefined, 'not-the-token')).status,
      ).toBe(401);
      const client = await amqp.connect(created.amqp.url);
      try {
        const channel = await client.createChannel();
        expect((await channel.checkQueue('orders')).queue).toBe('orders');
      } finally {
        await client.close();
      }
      // An open page's websocket gets its hello, with the counters.
      const hello = await helloOver(second.url, created.id);
      expect(hello.sessionId).toBe(created.id);
      expect(
        edge(hello.counters ?? { edges: {}, exchanges: {} }, PRODUCER_EDGE),
      ).toBeGreaterThanOrEqual(edge(before, PRODUCER_EDGE));

      // DELETE still ends it for good: vhost, user and record.
      expect((await call(second.url, 'DELETE', path, undefined, token)).status).toBe(204);
      await second.stop();
      expect((await management().listVhosts()).some((v) => v.name === created.vhost)).toBe(false);
      const third = await startWarren(env);
      started.push(third);
      expect((await call(third.url, 'GET', path)).status).toBe(404);
      await third.stop();
    },
    90_000,
  );
});
