import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brokerSideOf,
  definitionsToTopology,
  exportDefinitions,
  topologyToDefinitions,
  type Definitions,
} from './definitions';
import { LAYOUT_NODE_SIZES } from './layout';
import { EXCHANGE_TYPES, POLICY_TARGETS, type Topology } from './model';
import { parseTopology } from './validate';

/** Only broker-side fields travel through definitions.json; ids and positions do not. */
const brokerSide = brokerSideOf;

/** What `GET /api/definitions/<vhost>` returns: no vhost names anywhere. */
function oneVhostExport(): Definitions {
  return {
    rabbit_version: '3.13.7',
    rabbitmq_version: '3.13.7',
    product_name: 'RabbitMQ',
    product_version: '3.13.7',
    exchanges: [
      {
        name: 'orders',
        type: 'topic',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: { 'alternate-exchange': 'unrouted' },
      },
      {
        name: 'unrouted',
        type: 'fanout',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: {},
      },
    ],
    queues: [
      {
        name: 'orders.eu',
        durable: true,
        auto_delete: false,
        arguments: { 'x-queue-type': 'classic', 'x-message-ttl': 60000 },
      },
      { name: 'lost', durable: false, auto_delete: true, arguments: {} },
    ],
    bindings: [
      {
        source: 'orders',
        destination: 'orders.eu',
        destination_type: 'queue',
        routing_key: 'order.eu.*',
        arguments: {},
      },
      {
        source: 'unrouted',
        destination: 'lost',
        destination_type: 'queue',
        routing_key: '',
        arguments: {},
      },
    ],
    policies: [],
    parameters: [],
  };
}

/** What `GET /api/definitions` returns: every vhost, every object tagged with its vhost. */
function fullExport(): Definitions {
  return {
    rabbit_version: '3.13.7',
    users: [{ name: 'guest', password_hash: 'x', tags: ['administrator'] }],
    vhosts: [{ name: '/' }, { name: 'shop' }],
    permissions: [{ user: 'guest', vhost: '/', configure: '.*', write: '.*', read: '.*' }],
    exchanges: [
      {
        name: 'logs',
        vhost: '/',
        type: 'fanout',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: {},
      },
      {
        name: 'orders',
        vhost: 'shop',
        type: 'direct',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: {},
      },
    ],
    queues: [
      { name: 'all-logs', vhost: '/', durable: true, auto_delete: false, arguments: {} },
      { name: 'paid', vhost: 'shop', durable: true, auto_delete: false, arguments: {} },
    ],
    bindings: [
      {
        source: 'logs',
        vhost: '/',
        destination: 'all-logs',
        destination_type: 'queue',
        routing_key: '',
        arguments: {},
      },
      {
        source: 'orders',
        vhost: 'shop',
        destination: 'paid',
        destination_type: 'queue',
        routing_key: 'paid',
        arguments: {},
      },
    ],
    policies: [
      {
        vhost: '/',
        name: 'ttl',
        pattern: '.*',
        'apply-to': 'queues',
        definition: { 'message-ttl': 1000 },
        priority: 0,
      },
    ],
  };
}

describe('definitionsToTopology', () => {
  it('imports a one-vhost export with every broker-side field', () => {
    const result = definitionsToTopology(oneVhostExport());
    if (!result.ok) throw new Error(result.message);
    expect(result.vhost).toBeUndefined();
    expect(result.notImported).toEqual([]);
    const { topology } = result;
    expect(topology.exchanges.map(({ position: _, ...x }) => x)).toEqual([
      {
        id: 'exchange:orders',
        name: 'orders',
        type: 'topic',
        durable: true,
        autoDelete: false,
        internal: false,
        arguments: { 'alternate-exchange': 'unrouted' },
      },
      {
        id: 'exchange:unrouted',
        name: 'unrouted',
        type: 'fanout',
        durable: true,
        autoDelete: false,
        internal: false,
      },
    ]);
    expect(topology.queues.map(({ position: _, ...q }) => q)).toEqual([
      {
        id: 'queue:orders.eu',
        name: 'orders.eu',
        durable: true,
        exclusive: false,
        autoDelete: false,
        arguments: { 'x-queue-type': 'classic', 'x-message-ttl': 60000 },
      },
      { id: 'queue:lost', name: 'lost', durable: false, exclusive: false, autoDelete: true },
    ]);
    expect(topology.bindings).toEqual([
      {
        id: 'binding:0',
        source: 'orders',
        destination: 'orders.eu',
        destinationType: 'queue',
        routingKey: 'order.eu.*',
      },
      {
        id: 'binding:1',
        source: 'unrouted',
        destination: 'lost',
        destinationType: 'queue',
        routingKey: '',
      },
    ]);
    expect(topology.producers).toEqual([]);
  });

  it('gives the imported diagram positions and a valid document', () => {
    const result = definitionsToTopology(oneVhostExport());
    if (!result.ok) throw new Error(result.message);
    for (const node of [...result.topology.exchanges, ...result.topology.queues]) {
      expect(node.position).toEqual({
        x: expect.any(Number) as number,
        y: expect.any(Number) as number,
      });
    }
    expect(parseTopology(result.topology)).toEqual({ ok: true, topology: result.topology });
  });

  it('fills defaults RabbitMQ leaves out', () => {
    const result = definitionsToTopology({
      exchanges: [{ name: 'e', type: 'direct' }],
      queues: [{ name: 'q' }],
      bindings: [{ source: 'e', destination: 'q', destination_type: 'queue' }],
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.topology.exchanges[0]).toMatchObject({
      durable: true,
      autoDelete: false,
      internal: false,
    });
    expect(result.topology.queues[0]).toMatchObject({
      durable: true,
      exclusive: false,
      autoDelete: false,
    });
    expect(result.topology.bindings[0]).toMatchObject({ routingKey: '' });
  });

  it('asks which vhost to take from a full export', () => {
    expect(definitionsToTopology(fullExport())).toEqual({
      ok: false,
      message: 'These definitions hold 2 vhosts; pick one with "vhost".',
      vhosts: ['/', 'shop'],
    });
  });

  it('takes one vhost out of a full export, and says what else the file held', () => {
    const result = definitionsToTopology(fullExport(), { vhost: 'shop' });
    if (!result.ok) throw new Error(result.message);
    expect(result.vhost).toBe('shop');
    expect(result.topology.exchanges.map((x) => x.name)).toEqual(['orders']);
    expect(result.topology.queues.map((q) => q.name)).toEqual(['paid']);
    expect(result.topology.bindings.map((b) => [b.source, b.destination, b.routingKey])).toEqual([
      ['orders', 'paid', 'paid'],
    ]);
    expect(result.topology.policies).toBeUndefined();
    expect(result.notImported).toEqual([
      "1 user ('guest'): users are broker-wide accounts, not part of a diagram.",
      "vhost '/' (1 permission, 1 exchange, 1 queue, 1 binding, 1 policy) is not imported: a diagram shows one vhost; import it on its own.",
    ]);
  });

  it("imports the chosen vhost's policies", () => {
    const result = definitionsToTopology(fullExport(), { vhost: '/' });
    if (!result.ok) throw new Error(result.message);
    expect(result.topology.queues.map((q) => q.name)).toEqual(['all-logs']);
    expect(result.topology.policies).toEqual([
      {
        id: 'policy:ttl',
        name: 'ttl',
        pattern: '.*',
        applyTo: 'queues',
        priority: 0,
        definition: { 'message-ttl': 1000 },
      },
    ]);
    expect(result.notImported).toEqual([
      "1 user ('guest'): users are broker-wide accounts, not part of a diagram.",
      "1 permission (for 'guest'): access control is not part of a diagram.",
      "vhost 'shop' (1 exchange, 1 queue, 1 binding) is not imported: a diagram shows one vhost; import it on its own.",
    ]);
  });

  it('refuses a vhost the export does not hold', () => {
    expect(definitionsToTopology(fullExport(), { vhost: 'billing' })).toEqual({
      ok: false,
      message: "vhost 'billing' is not in these definitions.",
      vhosts: ['/', 'shop'],
    });
  });

  it('takes the only vhost of a full export without being told', () => {
    const definitions = fullExport();
    definitions.vhosts = [{ name: 'shop' }];
    definitions.exchanges = definitions.exchanges!.filter((x) => x.vhost === 'shop');
    definitions.queues = definitions.queues!.filter((q) => q.vhost === 'shop');
    definitions.bindings = definitions.bindings!.filter((b) => b.vhost === 'shop');
    definitions.policies = [];
    const result = definitionsToTopology(definitions);
    if (!result.ok) throw new Error(result.message);
    expect(result.vhost).toBe('shop');
    expect(result.topology.queues.map((q) => q.name)).toEqual(['paid']);
  });

  it('accepts a vhost name with a one-vhost export, which names none', () => {
    const result = definitionsToTopology(oneVhostExport(), { vhost: 'shop' });
    if (!result.ok) throw new Error(result.message);
    expect(result.vhost).toBe('shop');
    expect(result.topology.queues).toHaveLength(2);
  });

  it('lists what the diagram cannot hold instead of dropping it silently', () => {
    const definitions: Definitions = {
      ...oneVhostExport(),
      policies: [
        { name: 'ttl', pattern: '.*', definition: { 'message-ttl': 1 } },
        { name: 'streams', pattern: '.*', 'apply-to': 'streams', definition: { 'max-age': '1D' } },
      ],
      parameters: [
        { component: 'shovel', name: 's', value: {} },
        { component: 'vhost-limits', name: 'limits', value: { 'max-queues': 10 } },
      ],
      operator_policies: [{ name: 'cap', pattern: '.*', definition: { 'max-length': 9 } }],
      global_parameters: [{ name: 'cluster_name', value: 'rabbit@a' }],
      topic_permissions: [
        { user: 'u', vhost: 'x', exchange: 'amq.topic', write: '.*', read: '.*' },
      ],
      federation: { upstreams: 1 },
    };
    definitions.exchanges!.push({ name: 'delayed', type: 'x-delayed-message', durable: true });
    definitions.queues!.push({ name: 'log', arguments: { 'x-queue-type': 'stream' } });
    definitions.bindings!.push(
      { source: 'orders', destination: 'x', destination_type: 'stream', routing_key: '' },
      { source: 'delayed', destination: 'lost', destination_type: 'queue', routing_key: 'k' },
      { source: 'orders', destination: 'log', destination_type: 'queue', routing_key: '#' },
      { source: 'orders', destination: 'nowhere', destination_type: 'exchange' },
    );
    const result = definitionsToTopology(definitions, { vhost: 'x' });
    if (!result.ok) throw new Error(result.message);
    expect(result.notImported).toEqual([
      "exchange 'delayed' has type 'x-delayed-message', which a diagram cannot draw (it draws direct, fanout, topic, headers, x-consistent-hash).",
      "queue 'log' is a stream, which a diagram cannot draw (it draws classic and quorum queues).",
      "binding from 'orders' to stream 'x': destination type 'stream' is neither queue nor exchange.",
      "binding from 'delayed' to queue 'lost' (routing key 'k') is left out: its exchange 'delayed' was not imported.",
      "binding from 'orders' to queue 'log' (routing key '#') is left out: its queue 'log' was not imported.",
      "binding from 'orders' to exchange 'nowhere' is left out: its exchange 'nowhere' is not in these definitions.",
      "policy 'streams' applies to 'streams', which a diagram cannot hold (it knows queues, exchanges, all, classic_queues, quorum_queues).",
      "2 parameters (shovel 's', vhost-limits 'limits'): runtime parameters (shovels, federation, vhost limits) are not part of a diagram.",
      "1 operator policy ('cap'): operator policies cap what user policies set and are not part of a diagram.",
      "1 global parameter ('cluster_name'): broker-wide settings are not part of a diagram.",
      "1 topic permission (for 'u'): access control is not part of a diagram.",
      "'federation' is not something a diagram can hold.",
    ]);
    expect(result.topology.exchanges.map((x) => x.name)).toEqual(['orders', 'unrouted']);
    expect(result.topology.queues.map((q) => q.name)).toEqual(['orders.eu', 'lost']);
    expect(result.topology.bindings).toHaveLength(2);
    expect(result.topology.policies?.map((p) => p.name)).toEqual(['ttl']);
    expect(parseTopology(result.topology).ok).toBe(true);
  });

  it("reads RabbitMQ 3.10's one-vhost export, whose policies name their vhost", () => {
    const result = definitionsToTopology({
      rabbit_version: '3.10.8',
      parameters: [],
      policies: [
        {
          vhost: 'shop',
          name: 'cap',
          pattern: '^orders',
          'apply-to': 'queues',
          definition: { 'max-length': 10, overflow: 'reject-publish' },
          priority: 3,
        },
      ],
      queues: [{ name: 'orders', durable: true, auto_delete: false, arguments: {} }],
      exchanges: [],
      bindings: [],
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.vhost).toBe('shop');
    expect(result.notImported).toEqual([]);
    expect(result.topology.policies).toEqual([
      {
        id: 'policy:cap',
        name: 'cap',
        pattern: '^orders',
        applyTo: 'queues',
        priority: 3,
        definition: { 'max-length': 10, overflow: 'reject-publish' },
      },
    ]);
  });

  it('imports a queue the broker named as a server-named queue, and says so', () => {
    const result = definitionsToTopology({
      exchanges: [{ name: 'events', type: 'fanout' }],
      queues: [{ name: 'amq.gen-x1Y2', durable: false, auto_delete: false, arguments: {} }],
      bindings: [{ source: 'events', destination: 'amq.gen-x1Y2', destination_type: 'queue' }],
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.topology.queues[0]).toMatchObject({ name: 'amq.gen-x1Y2', serverNamed: true });
    expect(result.topology.bindings).toHaveLength(1);
    expect(result.notImported).toEqual([
      "queue 'amq.gen-x1Y2' was named by the broker: it is imported as a server-named queue, and the broker will pick a new name when the diagram is applied.",
    ]);
  });

  it('skips the layout when asked', () => {
    const result = definitionsToTopology(oneVhostExport(), { layout: false });
    if (!result.ok) throw new Error(result.message);
    expect(result.topology.queues.every((q) => q.position === undefined)).toBe(true);
  });

  it('skips the built-in exchanges', () => {
    const result = definitionsToTopology({
      exchanges: [
        { name: '', type: 'direct' },
        { name: 'amq.topic', type: 'topic' },
        { name: 'own', type: 'topic' },
      ],
      bindings: [
        { source: 'amq.topic', destination: 'own', destination_type: 'exchange', routing_key: '#' },
      ],
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.topology.exchanges.map((x) => x.name)).toEqual(['own']);
    expect(result.topology.bindings[0]).toMatchObject({
      source: 'amq.topic',
      destinationType: 'exchange',
    });
    expect(result.notImported).toEqual([]);
  });

  it.each([null, [], 'definitions', 3])('refuses %j', (input) => {
    expect(definitionsToTopology(input as unknown as Definitions)).toEqual({
      ok: false,
      message: 'definitions must be a JSON object, as exported by RabbitMQ.',
    });
  });

  it.each([
    [{ exchanges: 'orders' }, "definitions: 'exchanges' must be a list."],
    [{ queues: [null] }, 'definitions: queues[0] must be an object.'],
    [{ queues: [{ name: 7 }] }, 'definitions: queues[0].name must be a string.'],
    [{ exchanges: [{ name: 'e' }] }, 'definitions: exchanges[0].type must be a string.'],
    [
      { bindings: [{ source: 'e', destination: 'q' }] },
      'definitions: bindings[0].destination_type must be a string.',
    ],
    [{ vhosts: [{}] }, 'definitions: vhosts[0].name must be a string.'],
    [{ queues: [{ name: 'q', vhost: 1 }] }, 'definitions: queues[0].vhost must be a string.'],
    [
      { queues: [{ name: 'q', arguments: [] }] },
      'definitions: queues[0].arguments must be an object.',
    ],
    [
      { policies: [{ name: 'p', pattern: '.*' }] },
      'definitions: policies[0].definition must be an object.',
    ],
    [
      { policies: [{ name: 'p', pattern: '.*', definition: {}, priority: '1' }] },
      'definitions: policies[0].priority must be a whole number.',
    ],
  ])('refuses malformed definitions %j without throwing', (input, message) => {
    expect(definitionsToTopology(input as unknown as Definitions)).toEqual({ ok: false, message });
  });
});

describe('topologyToDefinitions', () => {
  const topology: Topology = {
    version: 1,
    name: 'shop',
    exchanges: [
      {
        id: 'x1',
        name: 'orders',
        type: 'x-consistent-hash',
        durable: false,
        autoDelete: true,
        internal: true,
        arguments: { 'hash-header': 'customer' },
        position: { x: 1, y: 2 },
      },
    ],
    queues: [
      {
        id: 'q1',
        name: 'shard-1',
        durable: true,
        exclusive: false,
        autoDelete: false,
        arguments: { 'x-max-length': 10, 'x-overflow': 'reject-publish' },
      },
      { id: 'q2', name: 'shard-2', durable: true, exclusive: false, autoDelete: false },
    ],
    bindings: [
      {
        id: 'b1',
        source: 'orders',
        destination: 'shard-1',
        destinationType: 'queue',
        routingKey: '1',
      },
      {
        id: 'b2',
        source: 'orders',
        destination: 'shard-2',
        destinationType: 'queue',
        routingKey: '2',
      },
    ],
    producers: [
      {
        id: 'p1',
        name: 'checkout',
        exchange: 'orders',
        routingKey: 'k',
        payload: 'hi',
        mandatory: true,
      },
    ],
  };

  it('writes a one-vhost export in RabbitMQ field names', () => {
    expect(topologyToDefinitions(topology)).toEqual({
      exchanges: [
        {
          name: 'orders',
          type: 'x-consistent-hash',
          durable: false,
          auto_delete: true,
          internal: true,
          arguments: { 'hash-header': 'customer' },
        },
      ],
      queues: [
        {
          name: 'shard-1',
          durable: true,
          auto_delete: false,
          exclusive: false,
          arguments: { 'x-max-length': 10, 'x-overflow': 'reject-publish' },
        },
        { name: 'shard-2', durable: true, auto_delete: false, exclusive: false, arguments: {} },
      ],
      bindings: [
        {
          source: 'orders',
          destination: 'shard-1',
          destination_type: 'queue',
          routing_key: '1',
          arguments: {},
        },
        {
          source: 'orders',
          destination: 'shard-2',
          destination_type: 'queue',
          routing_key: '2',
          arguments: {},
        },
      ],
    });
  });

  it('tags every object with the vhost when asked', () => {
    const definitions = topologyToDefinitions(topology, { vhost: 'shop' });
    expect(definitions.vhosts).toEqual([{ name: 'shop' }]);
    for (const item of [
      ...definitions.exchanges!,
      ...definitions.queues!,
      ...definitions.bindings!,
    ]) {
      expect(item.vhost).toBe('shop');
    }
  });

  it('round-trips every broker-side field through a one-vhost export', () => {
    const back = definitionsToTopology(topologyToDefinitions(topology));
    if (!back.ok) throw new Error(back.message);
    expect(brokerSide(back.topology)).toEqual(brokerSide(topology));
    expect(back.notImported).toEqual([]);
  });

  it('round-trips through a vhost-tagged export', () => {
    const back = definitionsToTopology(topologyToDefinitions(topology, { vhost: 'shop' }));
    if (!back.ok) throw new Error(back.message);
    expect(back.vhost).toBe('shop');
    expect(brokerSide(back.topology)).toEqual(brokerSide(topology));
  });

  it('round-trips an imported export back to the same definitions', () => {
    const imported = definitionsToTopology(oneVhostExport());
    if (!imported.ok) throw new Error(imported.message);
    const { exchanges, queues, bindings } = topologyToDefinitions(imported.topology);
    const original = oneVhostExport();
    expect(exchanges).toEqual(original.exchanges);
    expect(bindings).toEqual(original.bindings);
    expect(queues).toEqual(original.queues!.map((q) => ({ ...q, exclusive: false })));
  });

  it('survives JSON serialization', () => {
    const json = JSON.parse(JSON.stringify(topologyToDefinitions(topology))) as Definitions;
    const back = definitionsToTopology(json);
    if (!back.ok) throw new Error(back.message);
    expect(brokerSide(back.topology)).toEqual(brokerSide(topology));
  });

  it('says what a definitions file cannot hold', () => {
    const result = exportDefinitions({
      version: 1,
      exchanges: [
        {
          id: 'x',
          name: 'events',
          type: 'fanout',
          durable: true,
          autoDelete: false,
          internal: false,
          arguments: { 'x-note': null },
        },
      ],
      queues: [
        {
          id: 'q1',
          name: 'replies',
          durable: false,
          exclusive: true,
          autoDelete: true,
          serverNamed: true,
        },
        { id: 'q2', name: 'mine', durable: false, exclusive: true, autoDelete: false },
      ],
      bindings: [
        {
          id: 'b1',
          source: 'events',
          destination: 'replies',
          destinationType: 'queue',
          routingKey: '',
        },
        {
          id: 'b2',
          source: 'events',
          destination: 'mine',
          destinationType: 'queue',
          routingKey: '',
        },
      ],
      producers: [
        { id: 'p', name: 'p', exchange: 'events', routingKey: '', payload: '', mandatory: false },
      ],
      consumers: [{ id: 'c', name: 'c', queue: 'mine', prefetch: 1, autoAck: false }],
    });
    expect(result.notExported).toEqual([
      "exchange 'events': argument 'x-note' has no value, which RabbitMQ refuses in definitions; it is left out.",
      "queue 'replies' is server-named: the broker picks its name when a client declares it, so a definitions file cannot create it (its bindings are left out too).",
      "queue 'mine' is exclusive: RabbitMQ ignores 'exclusive' in definitions and creates an ordinary queue that outlives connections.",
      '1 producer and 1 consumer: they are applications, not broker objects, so a definitions file has no place for them (code export does).',
    ]);
    expect(result.definitions.exchanges?.[0]?.arguments).toEqual({});
    expect(result.definitions.queues?.map((q) => q.name)).toEqual(['mine']);
    expect(result.definitions.bindings?.map((b) => b.destination)).toEqual(['mine']);
  });

  it('writes policies as RabbitMQ does', () => {
    const definitions = topologyToDefinitions(
      {
        ...topology,
        policies: [
          {
            id: 'p',
            name: 'cap',
            pattern: '^shard-',
            applyTo: 'queues',
            priority: 2,
            definition: { 'max-length': 5, 'dead-letter-exchange': 'orders' },
          },
        ],
      },
      { vhost: 'shop' },
    );
    expect(definitions.policies).toEqual([
      {
        vhost: 'shop',
        name: 'cap',
        pattern: '^shard-',
        'apply-to': 'queues',
        definition: { 'max-length': 5, 'dead-letter-exchange': 'orders' },
        priority: 2,
      },
    ]);
  });

  it("keeps an argument named '__proto__' as an argument", () => {
    const args = JSON.parse('{"__proto__": [1], "x-max-length": 5}') as Record<string, unknown>;
    const definitions = topologyToDefinitions({
      version: 1,
      exchanges: [],
      queues: [
        { id: 'q', name: 'q', durable: true, exclusive: false, autoDelete: false, arguments: args },
      ],
      bindings: [],
      producers: [],
    });
    const written = JSON.parse(JSON.stringify(definitions.queues?.[0]?.arguments)) as object;
    expect(Object.entries(written)).toEqual([
      ['__proto__', [1]],
      ['x-max-length', 5],
    ]);
  });

  it('round-trips names, flags, typed arguments, e2e bindings and policies of any diagram', () => {
    const name = fc
      .string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
      .filter((n) => !n.startsWith('amq.'));
    const scalar = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer({ min: -1_000_000, max: 4_294_967_295 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
      fc.boolean(),
    );
    const value = fc.oneof(
      scalar,
      fc.array(scalar, { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), scalar, { maxKeys: 3 }),
    );
    const table = fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), value, { maxKeys: 4 });
    const diagram = fc
      .record({
        exchanges: fc.uniqueArray(
          fc.record({
            name,
            type: fc.constantFrom(...EXCHANGE_TYPES),
            durable: fc.boolean(),
            autoDelete: fc.boolean(),
            internal: fc.boolean(),
            arguments: table,
          }),
          { selector: (x) => x.name, minLength: 1, maxLength: 5 },
        ),
        queues: fc.uniqueArray(
          fc.record({
            name,
            durable: fc.boolean(),
            exclusive: fc.boolean(),
            autoDelete: fc.boolean(),
            arguments: table,
          }),
          { selector: (q) => q.name, maxLength: 5 },
        ),
        links: fc.array(
          fc.record({
            from: fc.nat(),
            to: fc.nat(),
            toExchange: fc.boolean(),
            routingKey: fc.string({ maxLength: 10 }),
            arguments: table,
          }),
          { maxLength: 8 },
        ),
        policies: fc.uniqueArray(
          fc.record({
            name: fc.string({ minLength: 1, maxLength: 10 }),
            pattern: fc.string({ maxLength: 10 }),
            applyTo: fc.constantFrom(...POLICY_TARGETS),
            priority: fc.integer({ min: -5, max: 5 }),
            definition: table,
          }),
          { selector: (p) => p.name, maxLength: 3 },
        ),
      })
      .map(({ exchanges, queues, links, policies }): Topology => {
        const seen = new Set<string>();
        const bindings = links.flatMap((link, i) => {
          const source = exchanges[link.from % exchanges.length]!.name;
          const targets = link.toExchange || queues.length === 0 ? exchanges : queues;
          const destination = targets[link.to % targets.length]!.name;
          const destinationType = targets === exchanges ? 'exchange' : 'queue';
          const key = JSON.stringify([source, destination, destinationType, link.routingKey]);
          if (seen.has(key)) return [];
          seen.add(key);
          return [
            {
              id: `b${i}`,
              source,
              destination,
              destinationType,
              routingKey: link.routingKey,
              arguments: link.arguments,
            } as const,
          ];
        });
        return {
          version: 1,
          exchanges: exchanges.map((x, i) => ({ id: `x${i}`, ...x })),
          queues: queues.map((q, i) => ({ id: `q${i}`, ...q })),
          bindings,
          producers: [],
          ...(policies.length > 0
            ? { policies: policies.map((p, i) => ({ id: `p${i}`, ...p })) }
            : {}),
        };
      });
    fc.assert(
      fc.property(diagram, (original) => {
        const json = JSON.parse(JSON.stringify(topologyToDefinitions(original))) as Definitions;
        const back = definitionsToTopology(json, { layout: false });
        if (!back.ok) throw new Error(back.message);
        expect(brokerSide(back.topology)).toEqual(brokerSide(original));
        expect(back.notImported).toEqual([]);
      }),
      // A fixed seed keeps the run deterministic; change it to explore other diagrams.
      { numRuns: 300, seed: 1190606678 },
    );
  });
});

describe('an imported definitions file', () => {
  /** 60 objects: 8 exchanges (two of them behind others), 26 queues, 26 bindings. */
  function sixtyObjects(): Definitions {
    const exchanges = [
      { name: 'ingress', type: 'topic' },
      { name: 'orders', type: 'topic' },
      { name: 'billing', type: 'direct' },
      { name: 'audit', type: 'fanout' },
      { name: 'notifications', type: 'fanout' },
      { name: 'shards', type: 'x-consistent-hash' },
      { name: 'retry', type: 'direct' },
      { name: 'dead-letters', type: 'fanout' },
    ];
    const queues = Array.from({ length: 26 }, (_, i) => ({
      name: `queue-${String(i).padStart(2, '0')}`,
    }));
    const bindings = [
      {
        source: 'ingress',
        destination: 'orders',
        destination_type: 'exchange',
        routing_key: 'order.#',
      },
      {
        source: 'ingress',
        destination: 'billing',
        destination_type: 'exchange',
        routing_key: 'bill.*',
      },
      { source: 'orders', destination: 'audit', destination_type: 'exchange', routing_key: '#' },
      ...queues.slice(0, 23).map((q, i) => ({
        source: exchanges[i % exchanges.length]!.name,
        destination: q.name,
        destination_type: 'queue',
        routing_key: `key.${i}`,
      })),
    ];
    return { exchanges, queues, bindings };
  }

  it('is laid out left to right without overlaps', () => {
    const definitions = sixtyObjects();
    expect(
      definitions.exchanges!.length + definitions.queues!.length + definitions.bindings!.length,
    ).toBe(60);
    const result = definitionsToTopology(definitions);
    if (!result.ok) throw new Error(result.message);
    const { topology } = result;
    const boxes = [
      ...topology.exchanges.map((x) => ({
        name: x.name,
        at: x.position,
        ...LAYOUT_NODE_SIZES.exchange,
      })),
      ...topology.queues.map((q) => ({ name: q.name, at: q.position, ...LAYOUT_NODE_SIZES.queue })),
    ];
    const overlapping: string[] = [];
    boxes.forEach((a, i) => {
      for (const b of boxes.slice(i + 1)) {
        if (!a.at || !b.at) throw new Error(`${a.name} or ${b.name} has no position`);
        if (
          a.at.x < b.at.x + b.width &&
          b.at.x < a.at.x + a.width &&
          a.at.y < b.at.y + b.height &&
          b.at.y < a.at.y + a.height
        )
          overlapping.push(`${a.name} / ${b.name}`);
      }
    });
    expect(overlapping).toEqual([]);
    const x = (name: string) => boxes.find((b) => b.name === name)?.at?.x ?? NaN;
    expect(x('ingress')).toBeLessThan(x('orders'));
    expect(x('orders')).toBeLessThan(x('audit'));
    // The queues sit right of every exchange, in columns side by side rather than one tall one.
    const queueXs = new Set(topology.queues.map((q) => q.position?.x));
    expect(queueXs.size).toBeGreaterThan(1);
    expect(Math.min(...topology.queues.map((q) => q.position!.x))).toBeGreaterThan(
      Math.max(...topology.exchanges.map((e) => e.position!.x + LAYOUT_NODE_SIZES.exchange.width)),
    );
  });

  it('gets the same positions every time', () => {
    const first = definitionsToTopology(sixtyObjects());
    const second = definitionsToTopology(sixtyObjects());
    expect(second).toEqual(first);
  });
});
