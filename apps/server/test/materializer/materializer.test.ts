import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type {
  ApplyTopologyResponse,
  CreateSessionResponse,
  ErrorBody,
  PublishResponse,
  QueuesResponse,
} from '@warren/protocol';
import type { Policy, Topology } from '@warren/topology';
import { exchange, numberedBindings, queue } from '@warren/topology/testing';
import { appPerFile, auth, createSession, management, until } from '../helpers';

let app: FastifyInstance;
const mgmt = management();

appPerFile((a) => (app = a));

async function put(session: CreateSessionResponse, topology: Topology, query = '') {
  return app.inject({
    method: 'PUT',
    url: `/api/sessions/${session.id}/topology${query}`,
    headers: auth(session),
    payload: topology,
  });
}

async function publish(session: CreateSessionResponse, body: object): Promise<PublishResponse> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/publish`,
    headers: auth(session),
    payload: body,
  });
  expect(response.statusCode).toBe(200);
  return response.json<PublishResponse>();
}

// Bindings take ids b1, b2, … in the order this file draws them.
const binding = numberedBindings();

/** Every queue argument, exchange argument and binding argument Warren knows, and policies. */
function everything(): Topology {
  return {
    version: 1,
    exchanges: [
      exchange('ae', 'fanout'),
      exchange('main', 'topic', { arguments: { 'alternate-exchange': 'ae' } }),
      exchange('inner', 'direct', { internal: true }),
      exchange('by-header', 'x-consistent-hash', { arguments: { 'hash-header': 'user' } }),
      exchange('by-id', 'x-consistent-hash', { arguments: { 'hash-property': 'message_id' } }),
      exchange('match', 'headers'),
      exchange('dlx', 'direct'),
      exchange('fleeting', 'fanout', { durable: false, autoDelete: true }),
    ],
    queues: [
      queue('classic.all', {
        arguments: {
          'x-queue-type': 'classic',
          'x-message-ttl': 60000,
          'x-expires': 3600000,
          'x-max-length': 100,
          'x-max-length-bytes': 1048576,
          'x-overflow': 'reject-publish-dlx',
          'x-dead-letter-exchange': 'dlx',
          'x-dead-letter-routing-key': 'dead',
          'x-max-priority': 10,
          'x-single-active-consumer': true,
        },
      }),
      queue('quorum.all', {
        arguments: {
          'x-queue-type': 'quorum',
          'x-message-ttl': 60000,
          'x-expires': 3600000,
          'x-max-length': 100,
          'x-max-length-bytes': 1048576,
          'x-overflow': 'reject-publish',
          'x-dead-letter-exchange': 'dlx',
          'x-dead-letter-routing-key': 'dead',
          'x-single-active-consumer': true,
        },
      }),
      queue('drop.head', { arguments: { 'x-max-length': 1, 'x-overflow': 'drop-head' } }),
      queue('reject.publish', { arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } }),
      queue('fleeting.q', { durable: false, autoDelete: true }),
      queue('mine.only', { durable: false, exclusive: true }),
      queue('dead'),
      queue('unrouted'),
      queue('h1'),
      queue('h2'),
      queue('all'),
      queue('any'),
      queue('all-x'),
      queue('any-x'),
      queue('policy.target'),
    ],
    bindings: [
      binding('main', 'classic.all', 'order.#'),
      binding('main', 'inner', 'audit.#', { destinationType: 'exchange' }),
      binding('inner', 'quorum.all', 'audit.log'),
      binding('ae', 'unrouted'),
      binding('dlx', 'dead', 'dead'),
      binding('by-header', 'h1', '1'),
      binding('by-header', 'h2', '3'),
      binding('by-id', 'h1', '2'),
      binding('match', 'all', '', { arguments: { 'x-match': 'all', kind: 'order', n: 1 } }),
      binding('match', 'any', '', { arguments: { 'x-match': 'any', kind: 'order', ok: true } }),
      binding('match', 'all-x', '', { arguments: { 'x-match': 'all-with-x', 'x-tag': 'a' } }),
      binding('match', 'any-x', '', { arguments: { 'x-match': 'any-with-x', 'x-tag': 'a' } }),
      binding('fleeting', 'fleeting.q'),
      binding('amq.topic', 'mine.only', '#'),
      binding('main', 'policy.target', 'policy.#'),
    ],
    producers: [],
    policies: [
      {
        id: 'p-limits',
        name: 'limits',
        pattern: '^policy\\.',
        applyTo: 'queues',
        priority: 1,
        definition: { 'message-ttl': 30000, 'max-length': 1, 'dead-letter-exchange': 'dlx' },
      },
      {
        id: 'p-ae',
        name: 'headers-fallback',
        pattern: '^match$',
        applyTo: 'exchanges',
        priority: 2,
        definition: { 'alternate-exchange': 'ae' },
      },
    ],
  };
}

/** What the broker has in a vhost, in the document's words, sorted for comparison. */
async function brokerState(vhost: string) {
  const [exchanges, queues, bindings, policies] = await Promise.all([
    mgmt.listExchanges(vhost),
    mgmt.listQueues(vhost),
    mgmt.listBindings(vhost),
    mgmt.listPolicies(vhost),
  ]);
  const text = (v: unknown) => JSON.stringify(v);
  return {
    exchanges: exchanges
      .filter((x) => x.name !== '' && !x.name.startsWith('amq.'))
      .map((x) =>
        text([x.name, x.type, x.durable, x.auto_delete, x.internal, sortKeys(x.arguments)]),
      )
      .sort(),
    queues: queues
      .filter((q) => !q.name.startsWith('amq.gen-'))
      .map((q) => text([q.name, q.durable, q.auto_delete, q.exclusive, sortKeys(q.arguments)]))
      .sort(),
    bindings: bindings
      .filter((b) => b.source !== '' && !b.destination.startsWith('amq.gen-'))
      .map((b) =>
        text([b.source, b.destination, b.destination_type, b.routing_key, sortKeys(b.arguments)]),
      )
      .sort(),
    policies: policies
      .map((p) => text([p.name, p.pattern, p['apply-to'], p.priority, sortKeys(p.definition)]))
      .sort(),
  };
}

function sortKeys(table: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(table ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The same, computed from the document. */
function documentState(t: Topology) {
  const text = (v: unknown) => JSON.stringify(v);
  return {
    exchanges: t.exchanges
      .map((x) =>
        text([x.name, x.type, x.durable, x.autoDelete, x.internal, sortKeys(x.arguments)]),
      )
      .sort(),
    queues: t.queues
      .map((q) => text([q.name, q.durable, q.autoDelete, q.exclusive, sortKeys(q.arguments)]))
      .sort(),
    bindings: t.bindings
      .map((b) =>
        text([b.source, b.destination, b.destinationType, b.routingKey, sortKeys(b.arguments)]),
      )
      .sort(),
    policies: (t.policies ?? [])
      .map((p: Policy) => text([p.name, p.pattern, p.applyTo, p.priority, sortKeys(p.definition)]))
      .sort(),
  };
}

describe('materializing every argument', () => {
  it('declares every queue, exchange and binding argument and the policies, exactly as drawn', async () => {
    const session = await createSession(app);
    const doc = everything();
    const response = await put(session, doc);
    expect(response.statusCode, response.body).toBe(200);
    expect(await brokerState(session.vhost)).toEqual(documentState(doc));

    // The broker applies the policy to the queue it matches: max-length 1 keeps one message.
    for (const n of [1, 2]) await publish(session, { exchange: 'main', routingKey: `policy.${n}` });
    const states = await app.inject(`/api/sessions/${session.id}/queues`);
    expect(
      states.json<QueuesResponse>().queues.find((q) => q.name === 'policy.target')?.messages,
    ).toBe(1);

    // Read back, the broker matches the document: applying it again changes nothing.
    const again = await put(session, doc);
    expect(again.json<ApplyTopologyResponse>().changes).toEqual({ declared: [], deleted: [] });

    // Routing goes through the alternate exchange, exchange-to-exchange and headers bindings.
    expect(
      (await publish(session, { exchange: 'main', routingKey: 'nowhere' })).routedQueues,
    ).toEqual(['unrouted']);
    expect(
      (await publish(session, { exchange: 'main', routingKey: 'audit.log' })).routedQueues,
    ).toEqual(['quorum.all']);
    const headers = await publish(session, {
      exchange: 'match',
      headers: { kind: 'order', n: 1, 'x-tag': 'a' },
    });
    expect(headers.routedQueues.sort()).toEqual(['all', 'all-x', 'any', 'any-x']);
    // The policy's alternate exchange catches what the headers exchange cannot route.
    const fallback = await publish(session, { exchange: 'match', headers: { kind: 'invoice' } });
    expect(fallback.routedQueues).toEqual(['unrouted']);
  });

  it('removes policies and objects the diagram no longer has', async () => {
    const session = await createSession(app, { topology: everything() });
    const smaller = everything();
    smaller.policies = smaller.policies?.filter((p) => p.name !== 'limits') ?? [];
    smaller.queues = smaller.queues.filter((q) => q.name !== 'policy.target');
    smaller.bindings = smaller.bindings.filter((b) => b.destination !== 'policy.target');
    const response = await put(session, smaller);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<ApplyTopologyResponse>().changes.deleted.sort()).toEqual([
      'policy limits',
      'queue policy.target',
    ]);
    expect(await brokerState(session.vhost)).toEqual(documentState(smaller));
  });
});

describe('changed settings', () => {
  it('refuses a changed argument with a sentence that says to recreate, and recreates on request', async () => {
    const session = await createSession(app, { topology: everything() });
    const changed = everything();
    const target = changed.queues.find((q) => q.name === 'classic.all');
    if (!target?.arguments) throw new Error('fixture');
    target.arguments['x-message-ttl'] = 5000;
    const main = changed.exchanges.find((x) => x.name === 'main');
    if (!main) throw new Error('fixture');
    main.arguments = { 'alternate-exchange': 'dlx' };
    const limits = changed.policies?.find((p) => p.name === 'limits');
    if (!limits) throw new Error('fixture');
    limits.definition = { 'message-ttl': 1000 };

    const refused = await put(session, changed);
    expect(refused.statusCode).toBe(409);
    const body = refused.json<ErrorBody & ApplyTopologyResponse>();
    expect(body.nodeErrors.map((e) => [e.nodeId, e.path, e.code]).sort()).toEqual([
      ['q-classic.all', '/queues/0', 'PRECONDITION_FAILED'],
      ['x-main', '/exchanges/1', 'PRECONDITION_FAILED'],
    ]);
    const queueError = body.nodeErrors.find((e) => e.nodeId === 'q-classic.all');
    expect(queueError?.message).toBe(
      "Queue 'classic.all' already exists on the broker and was declared with a different x-message-ttl; apply with Recreate to replace it (its messages are lost).",
    );
    expect(queueError?.brokerMessage).toMatch(/inequivalent arg 'x-message-ttl'/);
    expect(body.nodeErrors.find((e) => e.nodeId === 'x-main')?.message).toMatch(
      /was declared with a different alternate-exchange; apply with Recreate to replace it/,
    );
    // A policy is not part of any declaration: it changes in place.
    expect(body.changes.declared).toContain('policy limits');

    const recreated = await put(session, changed, '?recreate=true');
    expect(recreated.statusCode, recreated.body).toBe(200);
    expect(await brokerState(session.vhost)).toEqual(documentState(changed));
  });

  it('reports what the broker refuses about a queue type, in the words of the document', async () => {
    const session = await createSession(app);
    const doc: Topology = {
      version: 1,
      exchanges: [],
      queues: [queue('fine')],
      bindings: [],
      producers: [],
      policies: [
        {
          id: 'p-quorum',
          name: 'quorum-only',
          pattern: '.*',
          applyTo: 'quorum_queues',
          priority: 0,
          definition: { 'max-length': 10 },
        },
      ],
    };
    const response = await put(session, doc);
    const version = (await mgmt.overview()).rabbitmq_version;
    // RabbitMQ learned apply-to quorum_queues in 3.12; older brokers refuse the policy.
    if (version.localeCompare('3.12', undefined, { numeric: true }) >= 0) {
      expect(response.statusCode).toBe(200);
      return;
    }
    expect(response.statusCode).toBe(409);
    const [error] = response.json<ApplyTopologyResponse>().nodeErrors;
    expect(error).toMatchObject({
      nodeId: 'p-quorum',
      path: '/policies/0',
      code: 'BROKER_REFUSED',
    });
    expect(error?.message).toMatch(/^The broker refused policy 'quorum-only': apply-to/);
    expect((await mgmt.listQueues(session.vhost)).map((q) => q.name)).toContain('fine');
  });

  it('keeps invalid documents away from the broker with every issue listed', async () => {
    const session = await createSession(app);
    const bad = everything();
    const quorum = bad.queues.find((q) => q.name === 'quorum.all');
    if (!quorum?.arguments) throw new Error('fixture');
    quorum.exclusive = true;
    quorum.arguments['x-message-ttl'] = 'soon';
    const response = await put(session, bad);
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('INVALID_TOPOLOGY');
    expect(body.error.details?.map((d) => d.path)).toEqual(
      expect.arrayContaining(['/queues/1/exclusive', '/queues/1/arguments/x-message-ttl']),
    );
    expect(await mgmt.listQueues(session.vhost)).toHaveLength(1); // Warren's own observer queue
  });
});

describe('deleting exchanges bound to one another', () => {
  it('recreates a ring of exchanges bound to each other, the connection unharmed', async () => {
    // RabbitMQ 3.10 crashes the channel, and with it the connection, when two exchanges bound
    // to each other are deleted at the same moment (rabbit_binding:process_deletions meets a
    // source already gone). Recreating exchanges deletes them with their bindings.
    const names = Array.from({ length: 24 }, (_, i) => `ring${i}`);
    const ring = (type: 'fanout' | 'direct'): Topology => ({
      version: 1,
      exchanges: names.map((name) => exchange(name, type)),
      queues: [queue('end')],
      bindings: [
        ...[1, 5].flatMap((step) =>
          names.map((name, i) =>
            binding(name, names[(i + step) % names.length] as string, `${step}`, {
              destinationType: 'exchange',
            }),
          ),
        ),
        binding('ring0', 'end', '1'),
      ],
      producers: [],
    });
    const session = await createSession(app, { topology: ring('fanout') });
    for (let round = 1; round <= 8; round++) {
      const type = round % 2 === 1 ? 'direct' : 'fanout';
      const recreated = await put(session, ring(type), '?recreate=true');
      expect(recreated.statusCode, recreated.body).toBe(200);
      expect(recreated.json<ApplyTopologyResponse>().changes.deleted).toHaveLength(names.length);
    }
    expect((await publish(session, { exchange: 'ring5', routingKey: '1' })).routedQueues).toEqual([
      'end',
    ]);
  });
});

describe('server-named and exclusive queues', () => {
  function replies(): Topology {
    return {
      version: 1,
      exchanges: [exchange('rpc', 'direct')],
      queues: [
        queue('replies', { serverNamed: true, exclusive: true, durable: false, autoDelete: true }),
        queue('work', { serverNamed: true, arguments: { 'x-message-ttl': 60000 } }),
        queue('named'),
      ],
      bindings: [
        binding('rpc', 'replies', 'reply'),
        binding('rpc', 'work', 'work'),
        binding('rpc', 'named', 'work'),
      ],
      producers: [],
    };
  }

  const brokerNamesOf = async (session: CreateSessionResponse) => {
    const response = await app.inject(`/api/sessions/${session.id}/queues`);
    return Object.fromEntries(
      response.json<QueuesResponse>().queues.map((q) => [q.name, q.brokerName ?? q.name]),
    );
  };

  it('lets the broker name them, binds by label, and speaks labels in replies and events', async () => {
    const session = await createSession(app);
    const applied = await put(session, replies());
    expect(applied.statusCode, applied.body).toBe(200);
    const { brokerNames } = applied.json<ApplyTopologyResponse>();
    expect(brokerNames?.replies).toMatch(/^amq\.gen-/);
    expect(brokerNames?.work).toMatch(/^amq\.gen-/);

    const queues = await mgmt.listQueues(session.vhost);
    const replyQueue = queues.find((q) => q.name === brokerNames?.replies);
    expect(replyQueue).toMatchObject({ exclusive: true, durable: false, auto_delete: true });
    expect(queues.find((q) => q.name === brokerNames?.work)?.arguments).toEqual({
      'x-message-ttl': 60000,
    });
    const bindings = (await mgmt.listBindings(session.vhost)).filter((b) => b.source === 'rpc');
    expect(bindings.map((b) => `${b.destination}:${b.routing_key}`).sort()).toEqual(
      [`${brokerNames?.replies}:reply`, `${brokerNames?.work}:work`, 'named:work'].sort(),
    );

    // Read back through the label map: nothing to delete, nothing to declare.
    const again = await put(session, replies());
    expect(again.json<ApplyTopologyResponse>().changes).toEqual({ declared: [], deleted: [] });
    expect(again.json<ApplyTopologyResponse>().brokerNames).toEqual(brokerNames);

    expect(
      (await publish(session, { exchange: 'rpc', routingKey: 'work' })).routedQueues.sort(),
    ).toEqual(['named', 'work']);
    // The default exchange routes by name: the label stands for the broker's name.
    expect((await publish(session, { exchange: '', routingKey: 'replies' })).routedQueues).toEqual([
      'replies',
    ]);
    const states = await app.inject(`/api/sessions/${session.id}/queues`);
    expect(states.json<QueuesResponse>().queues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'replies', brokerName: brokerNames?.replies, messages: 1 }),
        expect.objectContaining({ name: 'work', brokerName: brokerNames?.work, messages: 1 }),
      ]),
    );
    expect(states.json<QueuesResponse>().queues.find((q) => q.name === 'named')).not.toHaveProperty(
      'brokerName',
    );
  });

  it('reads back a server-named queue that is not exclusive (from the vhost definitions)', async () => {
    const session = await createSession(app);
    const doc = replies();
    doc.queues = doc.queues.filter((q) => q.name !== 'replies');
    doc.bindings = doc.bindings.filter((b) => b.destination !== 'replies');
    const first = await put(session, doc);
    expect(first.statusCode, first.body).toBe(200);
    const again = await put(session, doc);
    expect(again.json<ApplyTopologyResponse>().changes).toEqual({ declared: [], deleted: [] });
    expect(again.json<ApplyTopologyResponse>().brokerNames).toEqual(
      first.json<ApplyTopologyResponse>().brokerNames,
    );
    const summary = await app.inject(`/api/sessions/${session.id}`);
    expect(summary.json<{ brokerNames?: Record<string, string> }>().brokerNames?.work).toMatch(
      /^amq\.gen-/,
    );
  });

  it('refuses a changed server-named queue unless recreated, and deletes removed ones', async () => {
    const session = await createSession(app, { topology: replies() });
    const before = await brokerNamesOf(session);
    const changed = replies();
    const work = changed.queues.find((q) => q.name === 'work');
    if (!work) throw new Error('fixture');
    work.arguments = { 'x-message-ttl': 1000 };
    const refused = await put(session, changed);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<ApplyTopologyResponse>().nodeErrors).toEqual([
      expect.objectContaining({
        nodeId: 'q-work',
        path: '/queues/1',
        code: 'PRECONDITION_FAILED',
        message:
          "Queue 'work' already exists on the broker and was declared with a different x-message-ttl; apply with Recreate to replace it (its messages are lost).",
      }),
    ]);
    const recreated = await put(session, changed, '?recreate=true');
    expect(recreated.statusCode, recreated.body).toBe(200);
    const newName = recreated.json<ApplyTopologyResponse>().brokerNames?.work;
    expect(newName).toMatch(/^amq\.gen-/);
    expect(newName).not.toBe(before.work);
    const queues = await mgmt.listQueues(session.vhost);
    expect(queues.find((q) => q.name === newName)?.arguments).toEqual({ 'x-message-ttl': 1000 });
    expect(queues.some((q) => q.name === before.work)).toBe(false);
    expect(
      (await mgmt.listBindings(session.vhost)).some(
        (b) => b.source === 'rpc' && b.destination === newName,
      ),
    ).toBe(true);

    // A named queue with the label of a server-named one is another queue.
    const renamed = replies();
    renamed.queues = renamed.queues.map((q) => (q.name === 'work' ? queue('work') : q));
    const switched = await put(session, renamed);
    expect(switched.statusCode, switched.body).toBe(200);
    const names = (await mgmt.listQueues(session.vhost)).map((q) => q.name);
    expect(names).toContain('work');
    expect(names).not.toContain(newName);
  });

  it('declares them again on the session connection after it is lost', async () => {
    const session = await createSession(app, { topology: replies() });
    const before = await brokerNamesOf(session);
    let connections: { name: string }[] = [];
    // The management API lists a connection once its stats have been collected.
    await until(
      async () => {
        connections = await mgmt.request<{ name: string }[]>(
          'GET',
          `/vhosts/${encodeURIComponent(session.vhost)}/connections?columns=name`,
        );
        return connections.length > 0;
      },
      10_000,
      'the session connection to be listed',
    );
    for (const c of connections)
      await mgmt.request('DELETE', `/connections/${encodeURIComponent(c.name)}`);

    // The exclusive queue died with the connection; the durable server-named one survived.
    await until(
      async () => {
        const names = await brokerNamesOf(session);
        return names.replies !== undefined && names.replies !== before.replies;
      },
      15_000,
      'the exclusive queue to be declared again',
    );
    const after = await brokerNamesOf(session);
    expect(after.work).toBe(before.work);
    const bindings = (await mgmt.listBindings(session.vhost)).filter((b) => b.source === 'rpc');
    expect(bindings.map((b) => b.destination)).toContain(after.replies);
    expect((await publish(session, { exchange: 'rpc', routingKey: 'reply' })).routedQueues).toEqual(
      ['replies'],
    );
  });
});
