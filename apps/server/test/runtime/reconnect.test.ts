import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ConsumersResponse, WarrenEvent } from '@warren/protocol';
import { loadConfig } from '../../src/config';
import { brokerDoor } from '../broker-door';
import { consumer } from '../consumers/fixtures';
import { appPerFile, brokerReady, buildTestApp, until } from '../helpers';
import { api, producer, producerSession, queue } from '../producers/fixtures';

/**
 * The broker takes every connection of a session away at once: the session's own, each
 * producer's and each consumer's. Everything that was running must run again by itself.
 */

let app: FastifyInstance;

appPerFile((a) => (app = a));

/** The management API, as an operator uses it, with the management user of the config. */
async function managementApi(method: string, path: string, headers: Record<string, string> = {}) {
  const config = loadConfig(process.env);
  const basic = Buffer.from(`${config.managementUser}:${config.managementPassword}`);
  const response = await fetch(`${config.managementUrl.replace(/\/$/, '')}/api${path}`, {
    method,
    headers: { authorization: `Basic ${basic.toString('base64')}`, ...headers },
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
  return response;
}

/** Client-given name → the broker's name, for every connection in the vhost. */
async function connectionsOf(vhost: string): Promise<Map<string, string>> {
  const path = `/vhosts/${encodeURIComponent(vhost)}/connections?columns=name,client_properties`;
  const listed = (await (await managementApi('GET', path)).json()) as {
    name: string;
    client_properties?: { connection_name?: string };
  }[];
  return new Map(listed.map((c) => [c.client_properties?.connection_name ?? c.name, c.name]));
}

/** Closes every connection of the vhost from the broker's side, as an operator would. */
async function killConnections(vhost: string, names: Iterable<string>): Promise<void> {
  await Promise.all(
    [...names].map((name) =>
      managementApi('DELETE', `/connections/${encodeURIComponent(name)}`, {
        'X-Reason': 'reconnect test: the broker closes every connection of the session',
      }),
    ),
  );
}

type Event<T extends WarrenEvent['type']> = WarrenEvent & { type: T };

const producerIds = ['shop', 'billing'];
const consumerIds = ['picker', 'auditor'];

/** A session with two continuous producers and two consumers, all of them busy. */
async function busySession(on: FastifyInstance) {
  const { created, session, events } = await producerSession(on, {
    queues: [queue('orders'), queue('audit')],
    producers: [
      producer('shop', { routingKey: 'orders', ratePerSecond: 20 }),
      producer('billing', { routingKey: 'audit', ratePerSecond: 20 }),
    ],
    consumers: [
      consumer('picker', 'orders', { prefetch: 5, processingMs: { min: 5, max: 5 } }),
      consumer('auditor', 'audit', { prefetch: 5 }),
    ],
  });
  const producers = api(on, created);
  for (const id of producerIds) expect((await producers.start(id)).status).toBe(200);
  const since = <T extends WarrenEvent['type']>(from: number, type: T): Event<T>[] =>
    events.slice(from).filter((e): e is Event<T> => e.type === type);
  const routedBy = (from: number, id: string) =>
    since(from, 'routed').find((e) => e.producerId === id);
  /** An ack by the consumer of a message the firehose saw routed after event `from`. */
  const consumedBy = (from: number, id: string) => {
    const routed = new Set(since(from, 'routed').map((e) => e.messageId));
    return since(from, 'acked').find((e) => e.consumerId === id && routed.has(e.messageId));
  };
  const consumers = async () =>
    (await on.inject(`/api/sessions/${created.id}/consumers`)).json<ConsumersResponse>().consumers;
  const own = [
    `warren session ${created.id}`,
    ...producerIds.map((id) => `warren:${created.id}:producer:${id}`),
    ...consumerIds.map((id) => `warren:${created.id}:consumer:${id}`),
  ];

  await until(
    () =>
      producerIds.every((id) => routedBy(0, id)) && consumerIds.every((id) => consumedBy(0, id)),
    10_000,
    'traffic through every producer and consumer',
  );
  await until(
    async () => {
      const listed = await connectionsOf(created.vhost);
      return own.every((name) => listed.has(name));
    },
    10_000,
    'the five connections listed by the broker',
  );
  const before = await connectionsOf(created.vhost);
  expect([...before.keys()].sort()).toEqual([...own].sort());

  return {
    created,
    session,
    events,
    producers,
    before,
    /**
     * Waits until everything runs again after the connections were taken at event `mark`, the
     * old ones being gone by event `gone`; answers how long each took after `from` (epoch ms).
     */
    async resumed(mark: number, gone: number, from: number): Promise<Record<string, number>> {
      const sentAtLoss = new Map((await producers.list()).map((p) => [p.producerId, p.sent]));
      // The session saw its connection go, and came back with a new firehose.
      await until(
        () => {
          const statuses = since(mark, 'broker-status');
          const down = statuses.findIndex((e) => !e.status.amqp);
          return down >= 0 && statuses.slice(down).some((e) => e.status.amqp);
        },
        15_000,
        'the session to reconnect',
      );
      const back = since(mark, 'broker-status').findLast((e) => e.status.amqp);
      // Whatever the new firehose reports came over the new connections.
      const fresh = Math.max(
        gone,
        events.findIndex((e) => e === back),
      );
      await until(
        () =>
          producerIds.every((id) => routedBy(fresh, id)) &&
          consumerIds.every((id) => consumedBy(fresh, id)),
        20_000,
        'every producer and consumer to resume',
      );
      const msAfter = (event: WarrenEvent | undefined) => (event?.at ?? Number.NaN) - from;
      const timings = {
        session: msAfter(back),
        ...Object.fromEntries(producerIds.map((id) => [id, msAfter(routedBy(fresh, id))])),
        ...Object.fromEntries(consumerIds.map((id) => [id, msAfter(consumedBy(fresh, id))])),
      };

      for (const id of consumerIds) {
        // Each consumer told its viewers it had lost its connection, then that it runs again.
        const states = () => since(mark, 'consumer-state').filter((e) => e.consumerId === id);
        const lost = states().findIndex((e) => e.status === 'error');
        expect(lost, `consumer ${id} reports its loss`).toBeGreaterThanOrEqual(0);
        await until(
          () =>
            states()
              .slice(lost)
              .some((e) => e.status === 'running'),
          5000,
          `consumer ${id} to report it runs again`,
        );
        const acked = since(fresh, 'acked').filter((e) => e.consumerId === id);
        expect(acked.length, `consumer ${id} acks again`).toBeGreaterThan(0);
      }
      await until(
        async () => (await consumers()).every((c) => c.status === 'running'),
        5000,
        'every consumer running',
      );
      for (const state of await producers.list()) {
        expect(state).toMatchObject({ status: 'running', running: true, connected: true });
        expect(state.sent).toBeGreaterThan(sentAtLoss.get(state.producerId) ?? 0);
      }
      // New connections under the same names: none of the closed ones came back. The broker
      // lists connections from its statistics, a few seconds behind.
      await until(
        async () => {
          const renewed = await connectionsOf(created.vhost);
          return own.every((name) => {
            const brokerName = renewed.get(name);
            return brokerName !== undefined && brokerName !== before.get(name);
          });
        },
        15_000,
        'five new connections listed by the broker',
      );
      expect(session.broker.amqp).toBe(true);
      return timings;
    },
  };
}

describe('a session whose broker connections are all taken away', () => {
  it('runs its producers and consumers again after the broker closes every connection', async () => {
    const busy = await busySession(app);
    const mark = busy.events.length;
    const killedAt = Date.now();
    await killConnections(busy.created.vhost, busy.before.values());
    const timings = await busy.resumed(mark, busy.events.length, killedAt);
    console.info(JSON.stringify({ killed: 'management API', resumedAfterMs: timings }));
    for (const id of producerIds) await busy.producers.stop(id);
  });

  it('keeps its producers running while the broker is away, and resumes when it is back', async () => {
    const url = new URL(loadConfig(process.env).amqpUrl);
    const door = await brokerDoor(Number(url.port || 5672));
    await door.open();
    url.host = `127.0.0.1:${door.port}`;
    const doorApp = await buildTestApp({ AMQP_URL: url.href });
    try {
      await brokerReady(doorApp);
      const busy = await busySession(doorApp);
      const mark = busy.events.length;
      door.cutOff();
      // Every client has tried to come back and been refused at least once or twice.
      await until(() => door.refused >= 12, 15_000, 'refused reconnects');
      const away = await busy.producers.list();
      for (const state of away)
        expect(state).toMatchObject({ status: 'running', connected: false });
      const restoredAt = Date.now();
      door.restore();
      const timings = await busy.resumed(mark, busy.events.length, restoredAt);
      console.info(JSON.stringify({ killed: 'broker away', resumedAfterMs: timings }));
      for (const id of producerIds) await busy.producers.stop(id);
    } finally {
      await doorApp.close();
      await door.close();
    }
  });
});
