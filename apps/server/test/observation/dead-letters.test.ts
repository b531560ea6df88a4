import amqp from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { CreateSessionResponse, QueuesResponse } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { binding, exchange, queue } from '@warren/topology/testing';
import { appPerFile, auth, connectionsPerTest, createSession, until } from '../helpers';
import { besideSentinel, deadLetterTopology, sentinelExpired, watch, withSentinel } from './watch';

/**
 * Every dead-lettering reaches the browser as it happens, with the broker's own reason, source
 * queue and count from x-death, though the broker does not trace dead-lettering on its firehose.
 */

let app: FastifyInstance;
appPerFile((built) => (app = built));
const connections = connectionsPerTest();

async function outsideClient(url: string) {
  const connection = await amqp.connect(url);
  connections.push(connection);
  return connection;
}

async function publish(url: string, queueName: string, count: number, prefix: string) {
  const channel = await (await outsideClient(url)).createConfirmChannel();
  for (let i = 0; i < count; i++) {
    channel.sendToQueue(queueName, Buffer.from(`m${i}`), { messageId: `${prefix}-${i}` });
  }
  await channel.waitForConfirms();
}

/** Messages ready in a queue, as Warren reads them from the broker. */
async function depth(
  session: CreateSessionResponse,
  queueName: string,
): Promise<number | undefined> {
  const reply = await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/queues` });
  return reply.json<QueuesResponse>().queues.find((q) => q.name === queueName)?.messages;
}

describe('dead-lettered events', () => {
  it('reports a rejected message with reason rejected and the queue it left', async () => {
    const session = await createSession(app, { topology: deadLetterTopology({}) });
    const client = await watch(app, session.id);
    const consumer = await (await outsideClient(session.amqp.url)).createChannel();
    await consumer.consume('work', (message) => message && consumer.reject(message, false));
    await publish(session.amqp.url, 'work', 3, 'rej');

    await until(() => client.of('dead-lettered').length === 3, 5000, '3 dead-lettered');
    const events = client.of('dead-lettered');
    expect(events.map((e) => e.messageId).sort()).toEqual(['rej-0', 'rej-1', 'rej-2']);
    for (const event of events) {
      expect(event).toMatchObject({
        queue: 'work',
        reason: 'rejected',
        exchange: 'dlx',
        routingKey: 'work',
        count: 1,
        inferred: false,
      });
    }
    // The dead-letter tap is Warren's: no routed event names its observer queue.
    expect(client.of('routed').flatMap((e) => e.routedQueues)).toEqual(['work', 'work', 'work']);
    client.close();
  });

  it('reports expiry with reason expired when the queue has a dead-letter exchange', async () => {
    const session = await createSession(app, {
      topology: withSentinel(deadLetterTopology({ 'x-message-ttl': 150 })),
    });
    const client = await watch(app, session.id);
    await publish(session.amqp.url, 'work', 2, 'ttl');
    await until(() => client.of('dead-lettered').length === 2, 5000, '2 dead-lettered');
    expect(client.of('dead-lettered').map((e) => [e.messageId, e.queue, e.reason])).toEqual([
      ['ttl-0', 'work', 'expired'],
      ['ttl-1', 'work', 'expired'],
    ]);
    // Seen by the dead-letter exchange, so not inferred a second time from the depth.
    await sentinelExpired(client, session.amqp.url);
    expect(besideSentinel(client.of('expired'))).toEqual([]);
    client.close();
  });

  it('reports the oldest messages dropped by drop-head overflow with reason maxlen (lesson 16)', async () => {
    const session = await createSession(app, {
      topology: withSentinel(deadLetterTopology({ 'x-max-length': 2 })),
    });
    const client = await watch(app, session.id);
    await publish(session.amqp.url, 'work', 5, 'ml');
    await until(() => client.of('dead-lettered').length === 3, 5000, '3 dead-lettered');
    expect(client.of('dead-lettered').map((e) => [e.messageId, e.reason])).toEqual([
      ['ml-0', 'maxlen'],
      ['ml-1', 'maxlen'],
      ['ml-2', 'maxlen'],
    ]);
    const depths = await app.inject({
      method: 'GET',
      url: `/api/sessions/${session.id}/queues`,
      headers: auth(session),
    });
    expect(depths.json<{ queues: { name: string; messages: number }[] }>().queues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'work', messages: 2 }),
        expect.objectContaining({ name: 'dlq', messages: 3 }),
      ]),
    );
    await sentinelExpired(client, session.amqp.url);
    expect(client.of('dropped')).toEqual([]);
    client.close();
  });

  it('sees a dead-lettering through the default exchange when the copy is delivered', async () => {
    // No exchange to tap: the copy goes straight to `dlq`; its x-death shows on delivery.
    const topology: Topology = {
      version: 1,
      exchanges: [],
      queues: [
        queue('work', {
          arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'dlq' },
        }),
        queue('dlq'),
      ],
      bindings: [],
      producers: [],
    };
    const session = await createSession(app, { topology });
    const client = await watch(app, session.id);
    const connection = await outsideClient(session.amqp.url);
    const consumer = await connection.createChannel();
    await consumer.consume('work', (message) => message && consumer.reject(message, false));
    await publish(session.amqp.url, 'work', 2, 'dflt');
    // Both copies are in dlq, and still no event: nothing can be seen before they are delivered.
    await until(async () => (await depth(session, 'dlq')) === 2, 5000, 'the copies in dlq');
    expect(client.of('dead-lettered')).toEqual([]);
    const reader = await connection.createChannel();
    await reader.consume('dlq', (message) => message && reader.ack(message));
    await until(() => client.of('dead-lettered').length === 2, 5000, '2 dead-lettered');
    expect(
      client
        .of('dead-lettered')
        .map((e) => [e.messageId, e.queue, e.reason, e.exchange, e.routingKey]),
    ).toEqual([
      ['dflt-0', 'work', 'rejected', '', 'dlq'],
      ['dflt-1', 'work', 'rejected', '', 'dlq'],
    ]);
    // The copies' deliveries carry their x-death history as a table.
    const fromDlq = client.of('delivered').filter((e) => e.queue === 'dlq');
    expect(fromDlq.map((e) => e.properties?.xDeath)).toEqual([
      [expect.objectContaining({ queue: 'work', reason: 'rejected', count: 1, exchange: '' })],
      [expect.objectContaining({ queue: 'work', reason: 'rejected', count: 1, exchange: '' })],
    ]);
    expect(fromDlq[0]?.properties?.xDeath?.[0]?.routingKeys).toEqual(['work']);
    expect(typeof fromDlq[0]?.properties?.xDeath?.[0]?.time).toBe('number');
    client.close();
  });

  it('counts each hop of a TTL retry cycle, x-death count included (lesson 15)', async () => {
    // work rejects into retry (TTL 100 ms), which dead-letters back into work.
    const topology: Topology = {
      version: 1,
      exchanges: [
        exchange('work.x', 'direct', { id: 'x-w' }),
        exchange('retry.x', 'direct', { id: 'x-r' }),
      ],
      queues: [
        queue('work', { arguments: { 'x-dead-letter-exchange': 'retry.x' } }),
        queue('retry', { arguments: { 'x-dead-letter-exchange': 'work.x', 'x-message-ttl': 100 } }),
      ],
      bindings: [
        binding('work.x', 'work', 'task', { id: 'b1' }),
        binding('retry.x', 'retry', 'task', { id: 'b2' }),
      ],
      producers: [],
    };
    const session = await createSession(app, { topology });
    const client = await watch(app, session.id);
    const consumer = await (await outsideClient(session.amqp.url)).createChannel();
    let deliveries = 0;
    await consumer.consume('work', (message) => {
      if (!message) return;
      deliveries += 1;
      if (deliveries <= 2) consumer.reject(message, false);
      else consumer.ack(message);
    });
    const producer = await (await outsideClient(session.amqp.url)).createConfirmChannel();
    producer.publish('work.x', 'task', Buffer.from('job'), { messageId: 'job-1' });
    await producer.waitForConfirms();

    await until(() => deliveries === 3, 8000, 'three deliveries');
    await until(() => client.of('dead-lettered').length === 4, 5000, '4 dead-letterings');
    expect(client.of('dead-lettered').map((e) => [e.queue, e.reason, e.count, e.exchange])).toEqual(
      [
        ['work', 'rejected', 1, 'retry.x'],
        ['retry', 'expired', 1, 'work.x'],
        ['work', 'rejected', 2, 'retry.x'],
        ['retry', 'expired', 2, 'work.x'],
      ],
    );
    client.close();
  });
});
