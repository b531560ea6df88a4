import { describe, expect, it } from 'vitest';
import { diffPolicies, diffTopology } from './diff';
import type { Policy, Topology } from './model';

function base(): Topology {
  return {
    version: 1,
    exchanges: [
      { id: 'x', name: 'orders', type: 'topic', durable: true, autoDelete: false, internal: false },
    ],
    queues: [
      { id: 'q1', name: 'eu', durable: true, exclusive: false, autoDelete: false },
      { id: 'q2', name: 'us', durable: true, exclusive: false, autoDelete: false },
    ],
    bindings: [
      {
        id: 'b1',
        source: 'orders',
        destination: 'eu',
        destinationType: 'queue',
        routingKey: 'eu.#',
      },
      {
        id: 'b2',
        source: 'orders',
        destination: 'us',
        destinationType: 'queue',
        routingKey: 'us.#',
      },
    ],
    producers: [],
  };
}

describe('diffTopology', () => {
  it('finds nothing to do when the broker already matches', () => {
    const diff = diffTopology(base(), base());
    expect([
      diff.unbind,
      diff.deleteQueues,
      diff.deleteExchanges,
      diff.declareExchanges,
      diff.declareQueues,
      diff.bind,
    ]).toEqual([[], [], [], [], [], []]);
  });

  it('removes, adds and rebinds only the difference', () => {
    const next = base();
    next.queues.splice(1, 1);
    next.bindings.splice(1, 1);
    next.bindings[0] = { ...next.bindings[0]!, routingKey: 'eu.*' };
    const diff = diffTopology(base(), next);
    expect(diff.deleteQueues.map((q) => q.name)).toEqual(['us']);
    expect(diff.unbind.map((b) => b.routingKey)).toEqual(['eu.#', 'us.#']);
    expect(diff.bind.map((b) => b.routingKey)).toEqual(['eu.*']);
    expect(diff.declareQueues).toEqual([]);
  });

  it('redeclares a changed queue so the broker can refuse it, or recreates it with its bindings', () => {
    const next = base();
    next.queues[0] = { ...next.queues[0]!, arguments: { 'x-message-ttl': 1000 } };
    const redeclare = diffTopology(base(), next);
    expect(redeclare.changedQueues).toEqual(['eu']);
    expect(redeclare.declareQueues.map((q) => q.name)).toEqual(['eu']);
    expect(redeclare.deleteQueues).toEqual([]);
    const recreate = diffTopology(base(), next, { recreate: true });
    expect(recreate.deleteQueues.map((q) => q.name)).toEqual(['eu']);
    expect(recreate.bind.map((b) => b.destination)).toEqual(['eu']);
  });
});

describe('diffPolicies', () => {
  const policy = (name: string, ttl: number): Policy => ({
    id: name,
    name,
    pattern: '^work$',
    applyTo: 'queues',
    priority: 0,
    definition: { 'message-ttl': ttl },
  });

  it('puts new and changed policies and removes the ones no longer drawn', () => {
    const diff = diffPolicies([policy('a', 1), policy('b', 1)], [policy('a', 2), policy('c', 1)]);
    expect(diff.put.map((p) => p.name)).toEqual(['a', 'c']);
    expect(diff.remove.map((p) => p.name)).toEqual(['b']);
    expect(diffPolicies([policy('a', 1)], [policy('a', 1)])).toEqual({ put: [], remove: [] });
  });
});
