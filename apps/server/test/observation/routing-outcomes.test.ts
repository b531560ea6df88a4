import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { PublishResponse } from '@warren/protocol';
import type { CounterSnapshot, ExchangeType, Topology } from '@warren/topology';
import { binding, exchange, queue, topology } from '@warren/topology/testing';
import { appPerFile, auth, createSession, until } from '../helpers';
import { outsideConnections } from './outside-connections';
import { watch } from './watch';

/**
 * The firehose lists the queues a publish was routed to, but the default exchange lists its
 * routing key without checking that such a queue exists. Warren reports only queues the broker
 * has: a message to no queue is unroutable, whatever the exchange type.
 */

let app: FastifyInstance;
appPerFile((a) => (app = a));
const { connect } = outsideConnections();

type Session = Awaited<ReturnType<typeof createSession>>;

const publish = async (session: Session, payload: object) => {
  const reply = await app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/publish`,
    headers: auth(session),
    payload,
  });
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json<PublishResponse>();
};

const counters = async (session: Session) =>
  (
    await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/counters` })
  ).json<CounterSnapshot>();

/** One exchange of `type` with queue `q` bound so that `match` routes there and `miss` not. */
const cases: {
  type: ExchangeType;
  bind: Partial<Parameters<typeof binding>[3]> & { key?: string };
  match: { routingKey: string; headers?: Record<string, string> };
  miss?: { routingKey: string; headers?: Record<string, string> };
}[] = [
  { type: 'direct', bind: { key: 'k' }, match: { routingKey: 'k' }, miss: { routingKey: 'x' } },
  { type: 'fanout', bind: {}, match: { routingKey: 'anything' } },
  { type: 'topic', bind: { key: 'a.*' }, match: { routingKey: 'a.b' }, miss: { routingKey: 'b' } },
  {
    type: 'headers',
    bind: { arguments: { 'x-match': 'all', kind: 'k' } },
    match: { routingKey: '', headers: { kind: 'k' } },
    miss: { routingKey: '', headers: { kind: 'x' } },
  },
  { type: 'x-consistent-hash', bind: { key: '1' }, match: { routingKey: 'any' } },
];

describe('routing outcomes are filtered by what exists', () => {
  it('the default exchange routes to no queue when none has the key’s name; mandatory returns it', async () => {
    const session = await createSession(app, { topology: topology({ queues: [queue('work')] }) });
    const named = await publish(session, { exchange: '', routingKey: 'work', payload: 'a' });
    expect(named.routedQueues).toEqual(['work']);
    const none = await publish(session, { exchange: '', routingKey: 'no-such-queue' });
    expect(none.routedQueues).toEqual([]);
    expect(none.returned).toBeUndefined();
    const mandatory = await publish(session, {
      exchange: '',
      routingKey: 'no-such-queue',
      mandatory: true,
    });
    expect(mandatory.routedQueues).toEqual([]);
    expect(mandatory.returned).toEqual({ replyCode: 312, replyText: 'NO_ROUTE' });
    await until(
      async () => (await counters(session)).exchanges['']?.published === 3,
      5000,
      'three publishes counted',
    );
    expect((await counters(session)).exchanges['']).toEqual({ published: 3, unroutable: 2 });
  });

  it.each(cases)('a $type exchange reports the queues the broker has', async (c) => {
    const doc: Topology = topology({
      exchanges: [exchange('x', c.type)],
      queues: [queue('q')],
      bindings: [binding('x', 'q', c.bind.key ?? '', { arguments: c.bind.arguments })],
    });
    if (c.bind.arguments === undefined) delete doc.bindings[0]!.arguments;
    const session = await createSession(app, { topology: doc });
    const hit = await publish(session, { exchange: 'x', ...c.match });
    expect(hit.routedQueues).toEqual(['q']);
    if (c.miss)
      expect((await publish(session, { exchange: 'x', ...c.miss })).routedQueues).toEqual([]);
    // The broker's own count agrees: the routed message is in q.
    const channel = await (await connect(session.amqp.url)).createChannel();
    expect((await channel.checkQueue('q')).messageCount).toBe(1);
  });

  it('an RPC request sent before its server declared rpc_queue is unroutable; once declared, routed', async () => {
    const session = await createSession(app, { topology: topology({}) });
    const client = await watch(app, session.id);
    const channel = await (await connect(session.amqp.url)).createConfirmChannel();
    channel.publish('', 'rpc_queue', Buffer.from('early'), { messageId: 'early' });
    await channel.waitForConfirms();
    await until(
      () => client.of('routed').some((e) => e.messageId === 'early'),
      5000,
      'early routed',
    );
    expect(client.of('routed').find((e) => e.messageId === 'early')?.routedQueues).toEqual([]);

    // The server starts: its queue is not in the topology yet, but the broker has it.
    const server = await (await connect(session.amqp.url)).createChannel();
    await server.assertQueue('rpc_queue', { durable: false });
    channel.publish('', 'rpc_queue', Buffer.from('later'), { messageId: 'later' });
    await channel.waitForConfirms();
    await until(
      () => client.of('routed').some((e) => e.messageId === 'later'),
      5000,
      'later routed',
    );
    expect(client.of('routed').find((e) => e.messageId === 'later')?.routedQueues).toEqual([
      'rpc_queue',
    ]);
    expect((await server.checkQueue('rpc_queue')).messageCount).toBe(1);
    client.close();
  });
});
