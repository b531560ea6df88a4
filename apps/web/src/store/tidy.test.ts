import { generatedTopology } from '@warren/topology/testing';
import { describe, expect, it } from 'vitest';
import { createWarrenStore } from './store';

describe('tidy', () => {
  it('lays out every node in one change of the document, and asks for a fit', async () => {
    const store = createWarrenStore();
    const scattered = generatedTopology(20);
    scattered.queues = scattered.queues.map((q, i) => ({ ...q, position: { x: i, y: 0 } }));
    store.getState().replaceTopology(scattered);
    const fit = store.getState().fitRequest;
    const documents: unknown[] = [];
    store.subscribe((state, previous) => {
      if (state.topology !== previous.topology) documents.push(state.topology);
    });

    await store.getState().tidy();

    expect(documents).toHaveLength(1);
    const { topology, fitRequest, unsaved } = store.getState();
    expect(fitRequest).toBe(fit + 1);
    expect(unsaved).toBe(true);
    const nodes = [
      ...topology.producers,
      ...topology.exchanges,
      ...topology.queues,
      ...(topology.consumers ?? []),
    ];
    for (const node of nodes) expect(node.position).toBeDefined();
    // The queues no longer sit on one another.
    expect(new Set(topology.queues.map((q) => `${q.position?.x},${q.position?.y}`)).size).toBe(
      topology.queues.length,
    );
  });

  it('changes nothing in a diagram opened to be looked at', async () => {
    const store = createWarrenStore();
    store.getState().replaceTopology(generatedTopology(10));
    store.setState({ viewing: true });
    const before = store.getState().topology;
    await store.getState().tidy();
    expect(store.getState().topology).toBe(before);
  });
});
