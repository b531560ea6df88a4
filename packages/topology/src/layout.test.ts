import { describe, expect, it } from 'vitest';
import {
  estimateNodeSize,
  LAYOUT_NODE_SIZES,
  LAYOUT_PRODUCER_TOOLBAR,
  LAYOUT_ROW_GAP,
  layoutTopology,
  type LayoutNodeKind,
} from './layout';
import type { Binding, Consumer, Exchange, Position, Producer, Queue, Topology } from './model';
import {
  binding as drawnBinding,
  exchange as drawnExchange,
  queue as drawnQueue,
} from './testing/builders';
import { generatedTopology } from './testing/generated';

// Types and routing keys do not move nodes: every exchange here is a topic one, every binding a
// '#', and a binding's id names its two ends.
const exchange = (name: string, position?: Position) =>
  drawnExchange(name, 'topic', position && { position });
const queue = (name: string, position?: Position) => drawnQueue(name, position && { position });
const binding = (
  source: string,
  destination: string,
  destinationType: Binding['destinationType'] = 'queue',
) => drawnBinding(source, destination, '#', { id: `b-${source}-${destination}`, destinationType });
const producer = (name: string, exchangeName: string): Producer => ({
  id: `p-${name}`,
  name,
  exchange: exchangeName,
  routingKey: '',
  payload: '',
  mandatory: false,
});
const consumer = (name: string, queueName: string): Consumer => ({
  id: `c-${name}`,
  name,
  queue: queueName,
  prefetch: 1,
  autoAck: false,
});

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Each node's drawn rectangle, badges included and, above a producer, its Explain button. */
function boxes(topology: Topology): Box[] {
  const of = (kind: LayoutNodeKind, items: (Producer | Exchange | Queue | Consumer)[]): Box[] =>
    items.map((node) => {
      if (!node.position) throw new Error(`${node.id} has no position`);
      const size = estimateNodeSize(kind, node);
      const above = kind === 'producer' ? LAYOUT_PRODUCER_TOOLBAR : 0;
      return {
        id: node.id,
        x: node.position.x,
        y: node.position.y - above,
        width: size.width,
        height: size.height + above,
      };
    });
  return [
    ...of('producer', topology.producers),
    ...of('exchange', topology.exchanges),
    ...of('queue', topology.queues),
    ...of('consumer', topology.consumers ?? []),
  ];
}

/** Pairs of nodes whose drawn rectangles, grown by `margin` on every side, intersect. */
function overlapping(all: Box[], margin = 0): string[] {
  const pairs: string[] = [];
  all.forEach((a, i) => {
    for (const b of all.slice(i + 1)) {
      if (
        a.x - margin < b.x + b.width + margin &&
        b.x - margin < a.x + a.width + margin &&
        a.y - margin < b.y + b.height + margin &&
        b.y - margin < a.y + a.height + margin
      )
        pairs.push(`${a.id} / ${b.id}`);
    }
  });
  return pairs;
}

const at = (t: Topology, id: string): Position => {
  const node = [...t.producers, ...t.exchanges, ...t.queues, ...(t.consumers ?? [])].find(
    (n) => n.id === id,
  );
  if (!node?.position) throw new Error(`${id} has no position`);
  return node.position;
};

function sample(): Topology {
  return {
    version: 1,
    exchanges: ['a', 'b', 'c', 'd'].map((n) => exchange(n)),
    queues: Array.from({ length: 12 }, (_, i) => queue(`q${i}`)),
    bindings: [
      binding('a', 'b', 'exchange'),
      binding('b', 'c', 'exchange'),
      ...Array.from({ length: 12 }, (_, i) => binding(['a', 'b', 'c', 'd'][i % 4]!, `q${i}`)),
    ],
    producers: [producer('p1', 'a'), producer('p2', 'd')],
    consumers: [consumer('c1', 'q0'), consumer('c2', 'q5')],
  };
}

describe('layoutTopology', () => {
  it('positions every node without overlaps, at the sizes the canvas draws them', () => {
    const laid = layoutTopology(sample());
    const all = boxes(laid);
    expect(all).toHaveLength(20);
    expect(overlapping(all)).toEqual([]);
    for (const box of all) {
      expect(Number.isInteger(box.x) && Number.isInteger(box.y)).toBe(true);
    }
  });

  it('puts producers, exchanges by depth, queues, then consumers in columns from left to right', () => {
    const laid = layoutTopology(sample());
    const x = (id: string) => at(laid, id).x;
    expect(x('p-p1')).toBe(x('p-p2'));
    expect(x('p-p1') + LAYOUT_NODE_SIZES.producer.width).toBeLessThan(x('x-a'));
    expect(x('x-a')).toBe(x('x-d'));
    expect(x('x-a')).toBeLessThan(x('x-b'));
    expect(x('x-b')).toBeLessThan(x('x-c'));
    // Queues share one column, whichever exchange they hang off.
    expect(new Set(laid.queues.map((q) => q.position?.x)).size).toBe(1);
    expect(x('x-c')).toBeLessThan(x('q-q0'));
    expect(x('q-q0')).toBeLessThan(x('c-c1'));
    expect(x('c-c1')).toBe(x('c-c2'));
  });

  it('places an exchange after the longest chain of exchanges leading to it', () => {
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('a'), exchange('b'), exchange('c')],
      queues: [],
      // a → b → c and a → c: c belongs right of b, not beside it.
      bindings: [
        binding('a', 'b', 'exchange'),
        binding('b', 'c', 'exchange'),
        binding('a', 'c', 'exchange'),
      ],
      producers: [],
    });
    expect(at(laid, 'x-b').x).toBeLessThan(at(laid, 'x-c').x);
  });

  it('puts an alternate exchange right of the exchange that falls back on it', () => {
    const laid = layoutTopology({
      version: 1,
      exchanges: [
        drawnExchange('main', 'topic', { arguments: { 'alternate-exchange': 'unrouted' } }),
        exchange('unrouted'),
      ],
      queues: [],
      bindings: [],
      producers: [],
    });
    expect(at(laid, 'x-main').x).toBeLessThan(at(laid, 'x-unrouted').x);
  });

  it('orders a column to keep edges from crossing', () => {
    // Two exchanges, each with its own queues: the queues of one must not sit between the
    // queues of the other.
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('left'), exchange('right')],
      queues: ['l1', 'r1', 'l2', 'r2'].map((n) => queue(n)),
      bindings: [
        binding('left', 'l1'),
        binding('right', 'r1'),
        binding('left', 'l2'),
        binding('right', 'r2'),
      ],
      producers: [],
    });
    const order = [...laid.queues]
      .sort((a, b) => a.position!.y - b.position!.y)
      .map((q) => q.name[0]);
    expect(order.join('')).toMatch(/^(llrr|rrll)$/);
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

  it('puts a new node where the layout would, relative to the nodes already placed', () => {
    const before = layoutTopology(sample());
    // Move the whole drawing; then add a queue bound to 'd'.
    const moved: Topology = {
      ...before,
      producers: before.producers.map((p) => ({
        ...p,
        position: { x: p.position!.x + 1000, y: p.position!.y + 500 },
      })),
      exchanges: before.exchanges.map((e) => ({
        ...e,
        position: { x: e.position!.x + 1000, y: e.position!.y + 500 },
      })),
      queues: [
        ...before.queues.map((q) => ({
          ...q,
          position: { x: q.position!.x + 1000, y: q.position!.y + 500 },
        })),
        queue('new'),
      ],
      consumers: before.consumers!.map((c) => ({
        ...c,
        position: { x: c.position!.x + 1000, y: c.position!.y + 500 },
      })),
      bindings: [...before.bindings, binding('d', 'new')],
    };
    const laid = layoutTopology(moved);
    // In the queue column (or one of the columns it wraps into), among the queues.
    const queueColumns = new Set(
      laid.queues.filter((q) => q.id !== 'q-new').map((q) => q.position!.x),
    );
    expect(queueColumns).toContain(at(laid, 'q-new').x);
    expect(overlapping(boxes(laid))).toEqual([]);
  });

  it('places new nodes clear of nodes placed by hand', () => {
    // Hand-placed nodes sit exactly where the layout puts the new ones.
    const free = layoutTopology({
      version: 1,
      exchanges: [exchange('new')],
      queues: [queue('q-new-1'), queue('q-new-2')],
      bindings: [],
      producers: [],
    });
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('placed', free.exchanges[0]!.position), exchange('new')],
      queues: [queue('q-placed', free.queues[0]!.position), queue('q-new-1'), queue('q-new-2')],
      bindings: [],
      producers: [],
    });
    expect(overlapping(boxes(laid))).toEqual([]);
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
    expect(overlapping(boxes(laid))).toEqual([]);
    expect(at(laid, 'q-q').x).toBeGreaterThan(Math.max(at(laid, 'x-a').x, at(laid, 'x-b').x));
  });

  it('lays out a cycle with no way in', () => {
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('a'), exchange('b')],
      queues: [],
      bindings: [binding('a', 'b', 'exchange'), binding('b', 'a', 'exchange')],
      producers: [],
    });
    expect(overlapping(boxes(laid))).toEqual([]);
  });

  it('gives the same positions every time, without modifying its input', () => {
    const topology = sample();
    const copy = structuredClone(topology);
    const first = layoutTopology(topology);
    expect(topology).toEqual(copy);
    expect(layoutTopology(structuredClone(topology))).toEqual(first);
  });

  it('lays out an empty diagram', () => {
    const empty: Topology = { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
    expect(layoutTopology(empty)).toEqual(empty);
  });
});

/** The smallest box holding every node. */
function extent(all: Box[]): { width: number; height: number } {
  const left = Math.min(...all.map((b) => b.x));
  const top = Math.min(...all.map((b) => b.y));
  const right = Math.max(...all.map((b) => b.x + b.width));
  const bottom = Math.max(...all.map((b) => b.y + b.height));
  return { width: right - left, height: bottom - top };
}

describe('layoutTopology at scale', () => {
  for (const size of [10, 50, 100, 200]) {
    it(`lays out ${size} nodes apart, in a screen's proportions`, () => {
      const topology = generatedTopology(size);
      const laid = layoutTopology(topology);
      const all = boxes(laid);
      expect(all).toHaveLength(size);
      // Half a row's gap around every node stays free: no card, badge or button touches another.
      expect(overlapping(all, LAYOUT_ROW_GAP / 2 - 1)).toEqual([]);
      const { width, height } = extent(all);
      const aspect = width / height;
      if (size >= 50) {
        expect(aspect).toBeGreaterThan(1);
        expect(aspect).toBeLessThan(2.6);
      } else {
        expect(aspect).toBeGreaterThan(0.5);
        expect(aspect).toBeLessThan(4);
      }
      expect(layoutTopology(structuredClone(topology))).toEqual(laid);
    });
  }

  it('makes room for the badges of a queue above the next one', () => {
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('e')],
      queues: [
        drawnQueue('ttl', {
          arguments: {
            'x-message-ttl': 1000,
            'x-max-length': 10,
            'x-dead-letter-exchange': 'e',
            'x-expires': 60_000,
          },
        }),
        queue('next'),
      ],
      bindings: [binding('e', 'ttl'), binding('e', 'next')],
      producers: [],
    });
    const ttl = laid.queues[0]!;
    expect(estimateNodeSize('queue', ttl).height).toBeGreaterThan(LAYOUT_NODE_SIZES.queue.height);
    expect(overlapping(boxes(laid), LAYOUT_ROW_GAP / 2 - 1)).toEqual([]);
  });

  it('keeps the Explain buttons of stacked producers clear of each other', () => {
    const laid = layoutTopology({
      version: 1,
      exchanges: [exchange('e')],
      queues: [],
      bindings: [],
      producers: ['a', 'b', 'c', 'd', 'e'].map((n) => producer(n, 'e')),
    });
    expect(overlapping(boxes(laid), LAYOUT_ROW_GAP / 2 - 1)).toEqual([]);
  });

  it('lays out every node again with `all`, at the sizes it is given', () => {
    const placed = layoutTopology(sample());
    const scattered: Topology = {
      ...placed,
      queues: placed.queues.map((q, i) => ({ ...q, position: { x: i * 7, y: 3 } })),
    };
    const tidy = layoutTopology(scattered, { all: true });
    expect(tidy).toEqual(layoutTopology(sample()));
    const tall = layoutTopology(scattered, {
      all: true,
      sizes: { 'q-q0': { width: 200, height: 400 } },
    });
    const q0 = at(tall, 'q-q0');
    const below = tall.queues.filter((q) => q.position!.x === q0.x && q.position!.y > q0.y);
    for (const q of below)
      expect(q.position!.y).toBeGreaterThanOrEqual(q0.y + 400 + LAYOUT_ROW_GAP);
  });
});

describe('a big import', () => {
  it('is laid out in bounded time, a long exchange chain included', () => {
    const queues = Array.from({ length: 2000 }, (_, i) => ({
      id: `q${i}`,
      name: `q${i}`,
      durable: true,
      exclusive: false,
      autoDelete: false,
    }));
    const exchanges = Array.from({ length: 2000 }, (_, i) => ({
      id: `x${i}`,
      name: `x${i}`,
      type: 'fanout' as const,
      durable: true,
      autoDelete: false,
      internal: false,
    }));
    const bindings = [
      ...exchanges.slice(1).map((x, i) => ({
        id: `e${i}`,
        source: `x${i}`,
        destination: x.name,
        destinationType: 'exchange' as const,
        routingKey: '',
      })),
      ...queues.map((q, i) => ({
        id: `b${i}`,
        source: `x${i}`,
        destination: q.name,
        destinationType: 'queue' as const,
        routingKey: '',
      })),
    ];
    const started = performance.now();
    const laid = layoutTopology({ version: 1, exchanges, queues, bindings, producers: [] });
    expect(performance.now() - started).toBeLessThan(2500);
    expect(laid.queues.every((q) => q.position !== undefined)).toBe(true);
    expect(laid.exchanges.every((x) => x.position !== undefined)).toBe(true);
  });
});
