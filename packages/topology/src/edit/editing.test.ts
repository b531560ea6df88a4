import { describe, expect, it } from 'vitest';
import type { Topology } from '../model';
import {
  addNode,
  alignBoxes,
  canRedo,
  canUndo,
  connectNodes,
  copyName,
  copySelection,
  emptyHistory,
  GROUP_MS,
  mapHistory,
  moveNode,
  moveNodes,
  pasteFragment,
  recordEdit,
  redoEdit,
  renameNode,
  undoEdit,
} from './index';

function empty(): Topology {
  return { version: 1, exchanges: [], queues: [], bindings: [], producers: [] };
}

/** producer → orders (topic) → orders.eu, orders → audit (exchange) → audit-log; a consumer. */
function shop() {
  let topology = empty();
  const add = (kind: 'producer' | 'exchange' | 'queue' | 'consumer', name: string) => {
    const result = addNode(topology, kind, { x: 100, y: 100 }, 'topic');
    topology = renameNode(result.topology, result.id, name);
    return result.id;
  };
  const p = add('producer', 'web');
  const orders = add('exchange', 'orders');
  const audit = add('exchange', 'audit');
  const eu = add('queue', 'orders.eu');
  const log = add('queue', 'audit-log');
  const c = add('consumer', 'worker');
  for (const [a, b] of [
    [p, orders],
    [orders, eu],
    [orders, audit],
    [audit, log],
    [eu, c],
  ] as const)
    topology = connectNodes(topology, a, b).topology;
  return { topology, p, orders, audit, eu, log, c };
}

describe('edit history', () => {
  const a = empty();
  const b = { ...a, producers: [] };
  const c = { ...a, queues: [] };

  it('undoes and redoes steps in order, and a new edit drops what was undone', () => {
    let h = recordEdit(emptyHistory(), a);
    h = recordEdit(h, b);
    expect(canUndo(h)).toBe(true);
    expect(canRedo(h)).toBe(false);
    const first = undoEdit(h, c);
    expect(first?.topology).toBe(b);
    const second = undoEdit(first!.history, b);
    expect(second?.topology).toBe(a);
    expect(undoEdit(second!.history, a)).toBeUndefined();
    const again = redoEdit(second!.history, a);
    expect(again?.topology).toBe(b);
    expect(canRedo(again!.history)).toBe(true);
    const edited = recordEdit(again!.history, b);
    expect(canRedo(edited)).toBe(false);
    expect(edited.past).toEqual([a, b]);
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    let h = emptyHistory();
    const docs = Array.from({ length: 5 }, () => empty());
    for (const doc of docs) h = recordEdit(h, doc, { limit: 3 });
    expect(h.past).toEqual(docs.slice(2));
    expect(h.past[0]).toBe(docs[2]);
  });

  it('folds edits of one group close in time into one step', () => {
    let h = recordEdit(emptyHistory(), a, { group: 'nudge:q1', at: 0 });
    h = recordEdit(h, b, { group: 'nudge:q1', at: 400 });
    h = recordEdit(h, c, { group: 'nudge:q1', at: 800 });
    expect(h.past).toEqual([a]);
    // A pause, another group or no group at all starts a new step.
    h = recordEdit(h, b, { group: 'nudge:q1', at: 800 + GROUP_MS + 1 });
    h = recordEdit(h, c, { group: 'nudge:q2', at: 2000 });
    h = recordEdit(h, a, { at: 2001 });
    h = recordEdit(h, b, { at: 2002 });
    expect(h.past).toHaveLength(5);
    // An undo ends the group: the next edit is a step of its own.
    const undone = undoEdit(recordEdit(h, c, { group: 'g', at: 3000 }), a)!.history;
    expect(recordEdit(undone, a, { group: 'g', at: 3001 }).past).toHaveLength(6);
  });

  it('carries a change from outside into every step', () => {
    const { topology } = shop();
    const before = moveNode(topology, topology.queues[0]!.id, { x: 1, y: 1 });
    const h = recordEdit(emptyHistory(), before);
    const withOutside = (t: Topology): Topology => ({
      ...t,
      queues: [
        ...t.queues,
        { id: 'q-out', name: 'pika', durable: false, exclusive: false, autoDelete: false },
      ],
    });
    const mapped = mapHistory(h, withOutside);
    expect(undoEdit(mapped, topology)?.topology.queues.map((q) => q.name)).toContain('pika');
    expect(mapHistory(emptyHistory(), withOutside)).toEqual(emptyHistory());
  });
});

describe('copy and paste', () => {
  it('copies the selected nodes with only the bindings among them', () => {
    const { topology, orders, eu, p } = shop();
    const fragment = copySelection(topology, [orders, eu, p]);
    expect(fragment.exchanges.map((x) => x.name)).toEqual(['orders']);
    expect(fragment.queues.map((q) => q.name)).toEqual(['orders.eu']);
    expect(fragment.bindings.map((b) => `${b.source}->${b.destination}`)).toEqual([
      'orders->orders.eu',
    ]);
    expect(fragment.producers.map((pr) => pr.name)).toEqual(['web']);
    expect(fragment.consumers).toEqual([]);
  });

  it('pastes with new ids, unique names, offset positions and rewired references', () => {
    const { topology, orders, eu, p, c } = shop();
    const fragment = copySelection(topology, [orders, eu, p, c]);
    const pasted = pasteFragment(topology, fragment, { offset: { x: 40, y: 30 } });
    const t = pasted.topology;
    expect(pasted.nodeIds).toHaveLength(4);
    for (const id of pasted.nodeIds) expect([orders, eu, p, c]).not.toContain(id);
    expect(t.exchanges.map((x) => x.name)).toEqual(['orders', 'audit', 'orders-copy']);
    expect(t.queues.map((q) => q.name)).toEqual(['orders.eu', 'audit-log', 'orders.eu-copy']);
    expect(t.consumers?.map((x) => [x.name, x.queue])).toEqual([
      ['worker', 'orders.eu'],
      ['worker-copy', 'orders.eu-copy'],
    ]);
    expect(t.producers.map((x) => [x.name, x.exchange])).toEqual([
      ['web', 'orders'],
      ['web-copy', 'orders-copy'],
    ]);
    expect(pasted.bindingIds).toHaveLength(1);
    const binding = t.bindings.find((b) => b.id === pasted.bindingIds[0]);
    expect(binding).toMatchObject({ source: 'orders-copy', destination: 'orders.eu-copy' });
    expect(t.exchanges[2]?.position).toEqual({ x: 140, y: 130 });
    // The originals are untouched.
    expect(t.bindings.slice(0, topology.bindings.length)).toEqual(topology.bindings);

    const twice = pasteFragment(t, fragment);
    expect(twice.topology.exchanges.map((x) => x.name).at(-1)).toBe('orders-copy-2');
    const ofCopy = pasteFragment(twice.topology, copySelection(t, [pasted.nodeIds[0]!]));
    expect(ofCopy.topology.exchanges.map((x) => x.name).at(-1)).toBe('orders-copy-3');
  });

  it('keeps a producer on an exchange that was not copied, and drops one the document lacks', () => {
    const { topology, p, orders, c } = shop();
    const alone = pasteFragment(topology, copySelection(topology, [p, c]));
    expect(alone.topology.producers.at(-1)?.exchange).toBe('orders');
    expect(alone.topology.consumers?.at(-1)?.queue).toBe('orders.eu');
    const elsewhere = pasteFragment(empty(), copySelection(topology, [p, c]));
    expect(elsewhere.topology.producers[0]?.exchange).toBe('');
    expect(elsewhere.topology.consumers?.[0]?.queue).toBe('');
    // Into an empty document the names are free, but still marked as copies.
    const both = pasteFragment(empty(), copySelection(topology, [orders]));
    expect(both.topology.exchanges[0]?.name).toBe('orders-copy');
  });

  it('does not take names of objects on the broker, nor collide inside the fragment', () => {
    const { topology, orders, audit } = shop();
    let t = renameNode(topology, audit, 'orders-copy');
    const pasted = pasteFragment(t, copySelection(t, [orders, audit]), {
      taken: { exchanges: ['orders-copy-2'] },
    });
    t = pasted.topology;
    expect(t.exchanges.map((x) => x.name)).toEqual([
      'orders',
      'orders-copy',
      'orders-copy-3',
      'orders-copy-4',
    ]);
    const binding = t.bindings.find((b) => b.id === pasted.bindingIds[0]);
    expect(binding).toMatchObject({ source: 'orders-copy-3', destination: 'orders-copy-4' });
    expect(copyName('a', new Set())).toBe('a-copy');
    expect(copyName('a-copy-7', new Set(['a-copy']))).toBe('a-copy-2');
  });

  it('follows a queue the default exchange reaches by the routing key', () => {
    let topology = empty();
    const q = addNode(topology, 'queue', { x: 0, y: 0 });
    const p = addNode(q.topology, 'producer', { x: 0, y: 0 });
    topology = connectNodes(p.topology, p.id, q.id).topology;
    const pasted = pasteFragment(topology, copySelection(topology, [p.id, q.id]));
    expect(pasted.topology.producers.at(-1)).toMatchObject({
      exchange: '',
      routingKey: 'queue-1-copy',
    });
  });
});

describe('moving and aligning several nodes', () => {
  it('moves several nodes in one edit, leaving unmoved ones as they were', () => {
    const { topology, orders, eu } = shop();
    const moved = moveNodes(topology, { [orders]: { x: 5.4, y: 6.6 }, [eu]: { x: 100, y: 100 } });
    expect(moved.exchanges[0]?.position).toEqual({ x: 5, y: 7 });
    expect(moved.queues[0]).toBe(topology.queues[0]);
    expect(moveNodes(topology, {})).toBe(topology);
  });

  const boxes = [
    { id: 'a', x: 0, y: 0, width: 100, height: 40 },
    { id: 'b', x: 300, y: 100, width: 50, height: 60 },
    { id: 'c', x: 120, y: 300, width: 80, height: 20 },
  ];

  it('aligns edges and centres', () => {
    expect(alignBoxes(boxes, 'left')).toEqual({ b: { x: 0, y: 100 }, c: { x: 0, y: 300 } });
    expect(alignBoxes(boxes, 'right')).toEqual({
      a: { x: 250, y: 0 },
      c: { x: 270, y: 300 },
    });
    expect(alignBoxes(boxes, 'center')).toEqual({
      a: { x: 125, y: 0 },
      b: { x: 150, y: 100 },
      c: { x: 135, y: 300 },
    });
    expect(alignBoxes(boxes, 'top')).toEqual({ b: { x: 300, y: 0 }, c: { x: 120, y: 0 } });
    expect(alignBoxes(boxes, 'bottom')).toEqual({
      a: { x: 0, y: 280 },
      b: { x: 300, y: 260 },
    });
    expect(alignBoxes(boxes, 'middle')).toEqual({
      a: { x: 0, y: 140 },
      b: { x: 300, y: 130 },
      c: { x: 120, y: 150 },
    });
    expect(alignBoxes(boxes.slice(0, 1), 'left')).toEqual({});
  });

  it('distributes with equal gaps between the outermost nodes', () => {
    // Width 350 in all, 230 of nodes: two gaps of 60.
    expect(alignBoxes(boxes, 'distribute-horizontally')).toEqual({ c: { x: 160, y: 300 } });
    // Height 320, 120 of nodes: gaps of 100.
    expect(alignBoxes(boxes, 'distribute-vertically')).toEqual({ b: { x: 300, y: 140 } });
  });
});
