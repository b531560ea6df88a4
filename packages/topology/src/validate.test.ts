import { describe, expect, it } from 'vitest';
import type { Topology } from './model';
import { parseTopology, type TopologyIssue } from './validate';

/** A small valid diagram: a producer, a topic exchange and two queues bound to it. */
function orders(): Topology {
  return {
    version: 1,
    exchanges: [
      {
        id: 'x-orders',
        name: 'orders',
        type: 'topic',
        durable: true,
        autoDelete: false,
        internal: false,
      },
    ],
    queues: [
      { id: 'q-eu', name: 'orders.eu', durable: true, exclusive: false, autoDelete: false },
      { id: 'q-all', name: 'orders.all', durable: true, exclusive: false, autoDelete: false },
    ],
    bindings: [
      {
        id: 'b-eu',
        source: 'orders',
        destination: 'orders.eu',
        destinationType: 'queue',
        routingKey: 'order.eu.*',
      },
      {
        id: 'b-all',
        source: 'orders',
        destination: 'orders.all',
        destinationType: 'queue',
        routingKey: 'order.#',
      },
    ],
    producers: [
      {
        id: 'p-shop',
        name: 'shop',
        exchange: 'orders',
        routingKey: 'order.eu.created',
        payload: '{}',
        mandatory: false,
      },
    ],
  };
}

function issuesOf(input: unknown): TopologyIssue[] {
  const result = parseTopology(input);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.issues;
}

describe('parseTopology', () => {
  it('accepts a valid diagram unchanged', () => {
    const result = parseTopology(orders());
    expect(result).toEqual({ ok: true, topology: orders() });
  });

  it('fills defaults for every optional field', () => {
    const result = parseTopology({
      version: 1,
      exchanges: [{ id: 'x', name: 'events', type: 'fanout' }],
      queues: [{ id: 'q', name: 'audit' }],
      bindings: [{ id: 'b', source: 'events', destination: 'audit' }],
      producers: [{ id: 'p', name: 'app', exchange: 'events' }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.topology).toEqual({
      version: 1,
      exchanges: [
        {
          id: 'x',
          name: 'events',
          type: 'fanout',
          durable: true,
          autoDelete: false,
          internal: false,
        },
      ],
      queues: [{ id: 'q', name: 'audit', durable: true, exclusive: false, autoDelete: false }],
      bindings: [
        {
          id: 'b',
          source: 'events',
          destination: 'audit',
          destinationType: 'queue',
          routingKey: '',
        },
      ],
      producers: [
        { id: 'p', name: 'app', exchange: 'events', routingKey: '', payload: '', mandatory: false },
      ],
    });
  });

  it('fills empty lists for a bare document', () => {
    expect(parseTopology({ version: 1 })).toEqual({
      ok: true,
      topology: { version: 1, exchanges: [], queues: [], bindings: [], producers: [] },
    });
  });

  it('does not modify its input', () => {
    const input = { version: 1, queues: [{ id: 'q', name: 'audit' }] };
    const copy = structuredClone(input);
    parseTopology(input);
    expect(input).toEqual(copy);
  });

  it.each([null, 42, 'topology', [], undefined])('refuses %j as a document', (input) => {
    expect(issuesOf(input)).toEqual([
      { path: '', message: 'A topology document must be a JSON object.' },
    ]);
  });

  it('refuses a document from a newer Warren, or with no version, saying why', () => {
    expect(issuesOf({ ...orders(), version: 0 })).toEqual([
      { path: '/version', message: expect.stringContaining('must be 1') as string },
    ]);
    expect(issuesOf({ ...orders(), version: undefined })).toEqual([
      { path: '/version', message: expect.stringContaining('has no "version"') as string },
    ]);
    expect(issuesOf({ ...orders(), version: 2 })).toEqual([
      {
        path: '/version',
        message:
          'This document was saved by a newer Warren (document version 2); this Warren reads version 1. Open it with a newer Warren.',
      },
    ]);
  });

  it('reports each bad field with its JSON pointer and node id', () => {
    const doc = orders() as unknown as Record<string, Record<string, unknown>[]>;
    doc.exchanges![0]!.type = 'topc';
    doc.queues![1]!.durable = 'yes';
    doc.bindings![0]!.routingKey = 5;
    doc.producers![0]!.mandatory = null;
    const issues = issuesOf(doc);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/exchanges/0/type', nodeId: 'x-orders' }),
        expect.objectContaining({ path: '/queues/1/durable', nodeId: 'q-all' }),
        expect.objectContaining({ path: '/bindings/0/routingKey', nodeId: 'b-eu' }),
        expect.objectContaining({ path: '/producers/0/mandatory', nodeId: 'p-shop' }),
      ]),
    );
    expect(issues).toHaveLength(4);
    const typeIssue = issues.find((i) => i.path === '/exchanges/0/type');
    expect(typeIssue?.message).toContain(
      '"direct", "fanout", "topic", "headers", "x-consistent-hash"',
    );
  });

  it('reports a nested bad field inside a position', () => {
    const doc = orders();
    (doc.queues[0] as unknown as { position: unknown }).position = { x: 10 };
    expect(issuesOf(doc)).toEqual([
      {
        path: '/queues/0/position/y',
        nodeId: 'q-eu',
        message: "/queues/0/position is missing 'y'.",
      },
    ]);
  });

  it('reports each unknown field at the field itself', () => {
    const doc = { ...orders(), colour: 'blue' } as Record<string, unknown>;
    (doc.exchanges as Record<string, unknown>[])[0]!.color = 'red';
    (doc.exchanges as Record<string, unknown>[])[0]!.size = 3;
    const issues = issuesOf(doc);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '/colour', message: "The document has an unknown field 'colour'." },
        {
          path: '/exchanges/0/color',
          nodeId: 'x-orders',
          message: "/exchanges/0 has an unknown field 'color'.",
        },
        {
          path: '/exchanges/0/size',
          nodeId: 'x-orders',
          message: "/exchanges/0 has an unknown field 'size'.",
        },
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('reports each missing required field', () => {
    const issues = issuesOf({ version: 1, exchanges: [{ name: 'orders' }] });
    expect(issues).toEqual([
      { path: '/exchanges/0/id', message: "/exchanges/0 is missing 'id'." },
      { path: '/exchanges/0/type', message: "/exchanges/0 is missing 'type'." },
    ]);
  });

  it('refuses an empty id and too long names', () => {
    const doc = orders();
    doc.queues[0]!.id = '';
    doc.queues[1]!.name = 'q'.repeat(256);
    doc.bindings = [];
    const issues = issuesOf(doc);
    expect(issues).toEqual([
      { path: '/queues/0/id', message: '/queues/0/id must not be empty.' },
      {
        path: '/queues/1/name',
        nodeId: 'q-all',
        message: '/queues/1/name is too long (at most 255 characters).',
      },
    ]);
  });

  it('refuses duplicate exchange and queue names', () => {
    const doc = orders();
    doc.exchanges.push({ ...doc.exchanges[0]!, id: 'x-orders-2' });
    doc.queues.push({ ...doc.queues[0]!, id: 'q-eu-2' });
    const issues = issuesOf(doc);
    expect(issues).toEqual([
      {
        path: '/exchanges/1/name',
        nodeId: 'x-orders-2',
        message: "There are two exchanges named 'orders'; names must be unique.",
      },
      {
        path: '/queues/2/name',
        nodeId: 'q-eu-2',
        message: "There are two queues named 'orders.eu'; names must be unique.",
      },
    ]);
  });

  it('allows an exchange and a queue to share a name', () => {
    const doc = orders();
    doc.queues[0]!.name = 'orders';
    doc.bindings[0]!.destination = 'orders';
    expect(parseTopology(doc).ok).toBe(true);
  });

  it('refuses duplicate ids across all kinds of nodes and edges', () => {
    const doc = orders();
    doc.queues[1]!.id = 'x-orders';
    doc.producers[0]!.id = 'b-eu';
    const issues = issuesOf(doc);
    expect(issues).toEqual([
      {
        path: '/queues/1/id',
        nodeId: 'x-orders',
        message: "id 'x-orders' is already used at /exchanges/0/id; ids must be unique.",
      },
      {
        path: '/producers/0/id',
        nodeId: 'b-eu',
        message: "id 'b-eu' is already used at /bindings/0/id; ids must be unique.",
      },
    ]);
  });

  it('refuses a binding whose source or destination is missing', () => {
    const doc = orders();
    doc.bindings[0]!.source = 'billing';
    doc.bindings[1]!.destination = 'nowhere';
    expect(issuesOf(doc)).toEqual([
      {
        path: '/bindings/0/source',
        nodeId: 'b-eu',
        message: "The binding's exchange 'billing' does not exist in this diagram.",
      },
      {
        path: '/bindings/1/destination',
        nodeId: 'b-all',
        message: "The binding's queue 'nowhere' does not exist in this diagram.",
      },
    ]);
  });

  it('looks a destination up among exchanges or queues by its destination type', () => {
    const doc = orders();
    doc.bindings[0]!.destinationType = 'exchange';
    expect(issuesOf(doc)).toEqual([
      {
        path: '/bindings/0/destination',
        nodeId: 'b-eu',
        message: "The binding's exchange 'orders.eu' does not exist in this diagram.",
      },
    ]);
    doc.bindings[0]!.destination = 'orders';
    expect(parseTopology(doc).ok).toBe(true);
  });

  it('accepts bindings from and to the built-in amq. exchanges', () => {
    const doc = orders();
    doc.bindings.push(
      {
        id: 'b-amq',
        source: 'amq.topic',
        destination: 'orders.all',
        destinationType: 'queue',
        routingKey: '#',
      },
      {
        id: 'b-x2x',
        source: 'orders',
        destination: 'amq.fanout',
        destinationType: 'exchange',
        routingKey: '',
      },
    );
    expect(parseTopology(doc).ok).toBe(true);
  });

  it('refuses bindings from or to the default exchange', () => {
    const doc = orders();
    doc.bindings[0]!.source = '';
    doc.bindings[1]!.destinationType = 'exchange';
    doc.bindings[1]!.destination = '';
    expect(issuesOf(doc)).toEqual([
      {
        path: '/bindings/0/source',
        nodeId: 'b-eu',
        message: 'The default exchange cannot be bound explicitly.',
      },
      {
        path: '/bindings/1/destination',
        nodeId: 'b-all',
        message: 'Nothing can be bound to the default exchange; pick a named exchange.',
      },
    ]);
  });

  it('refuses reserved amq. names for exchanges and queues', () => {
    const doc = orders();
    doc.exchanges[0]!.name = 'amq.orders';
    doc.queues[0]!.name = 'amq.gen-1';
    doc.bindings = [];
    doc.producers = [];
    expect(issuesOf(doc)).toEqual([
      {
        path: '/exchanges/0/name',
        nodeId: 'x-orders',
        message: "'amq.orders': names starting with 'amq.' are reserved by the broker.",
      },
      {
        path: '/queues/0/name',
        nodeId: 'q-eu',
        message: "'amq.gen-1': queue names starting with 'amq.' are reserved by the broker.",
      },
    ]);
  });

  it('refuses empty names', () => {
    const doc = orders();
    doc.exchanges[0]!.name = '';
    doc.queues[0]!.name = '';
    doc.bindings = [];
    doc.producers = [];
    expect(issuesOf(doc).map((i) => [i.path, i.message])).toEqual([
      ['/exchanges/0/name', 'An exchange needs a name.'],
      ['/queues/0/name', 'A queue needs a name.'],
    ]);
  });

  it.each(['order..created', '.order', 'order.', 'order.#.'])(
    'refuses topic pattern %j with an empty word',
    (routingKey) => {
      const doc = orders();
      doc.bindings[0]!.routingKey = routingKey;
      expect(issuesOf(doc)).toEqual([
        {
          path: '/bindings/0/routingKey',
          nodeId: 'b-eu',
          message: `Topic pattern '${routingKey}' has an empty word; words are separated by single dots.`,
        },
      ]);
    },
  );

  it.each(['', '#', '*', 'order.*.created', '#.created', 'a.b.c'])(
    'accepts topic pattern %j',
    (routingKey) => {
      const doc = orders();
      doc.bindings[0]!.routingKey = routingKey;
      expect(parseTopology(doc).ok).toBe(true);
    },
  );

  it('refuses wildcards that are only part of a word', () => {
    const doc = orders();
    doc.bindings[0]!.routingKey = 'order.eu*';
    expect(issuesOf(doc)).toEqual([
      expect.objectContaining({ path: '/bindings/0/routingKey', nodeId: 'b-eu' }),
    ]);
  });

  it('checks topic patterns on bindings from amq.topic too', () => {
    const doc = orders();
    doc.bindings.push({
      id: 'b-amq',
      source: 'amq.topic',
      destination: 'orders.all',
      destinationType: 'queue',
      routingKey: 'a..b',
    });
    expect(issuesOf(doc)).toEqual([
      expect.objectContaining({ path: '/bindings/2/routingKey', nodeId: 'b-amq' }),
    ]);
  });

  it('leaves routing keys of other exchange types alone', () => {
    const doc = orders();
    doc.exchanges[0]!.type = 'direct';
    doc.bindings[0]!.routingKey = 'order..created';
    expect(parseTopology(doc).ok).toBe(true);
  });

  it('refuses a binding that repeats another one', () => {
    const doc = orders();
    doc.bindings.push({ ...doc.bindings[0]!, id: 'b-eu-again' });
    expect(issuesOf(doc)).toEqual([
      {
        path: '/bindings/2',
        nodeId: 'b-eu-again',
        message: 'This binding repeats another one; the broker keeps only one of them.',
      },
    ]);
  });

  it('refuses a producer that publishes to a missing exchange', () => {
    const doc = orders();
    doc.producers[0]!.exchange = 'billing';
    expect(issuesOf(doc)).toEqual([
      {
        path: '/producers/0/exchange',
        nodeId: 'p-shop',
        message:
          "Producer 'shop' publishes to exchange 'billing', which does not exist in this diagram.",
      },
    ]);
  });

  it('accepts a producer that publishes to the default exchange', () => {
    const doc = orders();
    doc.producers[0]!.exchange = '';
    doc.producers[0]!.routingKey = 'orders.eu';
    expect(parseTopology(doc).ok).toBe(true);
  });

  it('reports every semantic issue at once, not only the first', () => {
    const doc = orders();
    doc.exchanges[0]!.name = 'amq.x';
    doc.queues[1]!.name = 'orders.eu';
    doc.producers[0]!.exchange = 'nope';
    expect(issuesOf(doc).map((i) => i.path)).toEqual([
      '/exchanges/0/name',
      '/queues/1/name',
      '/bindings/0/source',
      '/bindings/1/source',
      '/bindings/1/destination',
      '/producers/0/exchange',
    ]);
  });

  it('escapes JSON pointer characters in unknown field names', () => {
    const issues = issuesOf({ version: 1, 'a/b~c': 1 });
    expect(issues).toEqual([
      { path: '/a~1b~0c', message: "The document has an unknown field 'a/b~c'." },
    ]);
  });
});
