import type { Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { createWarrenStore } from '../../store/store';
import type { RelationFlowEdge } from './flow-elements';

const topology: Topology = {
  version: 1,
  exchanges: [
    { id: 'x', name: 'orders', type: 'direct', durable: true, autoDelete: false, internal: false },
    {
      id: 'ae',
      name: 'unrouted',
      type: 'fanout',
      durable: true,
      autoDelete: false,
      internal: false,
    },
    { id: 'dlx', name: 'dlx', type: 'fanout', durable: true, autoDelete: false, internal: false },
  ],
  queues: [
    {
      id: 'q1',
      name: 'work',
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: { 'x-dead-letter-exchange': 'dlx', 'x-dead-letter-routing-key': 'failed' },
    },
    { id: 'q2', name: 'jobs', durable: true, exclusive: false, autoDelete: false },
    {
      id: 'q3',
      name: 'elsewhere',
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: { 'x-dead-letter-exchange': 'not-drawn' },
    },
  ],
  bindings: [],
  producers: [],
  policies: [
    {
      id: 'p',
      name: 'ae-for-orders',
      pattern: '^orders$',
      applyTo: 'exchanges',
      priority: 0,
      definition: { 'alternate-exchange': 'unrouted' },
    },
    {
      id: 'p2',
      name: 'dlx-for-jobs',
      pattern: '^jobs$',
      applyTo: 'queues',
      priority: 0,
      definition: { 'dead-letter-exchange': 'dlx' },
    },
  ],
};

function relations(doc: Topology): RelationFlowEdge[] {
  const store = createWarrenStore();
  store.getState().loadServerTopology(doc);
  return store.derived
    .flowEdges(store.getState())
    .filter((e): e is RelationFlowEdge => e.type === 'relation');
}

describe('dead-letter and alternate-exchange relations', () => {
  it('draws them from arguments and policies, to exchanges the diagram has', () => {
    const edges = relations(topology);
    expect(
      edges.map((e) => [e.id, e.source, e.target, e.data?.policy, e.data?.routingKey]),
    ).toEqual([
      ['dead-letter:q1', 'q1', 'dlx', undefined, 'failed'],
      ['dead-letter:q2', 'q2', 'dlx', 'dlx-for-jobs', undefined],
      ['alternate:x', 'x', 'ae', 'ae-for-orders', undefined],
    ]);
    // Not editable bindings: never selected, never deleted from the canvas.
    expect(edges.every((e) => e.selectable === false && e.deletable === false)).toBe(true);
  });

  it('follows a policy that stops matching', () => {
    const policies = topology.policies?.map((p) =>
      p.id === 'p' ? { ...p, pattern: '^other$' } : p,
    );
    expect(relations({ ...topology, policies }).map((e) => e.id)).not.toContain('alternate:x');
  });
});
