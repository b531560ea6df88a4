import { describe, expect, it } from 'vitest';
import {
  addNode,
  addPolicy,
  connectNodes,
  connectionKind,
  deleteElements,
  deletePolicy,
  elementAtPath,
  fieldProblems,
  moveNode,
  nameProblem,
  nextName,
  pathOfElement,
  policyNameProblem,
  policyTargets,
  renameNode,
  updatePolicy,
  updateProducer,
  updateQueue,
  withArgument,
} from './index';
import type { Topology } from '../model';
import { producerEdgeId } from '../paths';

function emptyTopologyForTest(): Topology {
  return { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
}

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
  topology = connectNodes(topology, p, x).topology;
  topology = connectNodes(topology, x, q1).topology;
  topology = connectNodes(topology, x, y).topology;
  topology = connectNodes(topology, y, q2).topology;
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
    expect(connectNodes(topology, p, topology.exchanges[1]?.id ?? '').edgeId).toBe(
      producerEdgeId(p),
    );
  });

  it('gives a new binding of a consistent-hash exchange weight 1', () => {
    const start = addNode(emptyTopologyForTest(), 'exchange', { x: 0, y: 0 }, 'x-consistent-hash');
    const queue = addNode(start.topology, 'queue', { x: 0, y: 0 });
    const bound = connectNodes(queue.topology, start.id, queue.id).topology;
    expect(bound.bindings.map((b) => b.routingKey)).toEqual(['1']);
    expect(connectNodes(bound, start.id, queue.id).topology).toBe(bound);
  });

  it('refuses connections that mean nothing in AMQP', () => {
    const { topology, p, x, q1 } = diagram();
    expect(connectionKind(topology, q1, x)).toBeUndefined();
    expect(connectionKind(topology, x, x)).toBeUndefined();
    expect(connectionKind(topology, x, p)).toBeUndefined();
  });

  it('connects a producer straight to a queue through the default exchange', () => {
    const { topology, p, q1 } = diagram();
    expect(connectionKind(topology, p, q1)).toBe('default');
    const queueName = topology.queues.find((q) => q.id === q1)?.name;
    const withKeys = updateProducer(topology, p, {
      routingKeyStrategy: { kind: 'round-robin', keys: ['a'] },
    });
    const { topology: next, edgeId } = connectNodes(withKeys, p, q1);
    const producer = next.producers.find((x) => x.id === p);
    expect(producer).toMatchObject({ exchange: '', routingKey: queueName });
    expect(producer?.routingKeyStrategy).toBeUndefined();
    expect(edgeId).toBe(producerEdgeId(p));
    // Removing the line clears the key, so it no longer names the queue.
    const cut = deleteElements(next, [producerEdgeId(p)]);
    expect(cut.producers.find((x) => x.id === p)).toMatchObject({ exchange: '', routingKey: '' });
  });

  it('does not add a second empty-key binding between the same pair', () => {
    const { topology, x, q1 } = diagram();
    const again = connectNodes(topology, x, q1);
    expect(again.topology).toBe(topology);
    expect(again.edgeId).toBe(topology.bindings[0]?.id);
  });

  it('rewrites bindings and producers when an exchange or queue is renamed', () => {
    const { topology, x, q1 } = diagram();
    const renamed = renameNode(renameNode(topology, x, 'orders'), q1, 'billing');
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

  it('keeps dead-letter and alternate exchanges pointing at an exchange that is renamed', () => {
    const { topology, x, y, q1 } = diagram();
    let doc = updateQueue(topology, q1, { arguments: { 'x-dead-letter-exchange': 'exchange-1' } });
    doc = {
      ...doc,
      exchanges: doc.exchanges.map((e) =>
        e.id === y ? { ...e, arguments: { 'alternate-exchange': 'exchange-1' } } : e,
      ),
    };
    doc = addPolicy(doc).topology;
    const policyId = doc.policies?.[0]?.id ?? '';
    doc = updatePolicy(doc, policyId, { definition: { 'dead-letter-exchange': 'exchange-1' } });
    const renamed = renameNode(doc, x, 'dlx');
    expect(renamed.queues[0]?.arguments).toEqual({ 'x-dead-letter-exchange': 'dlx' });
    expect(renamed.exchanges[1]?.arguments).toEqual({ 'alternate-exchange': 'dlx' });
    expect(renamed.policies?.[0]?.definition).toEqual({ 'dead-letter-exchange': 'dlx' });
    // Objects that name another exchange are left as they are.
    expect(renameNode(doc, y, 'other').queues[0]).toBe(doc.queues[0]);
  });

  it('sets and clears arguments; an emptied table disappears', () => {
    expect(withArgument(undefined, 'x-message-ttl', 1000)).toEqual({ 'x-message-ttl': 1000 });
    expect(withArgument({ 'x-message-ttl': 1000 }, 'x-message-ttl', undefined)).toBeUndefined();
    expect(withArgument({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
  });

  it('adds, edits and deletes policies with unique names', () => {
    const { topology } = diagram();
    const first = addPolicy(topology);
    const second = addPolicy(first.topology);
    expect(second.topology.policies?.map((p) => p.name)).toEqual(['policy-1', 'policy-2']);
    expect(policyNameProblem(second.topology, second.id, 'policy-1')).toMatch(/Another policy/);
    expect(policyNameProblem(second.topology, second.id, ' ')).toMatch(/needs a name/);
    expect(policyNameProblem(second.topology, second.id, 'ttl')).toBeUndefined();
    const edited = updatePolicy(second.topology, first.id, { pattern: '^queue-1$' });
    expect(edited.policies?.[0]?.pattern).toBe('^queue-1$');
    const none = deletePolicy(deletePolicy(edited, first.id), second.id);
    expect(none.policies).toBeUndefined();
    expect(elementAtPath(second.topology, '/policies/1/definition')).toBe(second.id);
    expect(pathOfElement(second.topology, second.id)).toBe('/policies/1');
  });

  it('tells which objects a policy is in force on, and which a higher priority takes', () => {
    let { topology } = diagram();
    const low = addPolicy(topology);
    const high = addPolicy(low.topology);
    topology = updatePolicy(high.topology, low.id, { pattern: '^queue-', applyTo: 'queues' });
    topology = updatePolicy(topology, high.id, { pattern: '-2$', applyTo: 'all', priority: 5 });
    expect(policyTargets(topology, low.id)).toEqual({
      applied: [{ kind: 'queue', id: topology.queues[0]?.id, name: 'queue-1' }],
      outranked: [{ kind: 'queue', id: topology.queues[1]?.id, name: 'queue-2', by: 'policy-2' }],
    });
    expect(policyTargets(topology, high.id).applied.map((t) => `${t.kind} ${t.name}`)).toEqual([
      'queue queue-2',
      'exchange exchange-2',
    ]);
    topology = updatePolicy(topology, low.id, { pattern: '(' });
    expect(policyTargets(topology, low.id)).toEqual({ applied: [], outranked: [] });
  });

  it('sorts problems by the field of an object they point at', () => {
    const problems = [
      { path: '/queues/1/arguments/x-message-ttl', message: 'too long' },
      { path: '/queues/1/arguments/x-message-ttl', message: 'too long' },
      { path: '/queues/1/durable', message: 'quorum' },
      { path: '/queues/1', message: 'refused' },
      { path: '/queues/10/durable', message: 'another queue' },
      { path: '/bindings/0/arguments/a~1b', message: 'header' },
      { message: 'nowhere' },
    ];
    expect([...fieldProblems(problems, '/queues/1')]).toEqual([
      ['x-message-ttl', ['too long']],
      ['durable', ['quorum']],
      ['', ['refused']],
    ]);
    expect(fieldProblems(problems, '/bindings/0').get('a/b')).toEqual(['header']);
  });
});
