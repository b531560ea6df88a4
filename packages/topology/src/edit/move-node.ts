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
