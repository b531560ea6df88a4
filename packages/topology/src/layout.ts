import type { Position, Topology } from './model';

const COLUMN_WIDTH = 280;
const ROW_HEIGHT = 130;
/** Room a node takes on the canvas; smaller than a grid cell, so grid slots never collide. */
const NODE_WIDTH = 240;
const NODE_HEIGHT = 110;

/**
 * Gives every node without a position one, in columns from left to right: producers, then
 * exchanges by their distance from a producer or root exchange, then queues.
 */
export function layoutTopology(topology: Topology): Topology {
  const depth = new Map<string, number>();
  const boundTo = new Set(
    topology.bindings.filter((b) => b.destinationType === 'exchange').map((b) => b.destination),
  );
  const roots = topology.exchanges.filter((x) => !boundTo.has(x.name)).map((x) => x.name);
  const queue = roots.map((name) => ({ name, level: 0 }));
  while (queue.length > 0) {
    const next = queue.shift();
    if (next === undefined) break;
    if ((depth.get(next.name) ?? -1) >= next.level || next.level > topology.exchanges.length)
      continue;
    depth.set(next.name, next.level);
    for (const b of topology.bindings) {
      if (b.source === next.name && b.destinationType === 'exchange')
        queue.push({ name: b.destination, level: next.level + 1 });
    }
  }
  const exchangeColumns = Math.max(0, ...depth.values()) + 1;
  // Nodes placed by hand keep their place; new ones go to the next grid slot that is free.
  const taken: Position[] = [
    ...topology.producers,
    ...topology.exchanges,
    ...topology.queues,
  ].flatMap((node) => (node.position ? [node.position] : []));
  const isFree = (slot: Position) =>
    taken.every(
      (p) => Math.abs(p.x - slot.x) >= NODE_WIDTH || Math.abs(p.y - slot.y) >= NODE_HEIGHT,
    );
  const rows = new Map<number, number>();
  const place = (column: number): Position => {
    let row = rows.get(column) ?? 0;
    let slot = { x: 40 + column * COLUMN_WIDTH, y: 40 + row * ROW_HEIGHT };
    while (!isFree(slot)) {
      row += 1;
      slot = { x: slot.x, y: 40 + row * ROW_HEIGHT };
    }
    rows.set(column, row + 1);
    taken.push(slot);
    return slot;
  };
  const producerColumn = topology.producers.length > 0 ? 1 : 0;
  return {
    ...topology,
    producers: topology.producers.map((p) => ({ ...p, position: p.position ?? place(0) })),
    exchanges: topology.exchanges.map((x) => ({
      ...x,
      position: x.position ?? place(producerColumn + (depth.get(x.name) ?? 0)),
    })),
    queues: topology.queues.map((q) => ({
      ...q,
      position: q.position ?? place(producerColumn + exchangeColumns),
    })),
  };
}
