import { describe, expect, it } from 'vitest';
import { definitionsToTopology, topologyToDefinitions, type Definitions } from './definitions';
import type { Topology } from './model';
import { parseTopology } from './validate';

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

  it('takes one vhost out of a full export', () => {
    const result = definitionsToTopology(fullExport(), { vhost: 'shop' });
    if (!result.ok) throw new Error(result.message);
    expect(result.vhost).toBe('shop');
    expect(result.topology.exchanges.map((x) => x.name)).toEqual(['orders']);
    expect(result.topology.queues.map((q) => q.name)).toEqual(['paid']);
    expect(result.topology.bindings.map((b) => [b.source, b.destination, b.routingKey])).toEqual([
      ['orders', 'paid', 'paid'],
    ]);
    // The only policy belongs to another vhost, and users/permissions are broker-wide.
    expect(result.notImported).toEqual([]);
  });

  it("lists the chosen vhost's policies as not imported", () => {
    const result = definitionsToTopology(fullExport(), { vhost: '/' });
    if (!result.ok) throw new Error(result.message);
    expect(result.topology.queues.map((q) => q.name)).toEqual(['all-logs']);
    expect(result.notImported).toEqual(["'policies' (1) is not part of a diagram yet"]);
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
      policies: [{ name: 'ttl', pattern: '.*', definition: { 'message-ttl': 1 } }],
      parameters: [{ component: 'shovel', name: 's', value: {} }],
    };
    definitions.exchanges!.push({ name: 'delayed', type: 'x-delayed-message', durable: true });
    definitions.bindings!.push({
      source: 'orders',
      destination: 'x',
      destination_type: 'stream',
      routing_key: '',
    });
    const result = definitionsToTopology(definitions);
    if (!result.ok) throw new Error(result.message);
    expect(result.notImported).toEqual([
      "exchange 'delayed': type 'x-delayed-message' is not supported",
      "binding 2: destination type 'stream' is not supported",
      "'policies' (1) is not part of a diagram yet",
      "'parameters' (1) is not part of a diagram yet",
    ]);
    expect(result.topology.exchanges.map((x) => x.name)).toEqual(['orders', 'unrouted']);
    expect(result.topology.bindings).toHaveLength(2);
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

  /** Only broker-side fields travel through definitions.json; ids and positions do not. */
  function brokerSide(t: Topology) {
    return {
      exchanges: t.exchanges.map(({ id: _i, position: _p, ...x }) => x),
      queues: t.queues.map(({ id: _i, position: _p, ...q }) => q),
      bindings: t.bindings.map(({ id: _i, ...b }) => b),
    };
  }

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
});
