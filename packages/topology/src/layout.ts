import { Graph, layout } from '@dagrejs/dagre';
import type { Position, Topology } from './model';

export type LayoutNodeKind = 'producer' | 'exchange' | 'queue' | 'consumer';

/**
 * Room each kind of node takes on the canvas, as the web app draws it (apps/web
 * canvas/node-sizes.ts; consumers are not drawn there yet, so theirs is an estimate).
 */
export const LAYOUT_NODE_SIZES: Readonly<
  Record<LayoutNodeKind, { readonly width: number; readonly height: number }>
> = {
  producer: { width: 236, height: 190 },
  exchange: { width: 200, height: 74 },
  queue: { width: 200, height: 118 },
  consumer: { width: 200, height: 96 },
};

/** Space between columns: binding edges carry their routing key as a label there. */
export const LAYOUT_COLUMN_GAP = 160;
/** Space between two nodes of one column. */
export const LAYOUT_ROW_GAP = 40;
const MARGIN = 40;

interface LayoutNode {
  key: string;
  kind: LayoutNodeKind;
  rank: number;
  width: number;
  height: number;
  position: Position | undefined;
}

/**
 * How far right each exchange sits: the longest chain of exchange-to-exchange bindings (and
 * alternate exchanges) leading to it. Cycles are cut where a depth-first walk meets them, so
 * every remaining edge points right.
 */
function exchangeDepths(topology: Topology): Map<string, number> {
  const drawn = new Set(topology.exchanges.map((x) => x.name));
  const next = new Map<string, string[]>();
  const link = (from: string, to: string) => {
    if (from === to || !drawn.has(from) || !drawn.has(to)) return;
    next.set(from, [...(next.get(from) ?? []), to]);
  };
  for (const b of topology.bindings) {
    if (b.destinationType === 'exchange') link(b.source, b.destination);
  }
  for (const x of topology.exchanges) {
    const alternate = x.arguments?.['alternate-exchange'];
    if (typeof alternate === 'string') link(x.name, alternate);
  }
  const hasParent = new Set([...next.values()].flat());
  const starts = [
    ...topology.exchanges.filter((x) => !hasParent.has(x.name)),
    ...topology.exchanges,
  ].map((x) => x.name);

  const state = new Map<string, 'open' | 'done'>();
  const postOrder: string[] = [];
  const forward = new Map<string, string[]>();
  const visit = (name: string) => {
    state.set(name, 'open');
    const kept: string[] = [];
    for (const to of next.get(name) ?? []) {
      const seen = state.get(to);
      if (seen === 'open') continue; // a back edge: it would close a cycle
      kept.push(to);
      if (seen === undefined) visit(to);
    }
    forward.set(name, kept);
    state.set(name, 'done');
    postOrder.push(name);
  };
  for (const name of starts) if (!state.has(name)) visit(name);

  const depth = new Map<string, number>();
  for (const name of postOrder.reverse()) {
    const own = depth.get(name) ?? 0;
    depth.set(name, own);
    for (const to of forward.get(name) ?? []) depth.set(to, Math.max(depth.get(to) ?? 0, own + 1));
  }
  return depth;
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};

/**
 * Gives every node without a position one, in columns from left to right: producers, then
 * exchanges by how many exchange hops lead to them, then queues, then consumers. Within a
 * column, dagre orders nodes to keep edges from crossing. Nodes that already have a position
 * keep it; new ones are placed where the full layout would put them relative to those, moved
 * down when that spot is taken. The same document always gives the same positions.
 */
export function layoutTopology(topology: Topology): Topology {
  const consumers = topology.consumers ?? [];
  const items = [...topology.producers, ...topology.exchanges, ...topology.queues, ...consumers];
  if (items.every((item) => item.position !== undefined)) return topology;

  const depth = exchangeDepths(topology);
  const deepest = Math.max(0, ...depth.values());
  const nodes: LayoutNode[] = [];
  const add = (kind: LayoutNodeKind, rank: number, position: Position | undefined) => {
    const node = { key: `n${nodes.length}`, kind, rank, ...LAYOUT_NODE_SIZES[kind], position };
    nodes.push(node);
    return node;
  };
  const producers = topology.producers.map((p) => add('producer', 0, p.position));
  const exchangeNodes = topology.exchanges.map((x) =>
    add('exchange', 1 + (depth.get(x.name) ?? 0), x.position),
  );
  const queueNodes = topology.queues.map((q) => add('queue', 2 + deepest, q.position));
  const consumerNodes = consumers.map((c) => add('consumer', 3 + deepest, c.position));
  const byName = (list: { name: string }[], laid: LayoutNode[]) => {
    const map = new Map<string, LayoutNode>();
    list.forEach((item, i) => {
      const node = laid[i];
      if (node !== undefined && !map.has(item.name)) map.set(item.name, node);
    });
    return map;
  };
  const exchanges = byName(topology.exchanges, exchangeNodes);
  const queues = byName(topology.queues, queueNodes);

  const graph = new Graph<Record<string, unknown>, Record<string, unknown>, { weight: number }>();
  graph.setGraph({
    rankdir: 'LR',
    nodesep: LAYOUT_ROW_GAP,
    edgesep: 20,
    ranksep: LAYOUT_COLUMN_GAP,
    // Columns are decided above (dagre's own ranking would put a queue bound to a root
    // exchange in the exchange columns); dagre keeps the given ranks and only orders nodes.
    ranker: 'none',
  });
  for (const node of nodes) {
    // dagre spreads ranks apart to make room for edge labels, and expects every edge to span
    // at least two ranks (it crashes on shorter ones when the ranks are given).
    graph.setNode(node.key, { width: node.width, height: node.height, rank: node.rank * 2 });
  }
  const connect = (from: LayoutNode | undefined, to: LayoutNode | undefined) => {
    if (from === undefined || to === undefined || to.rank <= from.rank) return;
    const existing = graph.edge(from.key, to.key);
    graph.setEdge(from.key, to.key, { weight: (existing?.weight ?? 0) + 1 });
  };
  topology.producers.forEach((p, i) => {
    // Publishing to the default exchange reaches the queue named by the routing key.
    connect(
      producers[i],
      exchanges.get(p.exchange) ?? (p.exchange === '' ? queues.get(p.routingKey) : undefined),
    );
  });
  for (const b of topology.bindings) {
    const to =
      b.destinationType === 'queue' ? queues.get(b.destination) : exchanges.get(b.destination);
    connect(exchanges.get(b.source), to);
  }
  for (const x of topology.exchanges) {
    const alternate = x.arguments?.['alternate-exchange'];
    if (typeof alternate === 'string') connect(exchanges.get(x.name), exchanges.get(alternate));
  }
  consumers.forEach((c, i) => connect(queues.get(c.queue), consumerNodes[i]));
  layout(graph);

  // Columns share a left edge, each as wide as its widest node.
  const ranks = [...new Set(nodes.map((n) => n.rank))].sort((a, b) => a - b);
  const columnX = new Map<number, number>();
  let x = MARGIN;
  for (const rank of ranks) {
    columnX.set(rank, x);
    x += Math.max(...nodes.filter((n) => n.rank === rank).map((n) => n.width)) + LAYOUT_COLUMN_GAP;
  }
  const laidOut = new Map<LayoutNode, Box>();
  for (const node of nodes) {
    const center = graph.node(node.key) as { y?: number } | undefined;
    laidOut.set(node, {
      x: columnX.get(node.rank) ?? MARGIN,
      y: (center?.y ?? 0) - node.height / 2,
      width: node.width,
      height: node.height,
    });
  }
  const top = Math.min(...[...laidOut.values()].map((box) => box.y));
  for (const box of laidOut.values()) box.y += MARGIN - top;

  // Keep the new nodes where the layout puts them relative to the nodes already placed.
  const placed = nodes.filter((n) => n.position !== undefined);
  const shift = {
    x: median(placed.map((n) => (n.position?.x ?? 0) - (laidOut.get(n)?.x ?? 0))),
    y: median(placed.map((n) => (n.position?.y ?? 0) - (laidOut.get(n)?.y ?? 0))),
  };
  const taken: Box[] = placed.map((n) => ({
    x: n.position?.x ?? 0,
    y: n.position?.y ?? 0,
    width: n.width,
    height: n.height,
  }));
  const positions = new Map<LayoutNode, Position>();
  const fresh = nodes
    .filter((n) => n.position === undefined)
    .sort((a, b) => (laidOut.get(a)?.y ?? 0) - (laidOut.get(b)?.y ?? 0));
  for (const node of fresh) {
    const box = laidOut.get(node);
    if (box === undefined) continue;
    const candidate = { ...box, x: Math.round(box.x + shift.x), y: Math.round(box.y + shift.y) };
    for (;;) {
      const blocker = taken.find((other) => overlaps(candidate, other));
      if (blocker === undefined) break;
      candidate.y = Math.round(blocker.y + blocker.height + LAYOUT_ROW_GAP);
    }
    taken.push(candidate);
    positions.set(node, { x: candidate.x, y: candidate.y });
  }

  const place = <T extends { position?: Position }>(item: T, node: LayoutNode | undefined): T => {
    const position = node === undefined ? undefined : positions.get(node);
    return item.position !== undefined || position === undefined ? item : { ...item, position };
  };
  const result: Topology = {
    ...topology,
    producers: topology.producers.map((p, i) => place(p, producers[i])),
    exchanges: topology.exchanges.map((e, i) => place(e, exchangeNodes[i])),
    queues: topology.queues.map((q, i) => place(q, queueNodes[i])),
  };
  if (topology.consumers !== undefined)
    result.consumers = topology.consumers.map((c, i) => place(c, consumerNodes[i]));
  return result;
}
