import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outsideConsumeEdgeId, outsidePublishEdgeId } from '@warren/topology';
import { appPerFile, until } from '../helpers';
import { patternSession, type PatternSession } from './pattern-session';
import { LANGUAGES, stopAll } from './programs';

/**
 * The patterns everyone learns first, as ordinary pika and amqplib programs pointed at a
 * session's AMQP URL: what Warren reports (events, outside clients, topology, explanations,
 * counters) must be what the programs printed and what the broker's management API says.
 */

let app: FastifyInstance;
appPerFile((built) => (app = built));

interface ConsumerRow {
  queue: { name: string };
  /** Empty until the broker's statistics name the channel. */
  channel_details: { connection_name?: string };
}
interface QueueRow {
  name: string;
  exclusive: boolean;
  consumers: number;
}

describe.each(LANGUAGES)('%s programs against a session', (language) => {
  let s: PatternSession;
  beforeEach(async () => {
    s = await patternSession(app, language);
  });
  afterEach(async () => {
    await stopAll();
    s.close();
  });

  /** The roles an outside client was ever announced with while it was there. */
  const rolesOf = (id: string | undefined) =>
    new Set(
      s.events
        .of('outside-client')
        .filter((e) => !e.gone && e.client.id === id)
        .map((e) => e.client.role),
    );

  it('a program that only declares: drawn as a declarer with its objects, gone when it leaves', async () => {
    const program = s.start('declare');
    const ready = await program.line((l) => l.ready === 'declared', 'declared');
    const own = String(ready.queue);
    const drawn = () =>
      s.events.of('outside-client').find((e) => !e.gone && e.client.role === 'declarer');
    // Within a second of its declares (they took a few milliseconds before it printed).
    await until(() => drawn() !== undefined, 1000, 'the declarer drawn');
    const id = drawn()!.client.id;
    const mine = [
      'exchange:inventory',
      'queue:inventory.updates',
      `queue:${own}`,
      'binding:inventory -> inventory.updates (stock)',
      `binding:inventory -> ${own} (audit)`,
    ];
    await until(
      async () =>
        mine.every((m) =>
          (s.events.of('outside-client').at(-1)?.client.declared ?? []).includes(m),
        ),
      1000,
      'everything it declared',
    );
    expect(await s.client(id)).toMatchObject({ role: 'declarer', queues: [], exchanges: [] });
    expect((await s.client(id))?.declared).toEqual([...mine].sort());
    expect(rolesOf(id)).toEqual(new Set(['declarer']));

    // The broker has what the node lists, and so has the session's topology.
    const queues = await s.broker<QueueRow[]>('/queues/{vhost}?columns=name,exclusive,consumers');
    expect(queues.find((q) => q.name === own)).toMatchObject({ exclusive: true });
    expect(queues.some((q) => q.name === 'inventory.updates')).toBe(true);
    await until(async () => {
      const names = (await s.summary()).topology.queues.map((q) => q.name);
      return names.includes(own) && names.includes('inventory.updates');
    });
    expect((await s.explain('inventory', 'stock')).queues).toEqual(['inventory.updates']);
    expect((await s.explain('inventory', 'audit')).queues).toEqual([own]);

    await program.stop();
    await until(
      () => s.events.of('outside-client').some((e) => e.gone && e.client.id === id),
      2000,
      'gone within two seconds of disconnecting',
    );
    expect(await s.client(id)).toBeUndefined();
  });

  it('hello world: one message from a sender to a receiver through the default exchange', async () => {
    const receiver = s.start('hello', 'receive');
    await receiver.line((l) => l.ready === 'hello', 'ready');
    await s.start('hello', 'send', 'Hello World!').finished();
    await receiver.line((l) => l.received === 'Hello World!', 'the message');

    const routed = await s.event('routed', (e) => e.routingKey === 'hello', 'routed');
    expect(routed).toMatchObject({ exchange: '', routedQueues: ['hello'], outside: true });
    const delivered = await s.event('delivered', (e) => e.queue === 'hello', 'delivered');
    expect(delivered.messageKey).toBe(routed.messageKey);
    expect(delivered.outsideClientId).not.toBe(routed.outsideClientId);

    expect(await s.client(delivered.outsideClientId)).toMatchObject({
      role: 'consumer',
      queues: ['hello'],
    });
    expect(rolesOf(delivered.outsideClientId)).toEqual(new Set(['consumer']));
    expect(rolesOf(routed.outsideClientId)).toEqual(new Set(['producer']));

    await until(async () => (await s.summary()).topology.queues.some((q) => q.name === 'hello'));
    await until(
      () => s.events.of('topology').at(-1)?.outsideNames?.includes('queue:hello') === true,
      5000,
      'the topology event marks hello as the client’s',
    );
    expect((await s.explain('', 'hello')).queues).toEqual(['hello']);

    const counters = await s.counters();
    expect(counters.exchanges['']).toEqual({ published: 1, unroutable: 0 });
    expect(counters.edges[outsidePublishEdgeId(routed.outsideClientId!, '')]).toBe(1);
    expect(counters.edges[outsideConsumeEdgeId(delivered.outsideClientId!, 'hello')]).toBe(1);

    // The management API lists consumers from its statistics, a few seconds behind; the one on
    // `hello` is the receiver's connection, which its outside client lists.
    const onHello = () =>
      s
        .broker<ConsumerRow[]>('/consumers/{vhost}')
        .then((rows) => rows.filter((c) => c.queue.name === 'hello'));
    await until(
      async () => (await onHello())[0]?.channel_details.connection_name !== undefined,
      10_000,
      'the consumer listed with its connection',
    );
    const [listed, ...more] = await onHello();
    expect(more).toEqual([]);
    const receiverClient = await s.client(delivered.outsideClientId);
    expect(receiverClient?.connections).toContain(listed?.channel_details.connection_name);
  });

  it('work queue: two workers share the tasks, each delivery shown at the worker that printed it', async () => {
    const workers = [s.start('work_queue', 'worker'), s.start('work_queue', 'worker')];
    for (const w of workers) await w.line((l) => l.ready === 'task_queue', 'ready');
    const tasks = ['one.', 'two..', 'three.', 'four..', 'five.', 'six..'];
    await s.start('work_queue', 'new-task', ...tasks).finished();
    await until(
      () => workers.reduce((n, w) => n + w.printed.filter((l) => 'received' in l).length, 0) === 6,
      15_000,
      'six tasks done',
    );

    const delivered = () => s.events.of('delivered').filter((e) => e.queue === 'task_queue');
    await until(() => delivered().length === 6, 5000, 'six deliveries');
    const routed = s.events.of('routed').filter((e) => e.routingKey === 'task_queue');
    expect(routed).toHaveLength(6);
    // Each task's body was printed by the worker whose client the delivery names.
    const clientOfWorker = new Map<number, string>();
    for (const event of delivered()) {
      const publish = routed.find((r) => r.messageKey === event.messageKey);
      expect(publish, 'a routed event with the same key').toBeDefined();
      expect(event.properties?.deliveryMode).toBe(2);
      const index = workers.findIndex((w) =>
        w.printed.some((l) => l.received === tasksByKey(publish!.messageKey)),
      );
      expect(index).toBeGreaterThanOrEqual(0);
      const known = clientOfWorker.get(index);
      if (known !== undefined) expect(event.outsideClientId).toBe(known);
      clientOfWorker.set(index, event.outsideClientId!);
    }
    expect(new Set(clientOfWorker.values()).size).toBe(2);

    const counters = await s.counters();
    for (const [index, id] of clientOfWorker) {
      const printed = workers[index]!.printed.filter((l) => 'received' in l).length;
      expect(counters.edges[outsideConsumeEdgeId(id, 'task_queue')]).toBe(printed);
      expect(await s.client(id)).toMatchObject({ role: 'consumer', queues: ['task_queue'] });
    }
    const listed = () =>
      s
        .broker<QueueRow[]>('/queues/{vhost}?columns=name,exclusive,consumers')
        .then((rows) => rows.find((q) => q.name === 'task_queue'));
    await until(async () => (await listed())?.consumers === 2, 10_000, 'two consumers listed');

    function tasksByKey(key: string | undefined) {
      const index = routed.findIndex((r) => r.messageKey === key);
      return tasks[index];
    }
  });

  it('publish/subscribe: each subscriber gets the log on its own server-named queue', async () => {
    const subscribers = [s.start('logs', 'receive'), s.start('logs', 'receive')];
    const queues: string[] = [];
    for (const sub of subscribers)
      queues.push(String((await sub.line((l) => 'ready' in l, 'ready')).ready));
    expect(queues.every((q) => q.startsWith('amq.gen-'))).toBe(true);
    // The clients' own queues and bindings are in the session's topology, as theirs.
    await until(
      async () => {
        const names = (await s.summary()).topology.queues.map((q) => q.name);
        return queues.every((q) => names.includes(q));
      },
      3000,
      'the subscribers’ queues in the topology',
    );
    // Whose they are comes from the broker's queue and connection events.
    const ownersNow = () => s.events.of('topology').at(-1)?.outsideOwners ?? {};
    await until(
      () => queues.every((q) => ownersNow()[`queue:${q}`] !== undefined),
      5000,
      'the subscribers’ queues owned',
    );
    const owners = ownersNow();
    expect(
      Object.keys(owners)
        .filter((k) => k.startsWith('queue:'))
        .sort(),
    ).toEqual(queues.map((q) => `queue:${q}`).sort());
    const explained = await s.explain('logs', '');
    expect([...explained.queues].sort()).toEqual([...queues].sort());

    await s.start('logs', 'emit', 'warning: disk almost full').finished();
    for (const sub of subscribers)
      await sub.line((l) => l.received === 'warning: disk almost full', 'the log');

    const routed = await s.event('routed', (e) => e.exchange === 'logs', 'routed');
    expect([...routed.routedQueues].sort()).toEqual([...explained.queues].sort());
    await until(
      () => s.events.of('delivered').filter((e) => e.messageKey === routed.messageKey).length === 2,
      5000,
      'two deliveries',
    );
    for (const [i, queue] of queues.entries()) {
      const delivery = s.events.of('delivered').find((e) => e.queue === queue)!;
      const subscriber = await s.client(delivery.outsideClientId);
      expect(subscriber).toMatchObject({ role: 'consumer', queues: [queue] });
      // The queue's owner is the connection of the client that got its deliveries.
      expect(subscriber?.connections).toContain(owners[`queue:${queue}`]);
      expect(subscribers[i]!.printed.some((l) => l.queue === queue && 'received' in l)).toBe(true);
    }
    const counters = await s.counters();
    expect(counters.exchanges.logs).toEqual({ published: 1, unroutable: 0 });

    // When the subscribers leave, the broker deletes their queues, and so does the topology.
    await stopAll();
    await until(
      async () => {
        const names = (await s.summary()).topology.queues.map((q) => q.name);
        return queues.every((q) => !names.includes(q));
      },
      3000,
      'the subscribers’ queues gone',
    );
    const left = await s.broker<QueueRow[]>('/queues/{vhost}?columns=name');
    expect(left.map((q) => q.name).filter((name) => queues.includes(name))).toEqual([]);
  });

  it.each([
    {
      kind: 'direct',
      exchange: 'direct_logs',
      a: ['error'],
      b: ['info', 'error'],
      keys: ['error', 'info', 'debug'],
    },
    {
      kind: 'topic',
      exchange: 'topic_logs',
      a: ['*.critical'],
      b: ['kern.*'],
      keys: ['kern.critical', 'anon.critical', 'kern.info', 'anon.info'],
    },
  ])(
    '$kind routing: every key reaches the subscribers that bound it, and explain agrees',
    async ({ kind, exchange, a, b, keys }) => {
      const subscribers = [
        s.start('routing', 'receive', exchange, kind, ...a),
        s.start('routing', 'receive', exchange, kind, ...b),
      ];
      const queues: string[] = [];
      for (const sub of subscribers)
        queues.push(String((await sub.line((l) => 'ready' in l, 'ready')).ready));
      await until(
        async () => {
          const bound = (await s.summary()).topology.bindings.filter((x) => x.source === exchange);
          return bound.length === a.length + b.length;
        },
        3000,
        'the subscribers’ bindings in the topology',
      );

      for (const key of keys) {
        const explained = await s.explain(exchange, key);
        await s.start('routing', 'emit', exchange, kind, key, `about ${key}`).finished();
        const routed = await s.event('routed', (e) => e.routingKey === key, `routed ${key}`);
        expect([...routed.routedQueues].sort(), key).toEqual([...explained.queues].sort());
        const printedBy = queues.filter((_, i) =>
          subscribers[i]!.printed.some((l) => l.key === key),
        );
        // What the programs printed arrives after the routed event at the latest.
        await until(
          () =>
            queues.filter((_, i) => subscribers[i]!.printed.some((l) => l.key === key)).length ===
            routed.routedQueues.length,
          5000,
          `printed ${key}`,
        );
        expect(printedBy.length).toBeLessThanOrEqual(routed.routedQueues.length);
      }
      const counters = await s.counters();
      const unroutable = keys.filter(
        (key) => s.events.of('routed').find((e) => e.routingKey === key)!.routedQueues.length === 0,
      );
      expect(unroutable.length).toBeGreaterThan(0);
      expect(counters.exchanges[exchange]).toEqual({
        published: keys.length,
        unroutable: unroutable.length,
      });
    },
  );

  it.each([
    { callback: 'its own server-named callback queue', direct: false },
    { callback: 'direct reply-to', direct: true },
  ])('RPC with $callback: the reply is delivered to the client that asked', async ({ direct }) => {
    const server = s.start('rpc', 'server');
    await server.line((l) => l.ready === 'rpc_queue', 'ready');
    const client = s.start('rpc', 'client', '10', ...(direct ? ['--direct-reply-to'] : []));
    const answer = await client.line((l) => 'answer' in l, 'the answer');
    expect(answer.answer).toBe(55);
    await client.finished();
    const sent = client.printed.find((l) => 'sent' in l)!;

    const request = await s.event('routed', (e) => e.routingKey === 'rpc_queue', 'the request');
    expect(request.routedQueues).toEqual(['rpc_queue']);
    expect(request.properties?.correlationId).toBe(sent.correlation_id);
    const replyTo = request.properties?.replyTo ?? '';
    const reply = await s.event(
      'routed',
      (e) =>
        e.messageKey !== request.messageKey && e.properties?.correlationId === sent.correlation_id,
      'the reply',
    );
    const requester = request.outsideClientId!;
    const replied = await s.event(
      'delivered',
      (e) => e.messageKey === reply.messageKey,
      'the reply delivered',
    );
    expect(replied.outsideClientId).toBe(requester);
    const counters = await s.counters();
    if (direct) {
      expect(replyTo.startsWith('amq.rabbitmq.reply-to')).toBe(true);
      expect(reply).toMatchObject({ routedQueues: [], directReplyTo: requester });
      expect(replied.queue).toBe('amq.rabbitmq.reply-to');
    } else {
      expect(replyTo.startsWith('amq.gen-')).toBe(true);
      expect(reply.routedQueues).toEqual([replyTo]);
      expect(replied.queue).toBe(replyTo);
    }
    // Never unroutable: two publishes on the default exchange, both delivered.
    expect(counters.exchanges['']).toEqual({ published: 2, unroutable: 0 });
    expect(counters.edges[outsideConsumeEdgeId(requester, replied.queue)]).toBe(1);
    // The client consumed its replies and published its request: both roles, never only a
    // producer with no queues (it may be shown consuming before its request goes out).
    expect([...rolesOf(requester)].every((role) => role !== 'producer')).toBe(true);
    expect(
      (await s.client(requester))?.role ??
        s.events
          .of('outside-client')
          .filter((e) => e.client.id === requester)
          .at(-1)?.client.role,
    ).toBe('both');
    const serverId = s.events.of('delivered').find((e) => e.queue === 'rpc_queue')!.outsideClientId;
    expect(await s.client(serverId)).toMatchObject({ role: 'both', queues: ['rpc_queue'] });
  });
});
