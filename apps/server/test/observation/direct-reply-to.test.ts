import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';

import type { ConsumersResponse } from '@warren/protocol';
import { consumerEdgeId, outsideConsumeEdgeId, type CounterSnapshot } from '@warren/topology';
import { queue, topology } from '@warren/topology/testing';
import { consumer } from '../consumers/fixtures';
import { appPerFile, createSession, until } from '../helpers';
import { outsideConnections } from './outside-connections';
import { watch } from './watch';

/**
 * An RPC client using direct reply-to consumes the pseudo-queue `amq.rabbitmq.reply-to`; the
 * server's reply goes through the default exchange to an address of the client's channel. The
 * broker traces it as routed to no queue and traces no delivery: Warren shows it delivered to
 * the requesting client, and counts it on that client's edge, never as unroutable.
 */

let app: FastifyInstance;
appPerFile((a) => (app = a));
const { connect } = outsideConnections();

describe('direct reply-to', () => {
  it('shows each reply delivered to the requesting client and counts it on its edge', async () => {
    const session = await createSession(app, {
      topology: topology({ queues: [queue('rpc_queue', { durable: false })] }),
    });
    const client = await watch(app, session.id);

    // The RPC server, as in the tutorial: replies to reply_to with the correlation id.
    const server = await (await connect(session.amqp.url)).createChannel();
    await server.consume('rpc_queue', (m) => {
      if (!m) return;
      server.sendToQueue(
        m.properties.replyTo as string,
        Buffer.from(`re: ${m.content.toString()}`),
        {
          correlationId: m.properties.correlationId as string,
          messageId: `reply-${m.properties.correlationId as string}`,
        },
      );
      server.ack(m);
    });
    // The RPC client.
    const rpc = await (await connect(session.amqp.url)).createChannel();
    const replies: string[] = [];
    await rpc.consume('amq.rabbitmq.reply-to', (m) => m && replies.push(m.content.toString()), {
      noAck: true,
    });
    for (const id of ['1', '2']) {
      rpc.sendToQueue('rpc_queue', Buffer.from(`fib ${id}`), {
        replyTo: 'amq.rabbitmq.reply-to',
        correlationId: id,
        messageId: `request-${id}`,
      });
    }
    await until(() => replies.length === 2, 5000, 'both replies at the client');
    await until(
      () => client.of('delivered').filter((e) => e.queue === 'amq.rabbitmq.reply-to').length === 2,
      5000,
      'both replies delivered',
    );

    const requester = client.of('routed').find((e) => e.messageId === 'request-1')?.outsideClientId;
    expect(requester).toBeDefined();
    const reply = client.of('routed').find((e) => e.messageId === 'reply-1');
    expect(reply).toMatchObject({
      exchange: '',
      routedQueues: [],
      outside: true,
      directReplyTo: requester,
    });
    expect(reply?.routingKey).toMatch(/^amq\.rabbitmq\.reply-to\./);
    const delivered = client.of('delivered').filter((e) => e.queue === 'amq.rabbitmq.reply-to');
    expect(delivered.map((e) => e.messageId)).toEqual(['reply-1', 'reply-2']);
    expect(delivered.every((e) => e.outsideClientId === requester)).toBe(true);
    // Each reply's delivery follows its routed event.
    const seqOf = (type: string, id: string) =>
      client.events().find((e) => e.type === type && 'messageId' in e && e.messageId === id)?.seq ??
      0;
    expect(seqOf('delivered', 'reply-1')).toBeGreaterThan(seqOf('routed', 'reply-1'));

    const snapshot = async () =>
      (
        await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/counters` })
      ).json<CounterSnapshot>();
    const edge = outsideConsumeEdgeId(requester ?? '', 'amq.rabbitmq.reply-to');
    await until(async () => (await snapshot()).edges[edge] === 2, 5000, 'reply edge counted');
    expect((await snapshot()).exchanges['']).toEqual({ published: 4, unroutable: 0 });
    client.close();
  });

  it('shows the replies of a Warren consumer delivered to the outside client that asked', async () => {
    const session = await createSession(app, {
      topology: topology({
        queues: [queue('rpc_queue', { durable: false })],
        consumers: [consumer('responder', 'rpc_queue', { rpcReply: true, autoAck: true })],
      }),
    });
    const client = await watch(app, session.id);
    await until(
      async () => {
        const reply = await app.inject({
          method: 'GET',
          url: `/api/sessions/${session.id}/consumers`,
        });
        return reply.json<ConsumersResponse>().consumers.some((c) => c.status === 'running');
      },
      5000,
      'the responder running',
    );

    const rpc = await (await connect(session.amqp.url)).createChannel();
    const replies: string[] = [];
    await rpc.consume('amq.rabbitmq.reply-to', (m) => m && replies.push(m.content.toString()), {
      noAck: true,
    });
    for (const id of ['1', '2']) {
      rpc.sendToQueue('rpc_queue', Buffer.from(`fib ${id}`), {
        replyTo: 'amq.rabbitmq.reply-to',
        correlationId: id,
        messageId: `request-${id}`,
      });
    }
    await until(() => replies.length === 2, 5000, 'both replies at the client');
    expect(replies).toEqual(['reply: fib 1', 'reply: fib 2']);
    await until(
      () => client.of('delivered').filter((e) => e.queue === 'amq.rabbitmq.reply-to').length === 2,
      5000,
      'both replies delivered',
    );

    const requester = client.of('routed').find((e) => e.messageId === 'request-1')?.outsideClientId;
    expect(requester).toBeDefined();
    // The requests reached the responder, on its own edge.
    const toResponder = client.of('delivered').filter((e) => e.queue === 'rpc_queue');
    expect(toResponder.map((e) => e.consumerId)).toEqual(['responder', 'responder']);
    const replyEvents = client
      .of('routed')
      .filter((e) => e.routingKey.startsWith('amq.rabbitmq.reply-to.'));
    expect(replyEvents).toHaveLength(2);
    for (const reply of replyEvents) {
      expect(reply).toMatchObject({
        exchange: '',
        routedQueues: [],
        outside: false,
        consumerId: 'responder',
        directReplyTo: requester,
      });
    }
    const delivered = client.of('delivered').filter((e) => e.queue === 'amq.rabbitmq.reply-to');
    expect(delivered.every((e) => e.outsideClientId === requester)).toBe(true);
    expect(delivered.map((e) => e.messageKey)).toEqual(replyEvents.map((e) => e.messageKey));
    expect(delivered.map((e) => e.properties?.correlationId)).toEqual(['1', '2']);

    const snapshot = async () =>
      (
        await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/counters` })
      ).json<CounterSnapshot>();
    const edge = outsideConsumeEdgeId(requester ?? '', 'amq.rabbitmq.reply-to');
    await until(async () => (await snapshot()).edges[edge] === 2, 5000, 'reply edge counted');
    const counts = await snapshot();
    expect(counts.edges[consumerEdgeId('responder')]).toBe(2);
    expect(counts.exchanges['']).toEqual({ published: 4, unroutable: 0 });
    client.close();
  });
});
