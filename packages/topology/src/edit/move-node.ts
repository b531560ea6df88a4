import type { Position, Topology } from '../model';

/** Positions are stored in whole pixels, so a drop does not write sub-pixel noise. */
export function roundPosition(position: Position): Position {
  return { x: Math.round(position.x), y: Math.round(position.y) };
}

/** Puts a node where it was dropped; the document stays the same object when nothing moved. */
export function moveNode(topology: Topology, id: string, position: Position): Topology {
  const at = roundPosition(position);
  const same = (p: Position | undefined) => p !== undefined && p.x === at.x && p.y === at.y;
  const move = <T extends { id: string; position?: Position }>(item: T): T =>
    item.id === id && !same(item.position) ? { ...item, position: at } : item;
  return {
    ...topology,
    exchanges: topology.exchanges.map(move),
    queues: topology.queues.map(move),
    producers: topology.producers.map(move),
    ...(topology.consumers && { consumers: topology.consumers.map(move) }),
  };
}

/** Puts several nodes where they were dropped, in one edit. */
export function moveNodes(
  topology: Topology,
  positions: Readonly<Record<string, Position>>,
): Topology {
  const ids = Object.keys(positions);
  if (ids.length === 0) return topology;
  const move = <T extends { id: string; position?: Position }>(item: T): T => {
    const to = positions[item.id];
    if (to === undefined) return item;
    const at = roundPosition(to);
    return item.position?.x === at.x && item.position.y === at.y ? item : { ...item, position: at };
  };
  return {
    ...topology,
    exchanges: topology.exchanges.map(move),
    queues: topology.queues.map(move),
    producers: topology.producers.map(move),
    ...(topology.consumers && { consumers: topology.consumers.map(move) }),
  };
}
