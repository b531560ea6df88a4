import amqp, { type ChannelModel, type ConfirmChannel, type GetMessage } from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateSessionResponse } from '@warren/protocol';
import { createExplainer, type Explanation, type LaterFate, type Topology } from '@warren/topology';
import { binding, exchange, queue } from '@warren/topology/testing';
import { auth, brokerReady, buildTestApp, createSession, until } from './helpers';

/**
 * The fates the explainer predicts for a message in a queue (expiry, overflow, rejection and
 * where dead-lettering takes it) checked against what the broker really does.
 */

const topology: Topology = {
  version: 1,
  exchanges: [
    exchange('dlx', 'fanout', { id: 'dlx' }),
    exchange('retry-dlx', 'direct', { id: 'retry' }),
  ],
  queues: [
    queue('short-lived', { arguments: { 'x-message-ttl': 300, 'x-dead-letter-exchange': 'dlx' } }),
    queue('bounded', { arguments: { 'x-max-length': 2, 'x-dead-letter-exchange': 'dlx' } }),
    queue('refusing', { arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } }),
    queue('refusing-dlx', {
      arguments: {
        'x-max-length': 1,
        'x-overflow': 'reject-publish-dlx',
        'x-dead-letter-exchange': 'dlx',
      },
    }),
    queue('rerouted', {
      arguments: {
        'x-dead-letter-exchange': 'retry-dlx',
        'x-dead-letter-routing-key': 'retry',
      },
    }),
    queue('dead-letters'),
    queue('retries'),
  ],
  bindings: [
    binding('dlx', 'dead-letters', '', { id: 'b1' }),
    binding('retry-dlx', 'retries', 'retry', { id: 'b2' }),
  ],
  producers: [],
};

const explain = createExplainer(topology);

let app: FastifyInstance;
let session: CreateSessionResponse;
let connection: ChannelModel;
let channel: ConfirmChannel;

beforeAll(async () => {
  app = await buildTestApp();
  await brokerReady(app);
  session = await createSession(app, { topology });
  connection = await amqp.connect(session.amqp.url);
  connection.on('error', () => {});
  channel = await connection.createConfirmChannel();
  channel.on('error', () => {});
});
afterAll(async () => {
  await connection?.close().catch(() => {});
  if (session)
    await app.inject({
      method: 'DELETE',
      url: `/api/sessions/${session.id}`,
      headers: auth(session),
    });
  await app.close();
});

function fate(e: Explanation, queueName: string, kind: LaterFate['kind']): LaterFate {
  const found = e.fates.find((f) => f.queue === queueName)?.later.find((l) => l.kind === kind);
  if (!found) throw new Error(`no ${kind} fate predicted for ${queueName}`);
  return found;
}

async function publish(queueName: string, payload: string): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/publish`,
    headers: auth(session),
    payload: { exchange: '', routingKey: queueName, payload },
  });
  expect(response.statusCode).toBe(200);
  expect(response.json<{ routedQueues: string[] }>().routedQueues).toEqual([queueName]);
}

/** Publishes with confirms; resolves to whether the broker acked (true) or nacked (false). */
function confirmed(queueName: string, payload: string): Promise<boolean> {
  return new Promise((resolve) => {
    channel.publish('', queueName, Buffer.from(payload), {}, (error: unknown) =>
      resolve(error === null || error === undefined),
    );
  });
}

async function getOne(queueName: string): Promise<GetMessage> {
  let message: GetMessage | false = false;
  await until(
    async () => {
      message = await channel.get(queueName, { noAck: true });
      return message !== false;
    },
    5000,
    `a message in ${queueName}`,
  );
  return message as unknown as GetMessage;
}

interface Death {
  reason: string;
  queue: string;
  'routing-keys': string[];
}

function deaths(message: GetMessage): Death[] {
  const header: unknown = message.properties.headers?.['x-death'];
  return Array.isArray(header) ? (header as Death[]) : [];
}

describe('fates on the broker', () => {
  it('an expired message is dead-lettered to the dead-letter exchange with reason expired', async () => {
    const predicted = fate(
      explain({ exchange: '', routingKey: 'short-lived' }),
      'short-lived',
      'expires',
    );
    expect(predicted).toMatchObject({ afterMs: 300, deadLetter: { exchange: 'dlx' } });
    expect(predicted.deadLetter?.route?.queues).toEqual(['dead-letters']);

    await publish('short-lived', 'ttl');
    const message = await getOne('dead-letters');
    expect(message.content.toString()).toBe('ttl');
    expect(deaths(message)[0]).toMatchObject({ reason: 'expired', queue: 'short-lived' });
  });

  it('drop-head dead-letters the oldest message with reason maxlen', async () => {
    const predicted = fate(explain({ exchange: '', routingKey: 'bounded' }), 'bounded', 'overflow');
    expect(predicted).toMatchObject({ reason: 'maxlen', deadLetter: { exchange: 'dlx' } });
    expect(predicted.text).toContain('oldest');

    for (const payload of ['first', 'second', 'third']) await publish('bounded', payload);
    const message = await getOne('dead-letters');
    expect(message.content.toString()).toBe('first');
    expect(deaths(message)[0]).toMatchObject({ reason: 'maxlen', queue: 'bounded' });
    const kept = [await getOne('bounded'), await getOne('bounded')].map((m) =>
      m.content.toString(),
    );
    expect(kept).toEqual(['second', 'third']);
  });

  it('reject-publish refuses the new message with a nack and does not dead-letter it', async () => {
    const predicted = fate(
      explain({ exchange: '', routingKey: 'refusing' }),
      'refusing',
      'overflow',
    );
    expect(predicted.deadLetter).toBeUndefined();
    expect(predicted.text).toContain('basic.nack');

    expect(await confirmed('refusing', 'kept')).toBe(true);
    expect(await confirmed('refusing', 'refused')).toBe(false);
    expect((await getOne('refusing')).content.toString()).toBe('kept');
    expect(await channel.get('refusing', { noAck: true })).toBe(false);
  });

  it('reject-publish-dlx refuses the new message and dead-letters it with reason maxlen', async () => {
    const predicted = fate(
      explain({ exchange: '', routingKey: 'refusing-dlx' }),
      'refusing-dlx',
      'overflow',
    );
    expect(predicted).toMatchObject({ reason: 'maxlen', deadLetter: { exchange: 'dlx' } });

    expect(await confirmed('refusing-dlx', 'kept')).toBe(true);
    expect(await confirmed('refusing-dlx', 'refused')).toBe(false);
    const message = await getOne('dead-letters');
    expect(message.content.toString()).toBe('refused');
    expect(deaths(message)[0]).toMatchObject({ reason: 'maxlen', queue: 'refusing-dlx' });
    await getOne('refusing-dlx');
  });

  it('a rejected message goes out with the dead-letter routing key, not its own', async () => {
    const predicted = fate(
      explain({ exchange: '', routingKey: 'rerouted' }),
      'rerouted',
      'rejected',
    );
    expect(predicted).toMatchObject({
      reason: 'rejected',
      deadLetter: { exchange: 'retry-dlx', routingKey: 'retry' },
    });
    expect(predicted.deadLetter?.route?.queues).toEqual(['retries']);

    await publish('rerouted', 'try again');
    let delivered: GetMessage | false = false;
    await until(
      async () => (delivered = await channel.get('rerouted', { noAck: false })) !== false,
      5000,
      'the message in rerouted',
    );
    channel.nack(delivered as unknown as GetMessage, false, false);
    const message = await getOne('retries');
    expect(message.fields.routingKey).toBe('retry');
    expect(message.content.toString()).toBe('try again');
    expect(deaths(message)[0]).toMatchObject({
      reason: 'rejected',
      queue: 'rerouted',
      'routing-keys': ['rerouted'],
    });
  });
});
