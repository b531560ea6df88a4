import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { OutsideClient, OutsideResponse } from '@warren/protocol';
import { appPerFile, createSession, topicTopology, until } from '../helpers';
import { outsideConnections, rpcServer } from './outside-connections';
import { watch, type Watcher } from './watch';

/**
 * Outside clients appear with their role as soon as they do something (from the broker's event
 * exchange and the firehose, not from polling), keep it while connected, and leave soon after
 * they disconnect. RPC clients are both producer and consumer of their reply queue.
 */

let app: FastifyInstance;
appPerFile((built) => (app = built));
const { connect, disconnect } = outsideConnections();

/** The last state announced of the client labelled `label`. */
const latest = (client: Watcher, label: string): OutsideClient | undefined =>
  client
    .of('outside-client')
    .filter((e) => !e.gone && e.client.label === label)
    .at(-1)?.client;

/** The roles a client was announced with, in order, repeats left out. */
function roles(client: Watcher, id: string): string[] {
  const seen = client
    .of('outside-client')
    .filter((e) => !e.gone && e.client.id === id)
    .map((e) => e.client.role);
  return seen.filter((role, i) => role !== seen[i - 1]);
}

/** Every event naming an outside client comes after the client was announced. */
function expectAnnouncedFirst(client: Watcher): void {
  const announced = new Map<string, number>();
  for (const event of client.events()) {
    if (event.type === 'outside-client' && !event.gone && !announced.has(event.client.id)) {
      announced.set(event.client.id, event.seq);
    }
    if ((event.type === 'routed' || event.type === 'delivered') && event.outsideClientId) {
      const at = announced.get(event.outsideClientId);
      expect(at, `${event.type} #${event.seq} names ${event.outsideClientId}`).toBeDefined();
      expect(at ?? Infinity).toBeLessThan(event.seq);
    }
  }
}

async function outside(sessionId: string): Promise<OutsideResponse> {
  const reply = await app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/outside` });
  return reply.json<OutsideResponse>();
}

describe('outside client roles', () => {
  it('shows a consumer within a second, grows it to both when it publishes, and drops it within two seconds of leaving', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    const connection = await connect(session.amqp.url, 'order worker');
    const channel = await connection.createConfirmChannel();
    const consumed = Date.now();
    await channel.consume('orders', (m) => m && channel.ack(m));
    await until(() => latest(client, 'order worker') !== undefined, 1000, 'the consumer');
    expect(Date.now() - consumed).toBeLessThan(1000);
    expect(latest(client, 'order worker')).toMatchObject({
      role: 'consumer',
      queues: ['orders'],
      exchanges: [],
      runs: 1,
    });

    channel.publish('demo.topic', 'order.paid', Buffer.from('{}'));
    await channel.waitForConfirms();
    await until(() => latest(client, 'order worker')?.role === 'both', 1000, 'both');
    const id = latest(client, 'order worker')?.id ?? '';
    await until(
      () => client.of('delivered').some((e) => e.outsideClientId === id),
      5000,
      'delivery to the worker',
    );
    expect(roles(client, id)).toEqual(['consumer', 'both']);
    expect((await outside(session.id)).clients).toEqual([
      expect.objectContaining({ id, role: 'both', label: 'order worker' }),
    ]);

    const left = Date.now();
    await disconnect(connection);
    await until(
      () => client.of('outside-client').some((e) => e.gone && e.client.id === id),
      2000,
      'the client gone',
    );
    expect(Date.now() - left).toBeLessThan(2000);
    expect(roles(client, id)).toEqual(['consumer', 'both']);
    expect((await outside(session.id)).clients).toEqual([]);
    expectAnnouncedFirst(client);
    client.close();
  });

  it('labels a client without a connection name by its product and a short id, never by its address', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    const channel = await (await connect(session.amqp.url)).createConfirmChannel();
    channel.publish('demo.topic', 'order.new', Buffer.from('{}'));
    await channel.waitForConfirms();
    await until(() => client.of('outside-client').length > 0, 1000, 'the publisher');
    const first = client.of('outside-client')[0];
    expect(first?.client).toMatchObject({ role: 'producer', product: 'amqplib', runs: 1 });
    expect(first?.client.label).toMatch(/^amqplib #[0-9a-f]{6}$/);
    expect(first?.client.connections?.[0]).toMatch(/ -> /);
    // Warren's own connections are never outside clients.
    expect(client.of('outside-client').every((e) => !e.client.label.startsWith('warren'))).toBe(
      true,
    );
    expectAnnouncedFirst(client);
    client.close();
  });

  it('shows an RPC client with a named callback queue as both, with its reply queue', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    await rpcServer(await connect(session.amqp.url, 'rpc server'), (request) => `re: ${request}`);
    const caller = await (await connect(session.amqp.url, 'rpc client')).createChannel();
    const { queue: callback } = await caller.assertQueue('', { exclusive: true });
    const answers: string[] = [];
    await caller.consume(callback, (m) => m && answers.push(m.content.toString()), {
      noAck: true,
    });
    caller.sendToQueue('rpc_queue', Buffer.from('30'), { replyTo: callback, correlationId: 'a' });
    await until(() => answers.length === 1, 5000, 'the reply');

    await until(() => latest(client, 'rpc client')?.role === 'both', 1000, 'client as both');
    expect(latest(client, 'rpc client')).toMatchObject({ queues: [callback], exchanges: [''] });
    await until(() => latest(client, 'rpc server')?.role === 'both', 1000, 'server as both');
    expect(latest(client, 'rpc server')).toMatchObject({
      queues: ['rpc_queue'],
      exchanges: [''],
    });
    // Neither was ever announced as anything else before.
    expect(roles(client, latest(client, 'rpc client')?.id ?? '')).toEqual(['consumer', 'both']);
    expect(roles(client, latest(client, 'rpc server')?.id ?? '')).toEqual(['consumer', 'both']);
    expectAnnouncedFirst(client);
    client.close();
  });

  it('shows an RPC client on direct reply-to as both, consuming amq.rabbitmq.reply-to', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    await rpcServer(await connect(session.amqp.url, 'rpc server'), () => 'pong');
    const caller = await (await connect(session.amqp.url, 'direct caller')).createChannel();
    const answers: string[] = [];
    await caller.consume('amq.rabbitmq.reply-to', (m) => m && answers.push(m.content.toString()), {
      noAck: true,
    });
    caller.sendToQueue('rpc_queue', Buffer.from('ping'), {
      replyTo: 'amq.rabbitmq.reply-to',
      correlationId: 'c-1',
    });
    await until(() => answers.length === 1, 5000, 'the reply');
    await until(() => latest(client, 'direct caller') !== undefined, 1000, 'the caller');
    const caller_ = latest(client, 'direct caller');
    expect(caller_).toMatchObject({
      role: 'both',
      queues: ['amq.rabbitmq.reply-to'],
      exchanges: [''],
    });
    expect(roles(client, caller_?.id ?? '')).toEqual(['both']);
    // The reply's routing key (the reply-to address the broker gave) names the caller.
    await until(
      () => client.of('routed').some((e) => e.routingKey.startsWith('amq.rabbitmq.reply-to.')),
      5000,
      'the reply on the firehose',
    );
    const reply = client
      .of('routed')
      .find((e) => e.routingKey.startsWith('amq.rabbitmq.reply-to.'));
    const clients = app.sessions.get(session.id)?.observation.clients;
    expect(clients?.replyToClient(reply?.routingKey ?? '')).toBe(caller_?.id);
    expectAnnouncedFirst(client);
    client.close();
  });

  it('still shows consumers and their leaving from the management API without the event exchange', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    app.sessions.get(session.id)?.observation.clients.stopEvents();
    const client = await watch(app, session.id);
    const connection = await connect(session.amqp.url, 'polled worker');
    const channel = await connection.createChannel();
    await channel.consume('orders', (m) => m && channel.ack(m));
    await until(() => latest(client, 'polled worker') !== undefined, 10_000, 'polled consumer');
    const id = latest(client, 'polled worker')?.id ?? '';
    expect(latest(client, 'polled worker')).toMatchObject({ role: 'consumer', queues: ['orders'] });
    await disconnect(connection);
    await until(
      () => client.of('outside-client').some((e) => e.gone && e.client.id === id),
      10_000,
      'polled client gone',
    );
    expect(roles(client, id)).toEqual(['consumer']);
    client.close();
  });
});
