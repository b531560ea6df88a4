import type { Queue, Topology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { createWarrenStore } from './store';

const start: Topology = {
  version: 1,
  exchanges: [
    {
      id: 'x-orders',
      name: 'orders',
      type: 'topic',
      durable: true,
      autoDelete: false,
      internal: false,
      position: { x: 100, y: 100 },
    },
  ],
  queues: [
    {
      id: 'q-eu',
      name: 'orders.eu',
      durable: true,
      exclusive: false,
      autoDelete: false,
      position: { x: 400, y: 100 },
    },
  ],
  bindings: [
    {
      id: 'b-eu',
      source: 'orders',
      destination: 'orders.eu',
      destinationType: 'queue',
      routingKey: 'order.eu.*',
    },
  ],
  producers: [],
};

function loaded() {
  const store = createWarrenStore();
  store.getState().loadServerTopology(start);
  return store;
}

const names = (t: Topology) => [...t.exchanges, ...t.queues].map((n) => n.name);

describe('undo and redo in the store', () => {
  it('takes back edits one by one and does them again', () => {
    const store = loaded();
    const s = () => store.getState();
    expect(s().history.past).toHaveLength(0);
    const id = s().addNode('queue', { x: 0, y: 0 });
    s().rename(id, 'audit');
    expect(names(s().topology)).toEqual(['orders', 'orders.eu', 'audit']);
    s().undo();
    expect(names(s().topology)).toEqual(['orders', 'orders.eu', 'queue-1']);
    s().undo();
    expect(names(s().topology)).toEqual(['orders', 'orders.eu']);
    expect(s().dirty).toBe(false);
    expect(s().selectedNodes).toEqual([]);
    s().redo();
    s().redo();
    expect(names(s().topology)).toEqual(['orders', 'orders.eu', 'audit']);
    expect(s().dirty).toBe(true);
  });

  it('makes one step of a drop of several nodes, and of a run of arrow-key steps', () => {
    const store = loaded();
    const s = () => store.getState();
    s().onNodesChange([
      { type: 'position', id: 'x-orders', position: { x: 110, y: 100 }, dragging: true },
      { type: 'position', id: 'q-eu', position: { x: 410, y: 100 }, dragging: true },
    ]);
    s().onNodesChange([
      { type: 'position', id: 'x-orders', dragging: false },
      { type: 'position', id: 'q-eu', dragging: false },
    ]);
    expect(s().history.past).toHaveLength(1);
    s().select({ nodes: ['x-orders'] });
    s().nudge(5, 0);
    s().nudge(5, 0);
    s().onNodesChange([{ type: 'position', id: 'x-orders', position: { x: 125, y: 100 } }]);
    expect(s().topology.exchanges[0]?.position).toEqual({ x: 125, y: 100 });
    expect(s().history.past).toHaveLength(2);
    s().undo();
    expect(s().topology.exchanges[0]?.position).toEqual({ x: 110, y: 100 });
    s().undo();
    expect(s().topology.exchanges[0]?.position).toEqual({ x: 100, y: 100 });
    expect(s().topology.queues[0]?.position).toEqual({ x: 400, y: 100 });
  });

  it('folds keystrokes in one field into one step, and records nothing that changes nothing', () => {
    const store = loaded();
    const s = () => store.getState();
    s().updateBinding('b-eu', { routingKey: 'order.e' });
    s().updateBinding('b-eu', { routingKey: 'order.eu' });
    s().deleteElements(['nothing-here']);
    expect(s().history.past).toHaveLength(1);
    s().undo();
    expect(s().topology.bindings[0]?.routingKey).toBe('order.eu.*');
  });

  it('never takes back what an outside client declared', () => {
    const store = loaded();
    const s = () => store.getState();
    s().select({ nodes: ['q-eu'] });
    s().deleteSelection();
    expect(names(s().topology)).toEqual(['orders']);
    const pika: Queue = {
      id: 'outside:1',
      name: 'pika-queue',
      durable: false,
      exclusive: false,
      autoDelete: false,
    };
    const fit = s().fitRequest;
    s().loadServerTopology(
      { ...start, queues: [...start.queues, pika] },
      {
        keepLocalEdits: s().unsaved,
        outsideNames: { before: [], after: ['queue:pika-queue'] },
      },
    );
    expect(names(s().topology)).toEqual(['orders', 'pika-queue']);
    expect(s().fitRequest).toBe(fit + 1);
    s().undo();
    expect(names(s().topology)).toEqual(['orders', 'orders.eu', 'pika-queue']);
    expect(s().topology.bindings).toHaveLength(1);
    s().redo();
    expect(names(s().topology)).toEqual(['orders', 'pika-queue']);
  });

  it('zooms to an imported diagram, and can take the import back', () => {
    const store = loaded();
    const s = () => store.getState();
    const fit = s().fitRequest;
    s().replaceTopology({ ...start, queues: [], bindings: [] });
    expect(s().fitRequest).toBe(fit + 1);
    s().undo();
    expect(names(s().topology)).toEqual(['orders', 'orders.eu']);
  });

  it('keeps the history over an Apply, and starts anew with a diagram from elsewhere', () => {
    const store = loaded();
    store.getState().addNode('queue', { x: 0, y: 0 });
    // An Apply's reply is the same diagram: its history stays.
    store.getState().loadServerTopology(store.getState().topology, { keepLocalEdits: false });
    expect(store.getState().history.past).toHaveLength(1);
    expect(store.getState().dirty).toBe(false);
    store.getState().loadServerTopology(start);
    expect(store.getState().history.past).toHaveLength(0);
  });

  it('changes nothing while the diagram is only looked at', () => {
    const store = loaded();
    store.getState().addNode('queue', { x: 0, y: 0 });
    store.getState().setViewing(true);
    store.getState().undo();
    expect(store.getState().topology.queues).toHaveLength(2);
  });
});

describe('copy, paste and duplicate in the store', () => {
  it('pastes copies below, further each time, selected, with their binding, one undo step each', () => {
    const store = loaded();
    const s = () => store.getState();
    store.setState({ measured: { 'q-eu': { width: 200, height: 120 } } });
    s().select({ nodes: ['x-orders', 'q-eu'] });
    expect(s().copySelection()?.bindings).toHaveLength(1);
    s().paste();
    s().paste();
    expect(names(s().topology)).toEqual([
      'orders',
      'orders-copy',
      'orders-copy-2',
      'orders.eu',
      'orders.eu-copy',
      'orders.eu-copy-2',
    ]);
    // Below the originals, clear of them: the queue (measured 120 high) is the taller one.
    expect(s().topology.exchanges.map((x) => x.position)).toEqual([
      { x: 100, y: 100 },
      { x: 100, y: 260 },
      { x: 100, y: 420 },
    ]);
    expect(s().selectedNodes).toHaveLength(2);
    expect(s().selectedEdges).toHaveLength(1);
    expect(s().history.past).toHaveLength(2);
    s().undo();
    expect(s().topology.bindings).toHaveLength(2);
  });

  it('duplicates without taking the names of objects on the broker', () => {
    const store = loaded();
    const s = () => store.getState();
    store.setState({ outsideNames: ['queue:orders.eu-copy'] });
    s().select({ nodes: ['q-eu'] });
    s().duplicate();
    expect(s().clipboard).toBeNull();
    expect(s().topology.queues.map((q) => q.name)).toEqual(['orders.eu', 'orders.eu-copy-2']);
  });

  it('nudges onto the grid when snapping is on', () => {
    const store = loaded();
    const s = () => store.getState();
    s().setSnapToGrid(true);
    s().select({ nodes: ['x-orders'] });
    s().nudge(22, 0);
    expect(s().topology.exchanges[0]?.position).toEqual({ x: 132, y: 110 });
  });
});
