import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { CounterSnapshot } from '@warren/topology';
import type { OutsideResponse } from '@warren/protocol';
import {
  consumerEdgeId,
  outsideConsumeEdgeId,
  producerEdgeId,
  relationEdgeId,
} from '@warren/topology';
import { auth, management, until } from '../helpers';
import {
  binding,
  consumer,
  drivenSession,
  exchange,
  queue,
  type SessionDriver,
  topology,
} from '../consumers/fixtures';

/**
 * The counts on the canvas's edges equal the broker's own statistics: the binding edges into a
 * queue add up to what the broker routed to it, a consumer's edge to the deliveries on its
 * channel, the publish edges to what came into the exchange.
 */

let app: FastifyInstance;
let driver: SessionDriver;
drivenSession((a, d) => ((app = a), (driver = d)));

interface Stats {
  publish?: number;
  publish_in?: number;
  deliver_get?: number;
}

async function brokerStats(path: string): Promise<Stats> {
  const row = await management().request<{ message_stats?: Stats }>('GET', path);
  return row.message_stats ?? {};
}

/** Per-channel delivery counts by the client-given connection name (or the broker's name). */
async function deliveriesByConnection(vhost: string): Promise<Map<string, number>> {
  const rows = await management().request<
    {
      connection_details?: { name?: string };
      message_stats?: Stats;
    }[]
  >('GET', `/vhosts/${encodeURIComponent(vhost)}/channels`);
  const names = await management().request<
    { name: string; client_properties?: { connection_name?: string } }[]
  >('GET', `/vhosts/${encodeURIComponent(vhost)}/connections`);
  const given = new Map(names.map((c) => [c.name, c.client_properties?.connection_name ?? c.name]));
  const result = new Map<string, number>();
  for (const row of rows) {
    const name = row.connection_details?.name ?? '';
    const key = given.get(name) ?? name;
    result.set(key, (result.get(key) ?? 0) + (row.message_stats?.deliver_get ?? 0));
  }
  return result;
}

describe('edge counters', () => {
  it('equal the broker: bindings, e2e, alternate exchange, producers and consumers', async () => {
    const sessionId = driver.session.id;
    const vhost = driver.session.vhost;
    const diagram = topology({
      exchanges: [
        exchange('orders', 'topic', { arguments: { 'alternate-exchange': 'unrouted' } }),
        exchange('audit', 'fanout'),
        exchange('unrouted', 'fanout'),
      ],
      queues: [queue('billing'), queue('log'), queue('lost')],
      bindings: [
        binding('orders', 'billing', 'order.*'),
        binding('orders', 'audit', 'order.#', { destinationType: 'exchange' }),
        binding('audit', 'log'),
        binding('unrouted', 'lost'),
      ],
      producers: [
        {
          id: 'shop',
          name: 'shop',
          exchange: 'orders',
          routingKey: 'order.paid',
          payload: 'x',
          mandatory: false,
        },
      ],
      consumers: [
        consumer('fast', 'billing', { prefetch: 5 }),
        consumer('slow', 'billing', { prefetch: 1, processingMs: { min: 5, max: 5 } }),
      ],
    });
    await driver.apply(diagram);
    await until(
      async () => (await driver.consumers()).every((c) => c.status === 'running'),
      10_000,
      'consumers running',
    );

    const outside = await driver.channel();
    let outsideGot = 0;
    await outside.consume('log', () => (outsideGot += 1), { noAck: true });
    const send = await app.inject({
      method: 'POST',
      url: `/api/sessions/${sessionId}/producers/shop/send`,
      headers: auth(driver.session),
      payload: { count: 40 },
    });
    expect(send.statusCode, send.body).toBeLessThan(300);
    const publisher = await (await driver.connect()).createConfirmChannel();
    for (let i = 0; i < 30; i++) {
      // order.x.y only reaches audit; misc goes to the alternate exchange.
      publisher.publish('orders', i % 2 === 0 ? 'order.x.y' : 'misc', Buffer.from('o'));
    }
    await publisher.waitForConfirms();

    const counters = async () =>
      (
        await app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/counters` })
      ).json<CounterSnapshot>();
    const edges = diagram.bindings.map((b) => b.id);
    const [toBilling, toAudit, toLog, toLost] = edges as [string, string, string, string];
    await until(
      async () => {
        const c = (await counters()).edges;
        return (c[toLog] ?? 0) === 55 && (c[toLost] ?? 0) === 15 && outsideGot === 55;
      },
      15_000,
      'every message counted',
    );
    // The broker's statistics lag its traffic by a few seconds.
    let last: unknown;
    await until(
      async () => {
        const c = await counters();
        const [billing, log, lost, orders] = await Promise.all([
          brokerStats(`/queues/${encodeURIComponent(vhost)}/billing`),
          brokerStats(`/queues/${encodeURIComponent(vhost)}/log`),
          brokerStats(`/queues/${encodeURIComponent(vhost)}/lost`),
          brokerStats(`/exchanges/${encodeURIComponent(vhost)}/orders`),
        ]);
        const channels = await deliveriesByConnection(vhost);
        const consumerChannel = (id: string) =>
          channels.get(`warren:${sessionId}:consumer:${id}`) ?? 0;
        const outsideName = [...channels.keys()].find((k) => !k.startsWith('warren'));
        // Edges name the outside client's node, which lists the connections it stands for.
        const listed = (
          await app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/outside` })
        ).json<OutsideResponse>();
        const outsideId = listed.clients.find((client) =>
          client.connections?.includes(outsideName ?? ''),
        )?.id;
        const mine = {
          billing: c.edges[toBilling],
          log: c.edges[toLog],
          lost: c.edges[toLost],
          orders: c.exchanges.orders?.published,
          fast: c.edges[consumerEdgeId('fast')],
          slow: c.edges[consumerEdgeId('slow')],
          outside: outsideName && c.edges[outsideConsumeEdgeId(outsideId ?? '', 'log')],
        };
        const broker = {
          billing: billing.publish,
          log: log.publish,
          lost: lost.publish,
          orders: orders.publish_in,
          fast: consumerChannel('fast'),
          slow: consumerChannel('slow'),
          outside: outsideName && channels.get(outsideName),
        };
        last = { mine, broker };
        return JSON.stringify(mine) === JSON.stringify(broker);
      },
      20_000,
      'counters equal to the broker statistics',
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}: ${JSON.stringify(last)}`);
    });

    // Each delivery names who got it: a consumer node, or the outside client's node.
    const delivered = driver.of('delivered');
    expect(delivered.filter((e) => e.queue === 'billing').map((e) => e.consumerId)).toEqual(
      expect.arrayContaining(['fast', 'slow']),
    );
    expect(delivered.every((e) => e.queue !== 'billing' || e.consumerId !== undefined)).toBe(true);
    expect(delivered.every((e) => e.queue !== 'log' || e.outsideClientId !== undefined)).toBe(true);

    const final = await counters();
    expect(final.edges[producerEdgeId('shop')]).toBe(40);
    expect(final.edges[toBilling]).toBe(40);
    expect(final.edges[toAudit]).toBe(55);
    expect(final.edges[consumerEdgeId('fast')]! + final.edges[consumerEdgeId('slow')]!).toBe(40);
    expect(final.edges[relationEdgeId('alternate', 'x-orders')]).toBe(15);
    expect(final.exchanges.orders).toEqual({ published: 70, unroutable: 0 });

    const reset = await app.inject({
      method: 'POST',
      url: `/api/sessions/${sessionId}/counters/reset`,
      headers: auth(driver.session),
    });
    expect(reset.json<CounterSnapshot>()).toEqual({ edges: {}, exchanges: {} });
  });
});
