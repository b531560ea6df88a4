import { describe, expect, it } from 'vitest';
import { layoutTopology } from './layout';
import type { Binding, Exchange, Position, Queue, Topology } from './model';

const exchange = (name: string, position?: Position): Exchange => ({
  id: `x-${name}`,
  name,
  type: 'topic',
  durable: true,
  autoDelete: false,
  internal: false,
  ...(position ? { position } : {}),
});
const queue = (name: string, position?: Position): Queue => ({
  id: `q-${name}`,
  name,
  durable: true,
  exclusive: false,
  autoDelete: false,
  ...(position ? { position } : {}),
});
const binding = (
  source: string,
  destination: string,
  destinationType: Binding['destinationType'] = 'queue',
): Binding => ({
  id: `b-${source}-${destination}`,
  source,
  destination,
  destinationType,
  routingKey: '#',
});

function positions(topology: Topology): Position[] {
  return [...topology.producers, ...topology.exchanges, ...topology.queues].map((node) => {
    if (!node.position) throw new Error(`${node.id} has no position`);
    return node.position;
  });
}

/** Nodes are drawn about 200 by 80 pixels; two positions closer than that overlap. */
function overlapping(all: Position[]): [Position, Position][] {
  const pairs: [Position, Position][] = [];
  all.forEach((a, i) => {
    for (const b of all.slice(i + 1)) {
      if (Math.abs(a.x - b.x) < 200 && Math.abs(a.y - b.y) < 80) pairs.push([a, b]);
    }
  });
  return pairs;
}

const xOf = (t: Topology, name: string) =>
  [...t.exchanges, ...t.queues].find((n) => n.name === name)?.position?.x ?? NaN;

describe('layoutTopology', () => {
  it('positions every node, without overlaps', () => {
    const topology: Topology = {
      version: 1,
      exchanges: ['a', 'b', 'c', 'd'].map((n) => exchange(n)),
      queues: Array.from({ length: 12 }, (_, i) => queue(`q${i}`)),
      bindings: [
        binding('a', 'b', 'exchange'),
        binding('b', 'c', 'exchange'),
        ...Array.from({ length: 12 }, (_, i) => binding(['a', 'b', 'c', 'd'][i % 4]!, `q${i}`)),
      ],
      producers: [
        { id: 'p1', name: 'p1', exchange: 'a', routingKey: '', payload: '', mandatory: false },
        { id: 'p2', name: 'p2', exchange: 'd', routingKey: '', payload: '', mandatory: false },
      ],
    };
    const laid = layoutTopology(topology);
    const all = positions(laid);
    expect(all).toHaveLength(18);
    expect(overlapping(all)).toEqual([]);
  });

  it('puts producers, then exchanges by depth, then queues in columns from left to right', () => {
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('front'), exchange('back')],
      queues: [queue('work')],
      bindings: [binding('front', 'back', 'exchange'), binding('back', 'work')],
      producers: [
        { id: 'p', name: 'p', exchange: 'front', routingKey: '', payload: '', mandatory: false },
      ],
    });
    const producerX = laid.producers[0]!.position!.x;
    expect(producerX).toBeLessThan(xOf(laid, 'front'));
    expect(xOf(laid, 'front')).toBeLessThan(xOf(laid, 'back'));
    expect(xOf(laid, 'back')).toBeLessThan(xOf(laid, 'work'));
  });

  it('keeps positions that are already set', () => {
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('e', { x: 500, y: 700 })],
      queues: [queue('q', { x: -20, y: 3.5 })],
      bindings: [],
      producers: [],
    });
    expect(laid.exchanges[0]!.position).toEqual({ x: 500, y: 700 });
    expect(laid.queues[0]!.position).toEqual({ x: -20, y: 3.5 });
  });

  it('places new nodes clear of nodes placed by hand', () => {
    // Hand-placed nodes sit exactly where the grid would put the first new ones.
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('placed', { x: 40, y: 40 }), exchange('new')],
      queues: [queue('q-placed', { x: 320, y: 40 }), queue('q-new-1'), queue('q-new-2')],
      bindings: [],
      producers: [],
    });
    expect(overlapping(positions(laid))).toEqual([]);
  });

  it('terminates on exchange-to-exchange cycles', () => {
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('root'), exchange('a'), exchange('b')],
      queues: [queue('q')],
      bindings: [
        binding('root', 'a', 'exchange'),
        binding('a', 'b', 'exchange'),
        binding('b', 'a', 'exchange'),
        binding('b', 'q'),
      ],
      producers: [],
    });
    expect(overlapping(positions(laid))).toEqual([]);
    expect(xOf(laid, 'q')).toBeGreaterThan(Math.max(xOf(laid, 'a'), xOf(laid, 'b')));
  });

  it('does not modify its input', () => {
    const topology: Topology = {
      version: 1,
      exchanges: [exchange('e')],
      queues: [queue('q')],
      bindings: [binding('e', 'q')],
      producers: [],
    };
    const copy = structuredClone(topology);
    layoutTopology(topology);
    expect(topology).toEqual(copy);
  });

  it('lays out an empty diagram', () => {
    const empty: Topology = { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
    expect(layoutTopology(empty)).toEqual(empty);
  });
});
