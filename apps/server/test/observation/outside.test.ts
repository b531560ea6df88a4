import { spawn, spawnSync } from 'node:child_process';
import amqp, { type ChannelModel } from 'amqplib';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutsideResponse, SessionSummary } from '@warren/protocol';
import { brokerReady, buildTestApp, createSession, topicTopology, until } from '../helpers';
import { watch } from './watch';

/**
 * Clients outside Warren (here amqplib with the session's AMQP details, as a pika script would
 * use them) show up as their own producers and consumers, and what they declare or delete on the
 * vhost shows up in the diagram.
 */

let app: FastifyInstance;
const connections: ChannelModel[] = [];

beforeAll(async () => {
  app = await buildTestApp();
  await brokerReady(app);
});
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close().catch(() => {})));
});
afterAll(async () => {
  await app.close();
});

async function connect(url: string, name?: string) {
  const connection = await amqp.connect(
    url,
    name === undefined ? {} : { clientProperties: { connection_name: name } },
  );
  connections.push(connection);
  return connection;
}

async function outside(sessionId: string): Promise<OutsideResponse> {
  const reply = await app.inject({ method: 'GET', url: `/api/sessions/${sessionId}/outside` });
  expect(reply.statusCode).toBe(200);
  return reply.json<OutsideResponse>();
}

describe('outside clients', () => {
  it('shows a client that publishes and consumes, with its queues and exchanges, until it leaves', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    const connection = await connect(session.amqp.url, 'pika-like script');
    const channel = await connection.createConfirmChannel();
    await channel.consume('orders', (m) => m && channel.ack(m));
    channel.publish('demo.topic', 'order.paid', Buffer.from('{}'), { messageId: 'o-1' });
    await channel.waitForConfirms();

    const seen = () =>
      client
        .of('outside-client')
        .filter((e) => !e.gone && e.client.label === 'pika-like script')
        .at(-1)?.client;
    await until(() => seen()?.role === 'both', 8000, 'outside client as producer and consumer');
    expect(seen()).toMatchObject({ queues: ['orders'], exchanges: ['demo.topic'] });
    expect(client.of('routed').find((e) => e.messageId === 'o-1')?.outside).toBe(true);
    // Warren's own connections (the session's) never show up as outside clients.
    expect(client.of('outside-client').every((e) => !e.client.label.startsWith('warren'))).toBe(
      true,
    );
    const listed = await outside(session.id);
    expect(listed.clients).toEqual([expect.objectContaining({ label: 'pika-like script' })]);

    await connection.close();
    connections.splice(connections.indexOf(connection), 1);
    await until(
      () => client.of('outside-client').some((e) => e.gone && e.client.id === seen()?.id),
      8000,
      'client gone',
    );
    expect((await outside(session.id)).clients).toEqual([]);
    client.close();
  });

  it('shows a publisher at once, from its first message', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    const channel = await (await connect(session.amqp.url)).createConfirmChannel();
    channel.publish('demo.topic', 'order.new', Buffer.from('{}'));
    await channel.waitForConfirms();
    await until(() => client.of('outside-client').length > 0, 2000, 'outside publisher');
    expect(client.of('outside-client')[0]).toMatchObject({
      gone: false,
      client: { role: 'producer', exchanges: ['demo.topic'], queues: [] },
    });
    client.close();
  });
});

describe('outside objects', () => {
  it('adds a queue and binding declared outside to the diagram, and follows a binding removed outside', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    const channel = await (await connect(session.amqp.url)).createChannel();
    await channel.assertQueue('audit', { durable: true });
    await channel.bindQueue('audit', 'demo.topic', '#');
    await channel.unbindQueue('critical', 'demo.topic', '#.critical');

    const changes = () => client.of('outside-change').map((e) => `${e.change} ${e.kind}:${e.name}`);
    await until(() => changes().length >= 3, 8000, 'three outside changes');
    expect(changes().sort()).toEqual([
      'created binding:demo.topic -> audit (#)',
      'created queue:audit',
      'deleted binding:demo.topic -> critical (#.critical)',
    ]);
    const source = client.of('outside-change')[0]?.source;
    expect(source).toBe('event-exchange');

    const topologyEvent = client.of('topology').at(-1);
    expect(topologyEvent?.outsideNames).toEqual(['binding:demo.topic -> audit (#)', 'queue:audit']);
    const summary = (
      await app.inject({ method: 'GET', url: `/api/sessions/${session.id}` })
    ).json<SessionSummary>();
    expect(summary.topology.queues.map((q) => q.name).sort()).toEqual([
      'audit',
      'critical',
      'orders',
    ]);
    // The diagram's own binding stays, reported deleted so the canvas marks it missing.
    expect(summary.topology.bindings.map((b) => b.destination).sort()).toEqual([
      'audit',
      'critical',
      'orders',
    ]);
    const listed = await outside(session.id);
    expect(listed.outsideNames).toEqual(['binding:demo.topic -> audit (#)', 'queue:audit']);
    expect(listed.objects).toContainEqual({
      kind: 'queue',
      name: 'audit',
      change: 'created',
      source: 'event-exchange',
    });

    // Deleting the queue outside takes it (and its binding) off the diagram again.
    await channel.deleteQueue('audit');
    await until(() => changes().includes('deleted queue:audit'), 8000, 'outside queue deleted');
    await until(
      () =>
        client.of('topology').at(-1)?.outsideNames === undefined ||
        client.of('topology').at(-1)?.outsideNames?.length === 0,
      5000,
      'topology without audit',
    );
    expect(
      client
        .of('topology')
        .at(-1)
        ?.topology.queues.map((q) => q.name)
        .sort(),
    ).toEqual(['critical', 'orders']);
    client.close();
  });

  it('keeps an object declared outside that the sender of a document had not seen yet', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    const seenBefore = app.sessions.get(session.id)?.events.lastSeq ?? 0;
    const channel = await (await connect(session.amqp.url)).createChannel();
    await channel.assertQueue('late', { durable: false });
    await until(
      () => client.of('topology').some((e) => e.outsideNames?.includes('queue:late')),
      8000,
      'the outside queue in the diagram',
    );
    const put = (seenSeq: number) =>
      app.inject({
        method: 'PUT',
        url: `/api/sessions/${session.id}/topology?seenSeq=${seenSeq}`,
        headers: { authorization: `Bearer ${session.editToken}` },
        payload: topicTopology(),
      });
    const exists = () =>
      channel.checkQueue('late').then(
        () => true,
        () => false,
      );

    // A document from before the queue came: applying it keeps the queue.
    const early = await put(seenBefore);
    expect(early.statusCode, early.body).toBe(200);
    expect(await exists()).toBe(true);
    expect(
      early.json<{ topology: { queues: { name: string }[] } }>().topology.queues.map((q) => q.name),
    ).toContain('late');

    // One from a client that had seen it and left it out: the queue goes.
    const seenAll = app.sessions.get(session.id)?.events.lastSeq ?? 0;
    const late = await put(seenAll);
    expect(late.statusCode, late.body).toBe(200);
    // The check above used the channel; a 404 would close it, so ask on a fresh one.
    const fresh = await (await connect(session.amqp.url)).createChannel();
    fresh.on('error', () => {});
    expect(
      await fresh.checkQueue('late').then(
        () => true,
        () => false,
      ),
    ).toBe(false);
    client.close();
  });

  it('shows a pika script live: its node, the queue it declares, and its messages', async () => {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import pika'], { encoding: 'utf8' });
    if (probe.status !== 0)
      throw new Error(`pika is missing for /usr/bin/python3 (apt-get install -y python3-pika)`);
    const session = await createSession(app, { topology: topicTopology() });
    const client = await watch(app, session.id);
    // A script as a learner would write it from the session's AMQP details.
    const script = `
import pika, sys, time
params = pika.URLParameters(sys.argv[1])
params.client_properties = {'connection_name': 'pika lesson script'}
connection = pika.BlockingConnection(params)
channel = connection.channel()
channel.confirm_delivery()
channel.queue_declare('pika.audit', durable=False)
channel.queue_bind('pika.audit', 'demo.topic', 'order.#')
for i in range(3):
    channel.basic_publish('demo.topic', 'order.paid', b'{}', pika.BasicProperties(message_id='py-%d' % i))
print('published', flush=True)
sys.stdin.readline()
connection.close()
`;
    const child = spawn('/usr/bin/python3', ['-c', script, session.amqp.url], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('published') && resolve());
        child.once('exit', (code) => reject(new Error(`pika script exited with ${code}`)));
      });
      const routed = () => client.of('routed').filter((e) => e.messageId?.startsWith('py-'));
      await until(() => routed().length === 3, 8000, "the script's messages");
      expect(routed().every((e) => e.outside && e.outsideClientId !== undefined)).toBe(true);
      expect(routed()[0]?.routedQueues.sort()).toEqual(['orders', 'pika.audit']);
      await until(
        () =>
          client
            .of('outside-client')
            .some((e) => !e.gone && e.client.label === 'pika lesson script'),
        8000,
        'the script as an outside client',
      );
      await until(
        () => client.of('topology').some((e) => e.outsideNames?.includes('queue:pika.audit')),
        8000,
        'the queue it declared in the diagram',
      );
    } finally {
      child.stdin.end('\n');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    client.close();
  });

  it('falls back to reading definitions when the event exchange cannot be used', async () => {
    const session = await createSession(app, { topology: topicTopology() });
    const live = app.sessions.get(session.id);
    // As on a broker without the plugin: this session does not listen to the events.
    live?.observation.objects.stopEvents();
    const client = await watch(app, session.id);
    const channel = await (await connect(session.amqp.url)).createChannel();
    await channel.assertExchange('side', 'fanout');
    await until(() => client.of('outside-change').length > 0, 8000, 'polled change');
    expect(client.of('outside-change')[0]).toMatchObject({
      change: 'created',
      kind: 'exchange',
      name: 'side',
      source: 'polling',
    });
    client.close();
  });
});
