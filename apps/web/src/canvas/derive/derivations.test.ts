import {
  addNode,
  connectNodes,
  consumerEdgeId,
  type NodeKind,
  type Topology,
} from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { createWarrenStore } from '../../store/store';

function diagram(kinds: NodeKind[]): { topology: Topology; ids: string[] } {
  let topology: Topology = { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
  const ids = kinds.map((kind) => {
    const result = addNode(topology, kind, { x: 0, y: 0 });
    topology = result.topology;
    return result.id;
  });
  return { topology, ids };
}

describe('consumers on the canvas', () => {
  it('draws a node per consumer and an edge from its queue, none while it reads no queue', () => {
    const made = diagram(['queue', 'consumer', 'consumer']);
    const [q = '', c1 = '', c2 = ''] = made.ids;
    const topology = connectNodes(made.topology, q, c1).topology;
    const store = createWarrenStore();
    store.getState().loadServerTopology(topology);
    const nodes = store.derived.flowNodes(store.getState());
    expect(nodes.filter((n) => n.type === 'consumer').map((n) => n.id)).toEqual([c1, c2]);
    const edges = store.derived.flowEdges(store.getState()).filter((e) => e.type === 'consume');
    expect(edges.map((e) => [e.id, e.source, e.target])).toEqual([[consumerEdgeId(c1), q, c1]]);
  });
});

describe('derived results per store', () => {
  it('keeps each store its own cache, so one store never evicts or hands out another’s', () => {
    const { topology, ids } = diagram(['producer', 'exchange', 'queue']);
    const [, x = ''] = ids;
    const a = createWarrenStore();
    const b = createWarrenStore();
    a.getState().loadServerTopology(topology);
    b.getState().loadServerTopology(topology);
    a.getState().select({ nodes: [x] });

    const nodesA = a.derived.flowNodes(a.getState());
    const nodesB = b.derived.flowNodes(b.getState());
    // The same document, but each store draws its own node objects for its own selection.
    expect(nodesA).not.toBe(nodesB);
    expect(nodesA.find((n) => n.id === x)?.selected).toBe(true);
    expect(nodesB.find((n) => n.id === x)?.selected).toBe(false);
    for (const node of nodesA) expect(nodesB).not.toContain(node);
    // Working out b's did not throw a's away: unchanged state gives the very same results.
    expect(a.derived.flowNodes(a.getState())).toBe(nodesA);
    expect(b.derived.flowNodes(b.getState())).toBe(nodesB);
    const edgesA = a.derived.flowEdges(a.getState());
    expect(b.derived.flowEdges(b.getState())).not.toBe(edgesA);
    expect(a.derived.flowEdges(a.getState())).toBe(edgesA);

    // The explainer's results are per store too.
    a.getState().openExplain();
    const explained = a.derived.explanation(a.getState());
    expect(b.derived.explanation(b.getState())).not.toBe(explained);
    expect(a.derived.explanation(a.getState())).toBe(explained);
    expect(a.derived.routeHighlight(a.getState())).not.toBeNull();
    expect(b.derived.routeHighlight(b.getState())).toBeNull();
  });
});
