import { Graph, layout } from '@dagrejs/dagre';
import {
  estimateNodeSize,
  LAYOUT_PRODUCER_TOOLBAR,
  type LayoutNodeKind,
  type LayoutSize,
} from './layout-sizes';
import type { Consumer, Exchange, Position, Producer, Queue, Topology } from './model';

export * from './layout-sizes';

/** Space between columns: binding edges carry their routing key as a label there. */
export const LAYOUT_COLUMN_GAP = 160;
/** Space between two nodes of one column. */
export const LAYOUT_ROW_GAP = 40;
/** Space between the columns a crowded column is wrapped into: edges pass between them. */
export const LAYOUT_WRAP_GAP = 56;
const MARGIN = 40;
/**
 * Width over height the whole diagram aims for: the canvas between the palette and the
 * inspector on a laptop screen or a projector.
 */
const TARGET_ASPECT = 1.15;
/** A column is never wrapped below this height: small diagrams keep their plain columns. */
const MIN_WRAP_HEIGHT = 900;

export interface LayoutOptions {
  /**
   * Lay out every node, also those that have a position (Tidy). Without it only nodes that
   * have none are placed.
   */
  all?: boolean;
  /**
   * Sizes the canvas measured, by node id; a node gets the larger of its measured size and
   * `estimateNodeSize`.
   */
  sizes?: Readonly<Record<string, LayoutSize | undefined>>;
}

interface LayoutNode {
  key: string;
  index: number;
  kind: LayoutNodeKind;
  rank: number;
  width: number;
  /** Height of the room the node takes, its floating controls included. */
  height: number;
  /** How far below the top of its room the node itself starts. */
  inset: number;
  position: Position | undefined;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
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

const overlaps = (a: Box, b: Box, gap = 0) =>
  a.x < b.x + b.width + gap &&
  b.x < a.x + a.width + gap &&
  a.y < b.y + b.height + gap &&
  b.y < a.y + a.height + gap;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};

/** The diagram's columns, ordered by dagre. */
interface Group {
  /** Columns left to right, each top to bottom. */
  columns: LayoutNode[][];
  /** Where dagre put each node's centre, used while no column wraps. */
  centres: Map<LayoutNode, number>;
}

/** Nodes in rows of `across`, each row as tall as its tallest node. */
function stack(column: LayoutNode[], across: number): { height: number; rows: number[] } {
  const rows: number[] = [];
  column.forEach((node, i) => {
    const row = Math.floor(i / across);
    rows[row] = Math.max(rows[row] ?? 0, node.height);
  });
  const height = rows.reduce((sum, h) => sum + h, 0) + LAYOUT_ROW_GAP * (rows.length - 1);
  return { height, rows };
}

/** How many columns a column is wrapped into to stay within `limit`. */
function wrapsInto(column: LayoutNode[], limit: number): number {
  if (column.length > 64) {
    // A long column: the height falls (nearly) steadily with more across, so a binary search
    // finds the count in log steps instead of one full stacking per count.
    let low = 1;
    let high = column.length;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (stack(column, mid).height <= limit) high = mid;
      else low = mid + 1;
    }
    return low;
  }
  for (let across = 1; across < column.length; across++) {
    if (stack(column, across).height <= limit) return across;
  }
  return Math.max(1, column.length);
}

/** Boxes of a group's nodes (relative to the group's top left) and the group's size. */
function placeGroup(
  group: Group,
  limit: number,
): { boxes: Map<LayoutNode, Box>; width: number; height: number } {
  const wraps = group.columns.map((column) => wrapsInto(column, limit));
  const boxes = new Map<LayoutNode, Box>();
  const widths = group.columns.map((column) => Math.max(...column.map((n) => n.width)));
  let x = 0;
  const columnX = group.columns.map((_, i) => {
    const at = x;
    const across = wraps[i] ?? 1;
    x += (widths[i] ?? 0) * across + LAYOUT_WRAP_GAP * (across - 1) + LAYOUT_COLUMN_GAP;
    return at;
  });
  const width = x - LAYOUT_COLUMN_GAP;

  if (wraps.every((across) => across === 1)) {
    // Nothing wraps: dagre's heights keep each node beside the ones it is joined to.
    group.columns.forEach((column, i) => {
      for (const node of column) {
        const centre = group.centres.get(node) ?? 0;
        boxes.set(node, {
          x: columnX[i] ?? 0,
          y: centre - node.height / 2,
          width: node.width,
          height: node.height,
        });
      }
    });
    const top = Math.min(...[...boxes.values()].map((b) => b.y));
    for (const box of boxes.values()) box.y -= top;
    const height = Math.max(...[...boxes.values()].map((b) => b.y + b.height));
    return { boxes, width, height };
  }

  // A crowded column is cut into rows, in dagre's order, beside each other; every column is
  // centred on the tallest.
  const stacks = group.columns.map((column, i) => stack(column, wraps[i] ?? 1));
  const height = Math.max(...stacks.map((s) => s.height));
  group.columns.forEach((column, i) => {
    const across = wraps[i] ?? 1;
    const { rows, height: own } = stacks[i] ?? { rows: [], height: 0 };
    const rowY: number[] = [];
    let y = (height - own) / 2;
    for (const rowHeight of rows) {
      rowY.push(y);
      y += rowHeight + LAYOUT_ROW_GAP;
    }
    column.forEach((node, j) => {
      boxes.set(node, {
        x: (columnX[i] ?? 0) + (j % across) * ((widths[i] ?? 0) + LAYOUT_WRAP_GAP),
        y: rowY[Math.floor(j / across)] ?? 0,
        width: node.width,
        height: node.height,
      });
    });
  });
  return { boxes, width, height };
}

/**
 * dagre orders a big diagram slowly (seconds for thousands of nodes, blocking the server) and
 * walks a long chain recursively (out of stack at a few thousand hops): beyond these sizes the
 * columns keep the document's order instead.
 */
export const DAGRE_MAX_NODES = 400;
export const DAGRE_MAX_RANKS = 64;

/** Where dagre puts each node's centre, ordering each column to keep edges from crossing. */
function dagreCentres(
  nodes: LayoutNode[],
  edges: [LayoutNode, LayoutNode][],
): Map<LayoutNode, number> {
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
  for (const [from, to] of edges) {
    const existing = graph.edge(from.key, to.key);
    graph.setEdge(from.key, to.key, { weight: (existing?.weight ?? 0) + 1 });
  }
  layout(graph);
  const centres = new Map<LayoutNode, number>();
  for (const node of nodes) {
    const laid = graph.node(node.key) as { y?: number } | undefined;
    centres.set(node, laid?.y ?? 0);
  }
  return centres;
}

/** Each column top to bottom in the document's order, in linear time. */
function stackedCentres(nodes: LayoutNode[]): Map<LayoutNode, number> {
  const bottoms = new Map<number, number>();
  const centres = new Map<LayoutNode, number>();
  for (const node of nodes) {
    const top = bottoms.get(node.rank) ?? 0;
    centres.set(node, top + node.height / 2);
    bottoms.set(node.rank, top + node.height + LAYOUT_ROW_GAP);
  }
  return centres;
}

/**
 * Every node's box in a layout of the whole diagram. Columns left to right: producers, then
 * exchanges by how many exchange hops lead to them, then queues, then consumers; dagre orders
 * each column to keep edges from crossing. A column too tall for the diagram to keep a
 * screen's proportions is wrapped into several side by side, so a big diagram is not one
 * tall strip of cards.
 */
function fullLayout(
  nodes: LayoutNode[],
  edges: [LayoutNode, LayoutNode][],
  wrap: boolean,
): Map<LayoutNode, Box> {
  const result = new Map<LayoutNode, Box>();
  if (nodes.length === 0) return result;
  const ranks = [...new Set(nodes.map((n) => n.rank))].sort((a, b) => a - b);
  const centres =
    nodes.length <= DAGRE_MAX_NODES && ranks.length <= DAGRE_MAX_RANKS
      ? dagreCentres(nodes, edges)
      : stackedCentres(nodes);
  const group: Group = {
    columns: ranks.map((rank) =>
      nodes
        .filter((n) => n.rank === rank)
        .sort((a, b) => (centres.get(a) ?? 0) - (centres.get(b) ?? 0) || a.index - b.index),
    ),
    centres,
  };

  // Try column heights from "never wrap" down for the proportions closest to a screen's; a
  // wrap only wins by a clear margin, so small diagrams keep their plain columns.
  const shortest = Math.max(MIN_WRAP_HEIGHT, ...nodes.map((n) => n.height));
  const limits = new Set<number>([Number.POSITIVE_INFINITY]);
  for (const column of wrap ? group.columns : []) {
    for (let across = 1; across <= Math.min(column.length, 16); across++) {
      const height = stack(column, across).height;
      if (height >= shortest) limits.add(height);
    }
  }
  let best: { score: number; laid: ReturnType<typeof placeGroup> } | undefined;
  for (const limit of [...limits].sort((a, b) => b - a)) {
    const laid = placeGroup(group, limit);
    const score = Math.abs(Math.log(laid.width / Math.max(1, laid.height) / TARGET_ASPECT));
    if (best === undefined || score < best.score - 0.1) best = { score, laid };
  }
  for (const [node, box] of best?.laid.boxes ?? []) {
    result.set(node, { ...box, x: Math.round(box.x + MARGIN), y: Math.round(box.y + MARGIN) });
  }
  return result;
}

/**
 * Gives every node without a position one (every node, with `all`). Nodes that already have
 * a position keep it; new ones are placed where the full layout would put them relative to
 * those, moved down when that spot is taken. The same document always gives the same
 * positions. Sizes include each node's badges and, above a producer, its "Explain" button.
 */
export function layoutTopology(topology: Topology, options: LayoutOptions = {}): Topology {
  const consumers = topology.consumers ?? [];
  const items = [...topology.producers, ...topology.exchanges, ...topology.queues, ...consumers];
  const all = options.all === true;
  if (!all && items.every((item) => item.position !== undefined)) return topology;

  const depth = exchangeDepths(topology);
  const deepest = Math.max(0, ...depth.values());
  const nodes: LayoutNode[] = [];
  const add = (
    kind: LayoutNodeKind,
    rank: number,
    item: Producer | Exchange | Queue | Consumer,
  ) => {
    // A node measured while the canvas showed compact cards (zoomed out) is smaller than it
    // is drawn up close: it gets at least the room of its full card.
    const estimate = estimateNodeSize(kind, item);
    const measured = options.sizes?.[item.id];
    const size = {
      width: Math.max(estimate.width, measured?.width ?? 0),
      height: Math.max(estimate.height, measured?.height ?? 0),
    };
    const inset = kind === 'producer' ? LAYOUT_PRODUCER_TOOLBAR : 0;
    const node: LayoutNode = {
      key: `n${nodes.length}`,
      index: nodes.length,
      kind,
      rank,
      width: Math.ceil(size.width),
      height: Math.ceil(size.height) + inset,
      inset,
      position: all ? undefined : item.position,
    };
    nodes.push(node);
    return node;
  };
  const producers = topology.producers.map((p) => add('producer', 0, p));
  const exchangeNodes = topology.exchanges.map((x) =>
    add('exchange', 1 + (depth.get(x.name) ?? 0), x),
  );
  const queueNodes = topology.queues.map((q) => add('queue', 2 + deepest, q));
  const consumerNodes = consumers.map((c) => add('consumer', 3 + deepest, c));
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

  const edges: [LayoutNode, LayoutNode][] = [];
  const connect = (from: LayoutNode | undefined, to: LayoutNode | undefined) => {
    if (from === undefined || to === undefined || to.rank <= from.rank) return;
    edges.push([from, to]);
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
  // A few new nodes among many placed ones go into the columns those have, not new ones.
  const placedCount = nodes.filter((n) => n.position !== undefined).length;
  const laidOut = fullLayout(nodes, edges, placedCount <= nodes.length - placedCount);

  // Keep the new nodes where the layout puts them relative to the nodes already placed.
  const placed = nodes.filter((n) => n.position !== undefined);
  const shift = {
    x: median(placed.map((n) => (n.position?.x ?? 0) - (laidOut.get(n)?.x ?? 0))),
    y: median(placed.map((n) => (n.position?.y ?? 0) - n.inset - (laidOut.get(n)?.y ?? 0))),
  };
  const taken: Box[] = placed.map((n) => ({
    x: n.position?.x ?? 0,
    y: (n.position?.y ?? 0) - n.inset,
    width: n.width,
    height: n.height,
  }));
  const positions = new Map<LayoutNode, Position>();
  const fresh = nodes
    .filter((n) => n.position === undefined)
    .sort((a, b) => (laidOut.get(a)?.y ?? 0) - (laidOut.get(b)?.y ?? 0) || a.index - b.index);
  for (const node of fresh) {
    const box = laidOut.get(node);
    if (box === undefined) continue;
    const candidate = { ...box, x: Math.round(box.x + shift.x), y: Math.round(box.y + shift.y) };
    // Among nodes placed by hand, keep a row's gap around the new one.
    const gap = placed.length > 0 ? LAYOUT_ROW_GAP / 2 : 0;
    for (;;) {
      const blocker = taken.find((other) => overlaps(candidate, other, gap));
      if (blocker === undefined) break;
      candidate.y = Math.round(blocker.y + blocker.height + LAYOUT_ROW_GAP);
    }
    taken.push(candidate);
    positions.set(node, { x: candidate.x, y: candidate.y + node.inset });
  }

  const place = <T extends { position?: Position }>(item: T, node: LayoutNode | undefined): T => {
    const position = node === undefined ? undefined : positions.get(node);
    if (position === undefined) return item;
    if (!all && item.position !== undefined) return item;
    return { ...item, position };
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
