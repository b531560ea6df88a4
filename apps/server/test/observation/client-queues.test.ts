import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type {
  ExplainResponse,
  OutsideResponse,
  PublishResponse,
  QueueState,
} from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { exchange, topology } from '@warren/topology/testing';
import { appPerFile, auth, createSession, until } from '../helpers';
import { outsideConnections } from './outside-connections';
import { watch } from './watch';

/**
 * Queues that clients declare for themselves (the pub/sub subscriber's exclusive server-named
 * queue) are the session's too: in its topology, marked as the client's, used by explain and
 * counted, and never touched by an apply.
 */

let app: FastifyInstance;
appPerFile((a) => (app = a));
const { connect } = outsideConnections();

/** The broker's name of a client's connection: what `outsideOwners` names as the owner. */
async function connectionName(session: { id: string }, label: string): Promise<string> {
  let name: string | undefined;
  await until(
    async () => {
      const reply = await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/outside` });
      name = reply
        .json<OutsideResponse>()
        .clients.find((c) => c.label === label || c.label.startsWith(label))?.connections?.[0];
      return name !== undefined;
    },
    8000,
    `client ${label} listed`,
  );
  return name ?? '';
}

/** A pub/sub subscriber: declares `logs` and an exclusive server-named queue bound to it. */
async function subscriber(url: string, label: string) {
  const connection = await connect(url, label);
  const channel = await connection.createChannel();
  await channel.assertExchange('logs', 'fanout', { durable: false });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, 'logs', '');
  const received: string[] = [];
  await channel.consume(queue, (m) => m && received.push(m.content.toString()), { noAck: true });
  return { connection, queue, received };
}

const logsOnly = (): Topology =>
  topology({ exchanges: [exchange('logs', 'fanout', { durable: false })] });

describe("clients' own queues", () => {
  it('are in the topology as the client’s, explained and routed as the broker does, and go with the client', async () => {
    const session = await createSession(app, { topology: logsOnly() });
    const client = await watch(app, session.id);
    const one = await subscriber(session.amqp.url, 'subscriber one');
    const two = await subscriber(session.amqp.url, 'subscriber two');
    const both = [one.queue, two.queue].sort();
    const last = () => client.of('topology').at(-1);
    await until(
      () => both.every((q) => last()?.outsideNames?.includes(`queue:${q}`)),
      8000,
      'both server-named queues in the topology',
    );
    const oneId = await connectionName(session, 'subscriber one');
    const twoId = await connectionName(session, 'subscriber two');
    await until(() => last()?.outsideOwners?.[`queue:${one.queue}`] !== undefined, 8000, 'owners');
    const event = last();
    expect(
      event?.topology.queues.filter((q) => both.includes(q.name)).map((q) => q.exclusive),
    ).toEqual([true, true]);
    expect(event?.outsideOwners).toEqual({
      [`queue:${one.queue}`]: oneId,
      [`queue:${two.queue}`]: twoId,
      [`binding:logs -> ${one.queue} ()`]: oneId,
      [`binding:logs -> ${two.queue} ()`]: twoId,
    });

    // Explain agrees with the broker: the fanout reaches both clients' queues.
    const message = { exchange: 'logs', routingKey: '' };
    const explained = await app.inject({
      method: 'POST',
      url: '/api/explain',
      payload: { message, sessionId: session.id },
    });
    expect(explained.statusCode, explained.body).toBe(200);
    expect(explained.json<ExplainResponse>().queues).toEqual(both);
    const published = await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/publish`,
      headers: auth(session),
      payload: { ...message, payload: 'info: hello' },
    });
    expect(published.json<PublishResponse>().routedQueues.sort()).toEqual(both);
    await until(() => one.received.length + two.received.length === 2, 5000, 'both got it');

    // Counted on the bindings into them; listed with the session's queues.
    const counters = await app.inject({
      method: 'GET',
      url: `/api/sessions/${session.id}/counters`,
    });
    expect(counters.statusCode, counters.body).toBe(200);
    expect(
      counters.json<{ exchanges: Record<string, { unroutable: number }> }>().exchanges.logs,
    ).toMatchObject({ published: 1, unroutable: 0 });
    // The second queue joins the list once the broker's event for it has been read.
    const listed = async () =>
      (await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/queues` }))
        .json<{ queues: QueueState[] }>()
        .queues.map((q) => q.name)
        .filter((n) => both.includes(n))
        .sort();
    await until(async () => (await listed()).length === both.length, 5000, 'both queues listed');
    expect(await listed()).toEqual(both);

    // The broker deletes an exclusive queue with its connection: so does the topology.
    await one.connection.close();
    await until(
      () => !last()?.topology.queues.some((q) => q.name === one.queue),
      8000,
      'the closed client’s queue gone',
    );
    expect(last()?.topology.bindings.some((b) => b.destination === one.queue)).toBe(false);
    expect(last()?.outsideOwners).toEqual({
      [`queue:${two.queue}`]: twoId,
      [`binding:logs -> ${two.queue} ()`]: twoId,
    });
    client.close();
  });

  it('are left alone by an apply, whether the document has them or not', async () => {
    const session = await createSession(app, { topology: logsOnly() });
    const client = await watch(app, session.id);
    const sub = await subscriber(session.amqp.url, 'subscriber');
    await until(
      () => client.of('topology').at(-1)?.outsideNames?.includes(`queue:${sub.queue}`) === true,
      8000,
      'the client’s queue in the topology',
    );
    const current = app.sessions.get(session.id)?.topology;
    if (!current) throw new Error('no session');
    const put = (doc: Topology) =>
      app.inject({
        method: 'PUT',
        url: `/api/sessions/${session.id}/topology`,
        headers: auth(session),
        payload: doc,
      });
    type Applied = { topology: Topology; nodeErrors: unknown[] };

    // With them: nothing refused (no 403 for amq.gen-, no 405 for another's exclusive queue).
    const withThem = await put(current);
    expect(withThem.statusCode, withThem.body).toBe(200);
    expect(withThem.json<Applied>().nodeErrors).toEqual([]);

    // Without them: still on the broker, still in the topology, still bound.
    const without = await put(logsOnly());
    expect(without.statusCode, without.body).toBe(200);
    const applied = without.json<Applied>();
    expect(applied.nodeErrors).toEqual([]);
    expect(applied.topology.queues.map((q) => q.name)).toEqual([sub.queue]);
    expect(applied.topology.bindings.map((b) => `${b.source} -> ${b.destination}`)).toEqual([
      `logs -> ${sub.queue}`,
    ]);
    expect(client.of('topology').at(-1)?.outsideNames).toContain(`queue:${sub.queue}`);
    const channel = await sub.connection.createConfirmChannel();
    channel.publish('logs', '', Buffer.from('still bound'));
    await channel.waitForConfirms();
    await until(() => sub.received.includes('still bound'), 5000, 'the client still gets logs');
    client.close();
  });
});
