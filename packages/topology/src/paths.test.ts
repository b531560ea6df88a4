import { describe, expect, it } from 'vitest';
import type { Topology } from './model';
import { producerEdgeId, relationEdgeId, routePaths, topicMatches } from './paths';
import { binding, exchange, queue } from './testing/builders';

const base: Topology = {
  version: 1,
  exchanges: [
    exchange('orders', 'topic'),
    exchange('audit', 'fanout'),
    exchange('archive', 'direct'),
  ],
  queues: [queue('billing'), queue('shipping'), queue('log'), queue('cold')],
  bindings: [
    binding('orders', 'billing', 'order.*', { id: 'b1' }),
    binding('orders', 'shipping', 'order.shipped', { id: 'b2' }),
    binding('orders', 'audit', '#', { id: 'b3', destinationType: 'exchange' }),
    binding('audit', 'log', '', { id: 'b4' }),
    binding('audit', 'archive', '', { id: 'b5', destinationType: 'exchange' }),
    binding('archive', 'cold', 'x', { id: 'b6' }),
  ],
  producers: [
    {
      id: 'p1',
      name: 'shop',
      exchange: 'orders',
      routingKey: 'order.new',
      payload: '',
      mandatory: false,
    },
    { id: 'p2', name: 'other', exchange: 'audit', routingKey: '', payload: '', mandatory: false },
  ],
};

describe('routePaths', () => {
  it('starts at the producer edge and follows direct bindings', () => {
    expect(routePaths(base, 'orders', ['billing', 'shipping'], 'p1')).toEqual({
      producerEdgeId: producerEdgeId('p1'),
      hops: [['b1'], ['b2']],
      unreached: [],
    });
  });

  it('follows exchange-to-exchange bindings when there is no direct binding', () => {
    expect(routePaths(base, 'orders', ['log', 'cold']).hops).toEqual([
      ['b3', 'b4'],
      ['b3', 'b5', 'b6'],
    ]);
  });

  it('has no producer edge for outside publishes or a producer of another exchange', () => {
    expect(routePaths(base, 'orders', ['billing']).producerEdgeId).toBeUndefined();
    expect(routePaths(base, 'orders', ['billing'], 'p2').producerEdgeId).toBeUndefined();
    expect(routePaths(base, 'orders', ['billing'], 'nobody').producerEdgeId).toBeUndefined();
  });

  it('returns no hops for an unroutable message but keeps the producer edge', () => {
    expect(routePaths(base, 'orders', [], 'p1')).toEqual({
      producerEdgeId: 'publish:p1',
      hops: [],
      unreached: [],
    });
  });

  it('reports routed queues it has no drawn path to', () => {
    const result = routePaths(base, '', ['billing'], 'p1');
    expect(result).toEqual({ hops: [], unreached: ['billing'] });
    expect(routePaths(base, 'orders', ['elsewhere']).unreached).toEqual(['elsewhere']);
  });

  it('prefers the chain whose bindings match the routing key', () => {
    const topology: Topology = {
      ...base,
      exchanges: [exchange('in', 'direct'), exchange('a', 'fanout'), exchange('b', 'fanout')],
      queues: [queue('q')],
      bindings: [
        binding('in', 'a', 'red', { id: 'via-a', destinationType: 'exchange' }),
        binding('in', 'b', 'blue', { id: 'via-b', destinationType: 'exchange' }),
        binding('a', 'q', '', { id: 'a-q' }),
        binding('b', 'q', '', { id: 'b-q' }),
      ],
      producers: [],
    };
    expect(routePaths(topology, 'in', ['q'], undefined, 'blue').hops).toEqual([['via-b', 'b-q']]);
    expect(routePaths(topology, 'in', ['q'], undefined, 'red').hops).toEqual([['via-a', 'a-q']]);
    // Nothing matches (the diagram changed since): still draw the shortest chain.
    expect(routePaths(topology, 'in', ['q'], undefined, 'green').hops).toEqual([['via-a', 'a-q']]);
  });

  it('survives cycles between exchanges and lists a queue once', () => {
    const topology: Topology = {
      ...base,
      exchanges: [exchange('a', 'topic'), exchange('b', 'topic')],
      queues: [queue('q')],
      bindings: [
        binding('a', 'b', '#', { id: 'ab', destinationType: 'exchange' }),
        binding('b', 'a', '#', { id: 'ba', destinationType: 'exchange' }),
        binding('b', 'q', '#', { id: 'bq' }),
      ],
      producers: [],
    };
    expect(routePaths(topology, 'a', ['q', 'q']).hops).toEqual([['ab', 'bq']]);
  });

  it('ignores bindings to objects the diagram does not draw', () => {
    const topology: Topology = {
      ...base,
      bindings: [
        binding('orders', 'amq.direct', '', { id: 'ghost', destinationType: 'exchange' }),
        ...base.bindings,
      ],
    };
    expect(routePaths(topology, 'orders', ['billing']).hops).toEqual([['b1']]);
  });
});

describe('topicMatches', () => {
  it.each([
    ['order.*', 'order.new', true],
    ['order.*', 'order.new.eu', false],
    ['order.#', 'order', true],
    ['order.#', 'order.new.eu', true],
    ['#', '', true],
    ['*', '', false],
    ['#.eu', 'order.new.eu', true],
    ['*.new.#', 'order.new', true],
    ['a.b', 'a.b', true],
    ['a.b', 'a.c', false],
    ['', '', true],
  ])('%s against %s is %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });

  it('goes through an alternate exchange when no binding of the exchange matches', () => {
    const topology: Topology = {
      ...base,
      exchanges: [
        exchange('orders', 'direct', { arguments: { 'alternate-exchange': 'unrouted' } }),
        exchange('unrouted', 'fanout'),
      ],
      queues: [queue('billing'), queue('lost')],
      bindings: [
        binding('orders', 'billing', 'bill', { id: 'b1' }),
        binding('unrouted', 'lost', '', { id: 'b2' }),
      ],
    };
    expect(routePaths(topology, 'orders', ['lost'], undefined, 'nothing').hops).toEqual([
      [relationEdgeId('alternate', 'x-orders'), 'b2'],
    ]);
    expect(routePaths(topology, 'orders', ['billing'], undefined, 'bill').hops).toEqual([['b1']]);
  });

  it('draws a producer of the default exchange straight to the queue its key names', () => {
    const topology: Topology = {
      ...base,
      producers: [
        { id: 'p3', name: 'hello', exchange: '', routingKey: 'log', payload: '', mandatory: false },
      ],
    };
    expect(routePaths(topology, '', ['log'], 'p3', 'log')).toEqual({
      producerEdgeId: producerEdgeId('p3'),
      hops: [[]],
      unreached: [],
    });
    // Another key, or one the diagram does not draw, reaches queues it has no line to.
    expect(routePaths(topology, '', ['cold'], 'p3', 'cold')).toEqual({
      hops: [],
      unreached: ['cold'],
    });
    const keys = {
      ...topology,
      producers: [
        {
          ...topology.producers[0]!,
          routingKeyStrategy: { kind: 'round-robin' as const, keys: ['log'] },
        },
      ],
    };
    expect(routePaths(keys, '', ['log'], 'p3', 'log').producerEdgeId).toBeUndefined();
  });
});
