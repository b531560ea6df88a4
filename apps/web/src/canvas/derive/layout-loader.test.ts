import { generatedTopology } from '@warren/topology/testing';
import { describe, expect, it } from 'vitest';
import { withPositions } from './flow-nodes';
import { loadedLayout, loadLayout, onLayoutLoaded } from './layout-loader';

describe('nodes without a position', () => {
  it('wait for the layout to be fetched, then are laid out', async () => {
    const topology = generatedTopology(10);
    topology.exchanges[0]!.position = { x: 5, y: 6 };
    expect(loadedLayout()).toBeUndefined();
    let told = 0;
    const stop = onLayoutLoaded(() => (told += 1));

    // Before the layout arrives only the placed node is drawn, and the fetch has started.
    const early = withPositions(topology);
    expect(early.exchanges.map((x) => x.id)).toEqual([topology.exchanges[0]!.id]);
    expect(early.queues).toEqual([]);
    expect(early.producers).toEqual([]);

    await loadLayout();
    stop();
    expect(told).toBe(1);
    const laid = withPositions(topology);
    expect(laid.queues).toHaveLength(topology.queues.length);
    for (const q of laid.queues) expect(q.position).toBeDefined();
    expect(laid.exchanges[0]!.position).toEqual({ x: 5, y: 6 });
  });

  it('a diagram with every position needs no layout', () => {
    const topology = generatedTopology(10);
    const placed = (loadedLayout() ?? ((t) => t))(topology);
    expect(withPositions(placed)).toBe(placed);
  });
});
