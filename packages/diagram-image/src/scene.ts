import {
  defaultExchangeTarget,
  effectiveExchangeArguments,
  effectiveQueueArguments,
  LAYOUT_NODE_SIZES,
  layoutTopology,
  type LayoutNodeKind,
  type Topology,
} from '@warren/topology';

/**
 * What a diagram image shows, as boxes and lines with coordinates: every node of the document
 * at its position (laid out where it has none), every binding with its key, each producer's and
 * consumer's link, and the alternate-exchange and dead-letter relations. Pure geometry; svg.ts
 * draws it.
 */

export interface SceneNode {
  id: string;
  kind: LayoutNodeKind;
  name: string;
  /** A short second line: the exchange type, the queue's kind, what a producer sends to. */
  detail: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export type EdgeKind = 'publish' | 'binding' | 'consume' | 'alternate' | 'dead-letter';

export interface SceneEdge {
  id: string;
  kind: EdgeKind;
  from: SceneNode;
  to: SceneNode;
  label: string;
}

export interface Scene {
  nodes: SceneNode[];
  edges: SceneEdge[];
  /** The box that holds everything, margin included. */
  bounds: { x: number; y: number; width: number; height: number };
}

/** Images are drawn smaller than the canvas's cards: the height of every node. */
const NODE_HEIGHT = 56;
const MARGIN = 32;

export function buildScene(document: Topology): Scene {
  const topology = layoutTopology(document);
  const nodes: SceneNode[] = [];
  const add = (
    kind: LayoutNodeKind,
    item: { id: string; name: string; position?: { x: number; y: number } | undefined },
    detail: string,
  ): SceneNode => {
    const node: SceneNode = {
      id: item.id,
      kind,
      name: item.name,
      detail,
      x: item.position?.x ?? 0,
      y: item.position?.y ?? 0,
      width: LAYOUT_NODE_SIZES[kind].width,
      height: NODE_HEIGHT,
    };
    nodes.push(node);
    return node;
  };

  const exchanges = new Map(
    topology.exchanges.map((x) => [
      x.name,
      add('exchange', x, `${x.type} exchange${x.internal ? ' · internal' : ''}`),
    ]),
  );
  const queues = new Map(
    topology.queues.map((q) => {
      const type = effectiveQueueArguments(topology, q).get('x-queue-type')?.value;
      const kind = typeof type === 'string' ? type : 'classic';
      return [q.name, add('queue', q, `${kind} queue${q.durable ? '' : ' · transient'}`)];
    }),
  );
  const queueNames = new Set(queues.keys());
  const edges: SceneEdge[] = [];
  const link = (
    id: string,
    kind: EdgeKind,
    from: SceneNode | undefined,
    to: SceneNode | undefined,
    label = '',
  ) => {
    if (from && to) edges.push({ id, kind, from, to, label });
  };

  for (const p of topology.producers) {
    const target = p.exchange === '' ? defaultExchangeTarget(p, queueNames) : undefined;
    const into = p.exchange === '' ? '(default exchange)' : p.exchange;
    const producer = add('producer', p, `publishes to ${into}`);
    link(
      `publish:${p.id}`,
      'publish',
      producer,
      exchanges.get(p.exchange) ?? queues.get(target ?? ''),
      p.routingKey,
    );
  }
  for (const c of topology.consumers ?? []) {
    const consumer = add('consumer', c, `prefetch ${c.prefetch}${c.autoAck ? ' · auto-ack' : ''}`);
    link(`consume:${c.id}`, 'consume', queues.get(c.queue), consumer);
  }
  for (const b of topology.bindings) {
    const to =
      b.destinationType === 'queue' ? queues.get(b.destination) : exchanges.get(b.destination);
    const key =
      b.arguments !== undefined && Object.keys(b.arguments).length > 0
        ? headersLabel(b.arguments)
        : b.routingKey;
    link(b.id, 'binding', exchanges.get(b.source), to, key);
  }
  for (const x of topology.exchanges) {
    const alternate = effectiveExchangeArguments(topology, x).get('alternate-exchange')?.value;
    if (typeof alternate === 'string')
      link(
        `alternate:${x.id}`,
        'alternate',
        exchanges.get(x.name),
        exchanges.get(alternate),
        'alternate',
      );
  }
  for (const q of topology.queues) {
    const dlx = effectiveQueueArguments(topology, q).get('x-dead-letter-exchange')?.value;
    if (typeof dlx === 'string')
      link(
        `dead-letter:${q.id}`,
        'dead-letter',
        queues.get(q.name),
        exchanges.get(dlx),
        'dead-letter',
      );
  }
  return { nodes, edges, bounds: bounds(nodes) };
}

/** A headers binding's arguments, as `x-match=all, format=pdf`. */
function headersLabel(args: Record<string, unknown>): string {
  return Object.entries(args)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

function bounds(nodes: SceneNode[]): Scene['bounds'] {
  if (nodes.length === 0) return { x: 0, y: 0, width: 320, height: 120 };
  const left = Math.min(...nodes.map((n) => n.x)) - MARGIN;
  const top = Math.min(...nodes.map((n) => n.y)) - MARGIN;
  const right = Math.max(...nodes.map((n) => n.x + n.width)) + MARGIN;
  const bottom = Math.max(...nodes.map((n) => n.y + n.height)) + MARGIN;
  return { x: left, y: top, width: right - left, height: bottom - top };
}
