import { producerEdgeId, type Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import {
  addNode,
  connect,
  connectionKind,
  deleteElements,
  elementAtPath,
  moveNode,
  nameProblem,
  nextName,
  rename,
} from './document-ops';

function diagram(): {
  topology: Topology;
  p: string;
  x: string;
  y: string;
  q1: string;
  q2: string;
} {
  let topology: Topology = { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
  const add = (kind: 'producer' | 'exchange' | 'queue', type?: 'topic' | 'fanout') => {
    const result = addNode(topology, kind, { x: 0, y: 0 }, type);
    topology = result.topology;
    return result.id;
  };
  const p = add('producer');
  const x = add('exchange', 'topic');
  const y = add('exchange', 'fanout');
  const q1 = add('queue');
  const q2 = add('queue');
  topology = connect(topology, p, x).topology;
  topology = connect(topology, x, q1).topology;
  topology = connect(topology, x, y).topology;
  topology = connect(topology, y, q2).topology;
  return { topology, p, x, y, q1, q2 };
}

describe('document edits', () => {
  it('names new nodes producer-1, exchange-1, queue-1, ... per kind', () => {
    const { topology } = diagram();
    expect(topology.producers.map((p) => p.name)).toEqual(['producer-1']);
    expect(topology.exchanges.map((x) => x.name)).toEqual(['exchange-1', 'exchange-2']);
    expect(topology.queues.map((q) => q.name)).toEqual(['queue-1', 'queue-2']);
    expect(nextName(['queue-1', 'queue-3'], 'queue')).toBe('queue-2');
  });

  it('connects producer to exchange, exchange to queue and exchange to exchange', () => {
    const { topology, p } = diagram();
    expect(topology.producers[0]?.exchange).toBe('exchange-1');
    expect(topology.bindings.map((b) => [b.source, b.destination, b.destinationType])).toEqual([
      ['exchange-1', 'queue-1', 'queue'],
      ['exchange-1', 'exchange-2', 'exchange'],
      ['exchange-2', 'queue-2', 'queue'],
    ]);
    expect(connect(topology, p, topology.exchanges[1]?.id ?? '').edgeId).toBe(producerEdgeId(p));
  });

  it('refuses connections that mean nothing in AMQP', () => {
    const { topology, p, x, q1 } = diagram();
    expect(connectionKind(topology, q1, x)).toBeUndefined();
    expect(connectionKind(topology, p, q1)).toBeUndefined();
    expect(connectionKind(topology, x, x)).toBeUndefined();
    expect(connectionKind(topology, x, p)).toBeUndefined();
  });

  it('does not add a second empty-key binding between the same pair', () => {
    const { topology, x, q1 } = diagram();
    const again = connect(topology, x, q1);
    expect(again.topology).toBe(topology);
    expect(again.edgeId).toBe(topology.bindings[0]?.id);
  });

  it('rewrites bindings and producers when an exchange or queue is renamed', () => {
    const { topology, x, q1 } = diagram();
    const renamed = rename(rename(topology, x, 'orders'), q1, 'billing');
    expect(renamed.producers[0]?.exchange).toBe('orders');
    expect(renamed.bindings.map((b) => `${b.source}->${b.destination}`)).toEqual([
      'orders->billing',
      'orders->exchange-2',
      'exchange-2->queue-2',
    ]);
  });

  it('refuses names that would collide, since references are by name', () => {
    const { topology, x, y, q1, p } = diagram();
    expect(nameProblem(topology, y, 'exchange-1')).toMatch(/Another exchange/);
    expect(nameProblem(topology, x, '')).toMatch(/needs a name/);
    expect(nameProblem(topology, x, 'amq.direct')).toMatch(/reserved/);
    // Queues and exchanges have separate names.
    expect(nameProblem(topology, q1, 'exchange-1')).toBeUndefined();
    expect(nameProblem(topology, p, 'anything')).toBeUndefined();
  });

  it('deletes a queue with its bindings, and an exchange with bindings and producer link', () => {
    const { topology, x, q1 } = diagram();
    const noQueue = deleteElements(topology, [q1]);
    expect(noQueue.queues.map((q) => q.name)).toEqual(['queue-2']);
    expect(noQueue.bindings).toHaveLength(2);
    const noExchange = deleteElements(topology, [x]);
    expect(noExchange.bindings.map((b) => b.source)).toEqual(['exchange-2']);
    expect(noExchange.producers[0]?.exchange).toBe('');
  });

  it('deletes edges: a binding, or a producer link (back to the default exchange)', () => {
    const { topology, p } = diagram();
    const first = topology.bindings[0]?.id ?? '';
    expect(deleteElements(topology, [first]).bindings).toHaveLength(2);
    expect(deleteElements(topology, [producerEdgeId(p)]).producers[0]?.exchange).toBe('');
  });

  it('moves nodes to whole-pixel positions and leaves the document alone when nothing moved', () => {
    const { topology, q1 } = diagram();
    const moved = moveNode(topology, q1, { x: 10.4, y: 20.6 });
    expect(moved.queues[0]?.position).toEqual({ x: 10, y: 21 });
    expect(moveNode(moved, q1, { x: 10, y: 21 }).queues[0]).toBe(moved.queues[0]);
  });

  it('finds the element a JSON pointer points into', () => {
    const { topology } = diagram();
    expect(elementAtPath(topology, '/bindings/1/routingKey')).toBe(topology.bindings[1]?.id);
    expect(elementAtPath(topology, '/queues/0')).toBe(topology.queues[0]?.id);
    expect(elementAtPath(topology, '/version')).toBeUndefined();
  });
});
