import type { OutsideClient } from '@warren/protocol';
import {
  LAYOUT_NODE_SIZES,
  outsideConsumeEdgeId,
  type Position,
  type Topology,
} from '@warren/topology';
import type { Edge, Node } from '@xyflow/react';
import type { DirectReplier, OutsideObject, Size } from '../../canvas-inputs';
import { createItemCache } from './memo';

/**
 * Canvas nodes and edges for what happens on the vhost outside Warren: a node per outside
 * connection (linked to the exchanges it publishes to and the queues it consumes), and a node
 * per exchange or queue an outside client declared that the diagram does not have. They are
 * not part of the document: placed beside the diagram, not draggable, not editable.
 */

export type OutsideClientFlowNode = Node<{ client: OutsideClient }, 'outside-client'>;
export type OutsideObjectFlowNode = Node<
  { kind: 'exchange' | 'queue'; name: string },
  'outside-object'
>;
export type OutsideFlowNode = OutsideClientFlowNode | OutsideObjectFlowNode;
/** The pseudo-queue direct reply-to replies arrive on (the requester's channel, no queue). */
export const DIRECT_REPLY_QUEUE = 'amq.rabbitmq.reply-to';

/** Drawn with React Flow's own bezier edge, dashed by the `outside-edge` class. */
export type OutsideFlowEdge = Edge<{ outside: true }, 'default'>;

export const outsideClientNodeId = (clientId: string) => `outside-client:${clientId}`;
export const outsideObjectNodeId = (kind: 'exchange' | 'queue', name: string) =>
  `outside-object:${kind}:${name}`;

const CLIENT_HEIGHT = 112;
const OBJECT_HEIGHT = 92;
const GAP = LAYOUT_NODE_SIZES.producer.width;

interface Columns {
  publishers: { x: number; y: number };
  consumers: { x: number; y: number };
  exchanges: { x: number; y: number };
  queues: { x: number; y: number };
}

/** Where outside nodes go: under or beside the columns the diagram already has. */
function columns(topology: Topology): Columns {
  const at = (items: readonly { position?: Position | undefined }[]) =>
    items.map((i) => i.position).filter((p): p is Position => p !== undefined);
  const producers = at(topology.producers);
  const exchanges = at(topology.exchanges);
  const queues = at(topology.queues);
  const consumers = at(topology.consumers ?? []);
  const all = [...producers, ...exchanges, ...queues, ...consumers];
  const minX = (ps: Position[], fallback: number) =>
    ps.length > 0 ? Math.min(...ps.map((p) => p.x)) : fallback;
  const maxX = (ps: Position[], fallback: number) =>
    ps.length > 0 ? Math.max(...ps.map((p) => p.x)) : fallback;
  const top = all.length > 0 ? Math.min(...all.map((p) => p.y)) : 40;
  const below = (ps: Position[], height: number) =>
    ps.length > 0 ? Math.max(...ps.map((p) => p.y)) + height + 60 : top;
  const exchangeX = minX(exchanges, 40 + LAYOUT_NODE_SIZES.producer.width + 160);
  const queueX = maxX(queues, exchangeX + LAYOUT_NODE_SIZES.exchange.width + 160);
  const rightmost = Math.max(queueX, maxX(consumers, queueX));
  return {
    publishers: {
      x: producers.length > 0 ? minX(producers, 40) : exchangeX - GAP - 160,
      y: below(producers, LAYOUT_NODE_SIZES.producer.height + 40),
    },
    consumers: { x: rightmost + LAYOUT_NODE_SIZES.queue.width + 140, y: top },
    exchanges: { x: exchangeX, y: below(exchanges, LAYOUT_NODE_SIZES.exchange.height) },
    queues: { x: queueX, y: below(queues, LAYOUT_NODE_SIZES.queue.height) },
  };
}

type Inputs = readonly [item: object, x: number, y: number, measured: Size | undefined];

/** Outside objects still there that the diagram does not draw itself. */
export function undrawnOutsideObjects(
  topology: Topology,
  objects: Record<string, OutsideObject>,
): OutsideObject[] {
  const exchanges = new Set(topology.exchanges.map((x) => x.name));
  const queues = new Set(topology.queues.map((q) => q.name));
  return Object.values(objects).filter(
    (o) =>
      o.change === 'created' &&
      ((o.kind === 'exchange' && !exchanges.has(o.name)) ||
        (o.kind === 'queue' && !queues.has(o.name))),
  );
}

/** Makes the function that places outside nodes, with its own cache of the nodes it made. */
export function createOutsideNodes() {
  const cache = createItemCache<string, Inputs, OutsideFlowNode>();
  /** The nodes, reusing each one while its inputs stay the same (React Flow compares identity). */
  return function outsideNodes(
    topology: Topology,
    clients: Record<string, OutsideClient>,
    objects: Record<string, OutsideObject>,
    measured: Record<string, Size>,
  ): OutsideFlowNode[] {
    const nodes: OutsideFlowNode[] = [];
    cache.begin();
    const place = (
      id: string,
      item: object,
      position: Position,
      make: (base: Omit<OutsideFlowNode, 'type' | 'data'>) => OutsideFlowNode,
    ) => {
      const inputs: Inputs = [item, position.x, position.y, measured[id]];
      nodes.push(
        cache.get(id, inputs, () => {
          const base: Omit<OutsideFlowNode, 'type' | 'data'> = {
            id,
            position,
            draggable: false,
            selectable: false,
            deletable: false,
            connectable: false,
          };
          const size = measured[id];
          if (size) base.measured = size;
          return make(base);
        }),
      );
    };

    const col = columns(topology);
    const queueY = new Map(
      topology.queues.map((q) => [q.name, q.position?.y ?? col.consumers.y] as const),
    );
    let publisherRow = 0;
    const takenY: number[] = [];
    for (const client of Object.values(clients).sort((a, b) => a.id.localeCompare(b.id))) {
      const id = outsideClientNodeId(client.id);
      let position: Position;
      if (client.role === 'consumer') {
        // Beside the first queue it reads, below any outside consumer already there.
        let y = queueY.get(client.queues[0] ?? '') ?? col.consumers.y;
        while (takenY.some((t) => Math.abs(t - y) < CLIENT_HEIGHT + 20)) y += CLIENT_HEIGHT + 24;
        takenY.push(y);
        position = { x: col.consumers.x, y };
      } else {
        position = {
          x: col.publishers.x,
          y: col.publishers.y + publisherRow * (CLIENT_HEIGHT + 24),
        };
        publisherRow += 1;
      }
      place(id, client, position, (base) => ({
        ...base,
        type: 'outside-client',
        data: { client },
        // Not selectable, yet its list of recent messages opens on a click.
        style: { ...base.style, pointerEvents: 'all' },
      }));
    }

    let exchangeRow = 0;
    let queueRow = 0;
    for (const object of undrawnOutsideObjects(topology, objects)) {
      if (object.kind !== 'exchange' && object.kind !== 'queue') continue;
      const kind = object.kind;
      const id = outsideObjectNodeId(kind, object.name);
      const position =
        kind === 'exchange'
          ? { x: col.exchanges.x, y: col.exchanges.y + exchangeRow++ * (OBJECT_HEIGHT + 24) }
          : { x: col.queues.x, y: col.queues.y + queueRow++ * (OBJECT_HEIGHT + 24) };
      place(id, object, position, (base) => ({
        ...base,
        type: 'outside-object',
        data: { kind, name: object.name },
      }));
    }
    cache.end();
    return nodes;
  };
}

/** Makes the function that draws outside edges, with its own cache of the edges it made. */
export function createOutsideEdges() {
  const cache = createItemCache<
    string,
    readonly [source: string, target: string],
    OutsideFlowEdge
  >();
  /** Lines from outside clients to the exchanges they publish to, and from the queues they read. */
  return function outsideEdges(
    topology: Topology,
    clients: Record<string, OutsideClient>,
    objects: Record<string, OutsideObject>,
    markerEnd: string,
    /** Direct reply-to: requester → the client or consumer node that replies to it. */
    directReplies: Record<string, DirectReplier> = {},
  ): OutsideFlowEdge[] {
    const exchangeIds = new Map(topology.exchanges.map((x) => [x.name, x.id] as const));
    const queueIds = new Map(topology.queues.map((q) => [q.name, q.id] as const));
    const consumerIds = new Set((topology.consumers ?? []).map((c) => c.id));
    for (const o of undrawnOutsideObjects(topology, objects)) {
      if (o.kind === 'exchange') exchangeIds.set(o.name, outsideObjectNodeId('exchange', o.name));
      if (o.kind === 'queue') queueIds.set(o.name, outsideObjectNodeId('queue', o.name));
    }
    const edges: OutsideFlowEdge[] = [];
    cache.begin();
    const add = (id: string, source: string, target: string) => {
      edges.push(
        cache.get(id, [source, target], () => ({
          id,
          type: 'default',
          source,
          target,
          className: 'outside-edge',
          selectable: false,
          deletable: false,
          focusable: false,
          markerEnd,
          data: { outside: true },
        })),
      );
    };
    for (const client of Object.values(clients)) {
      const node = outsideClientNodeId(client.id);
      for (const exchange of client.exchanges) {
        const target = exchangeIds.get(exchange);
        if (target !== undefined) add(`outside:${client.id}:publish:${exchange}`, node, target);
      }
      for (const queue of client.queues) {
        const source = queueIds.get(queue);
        if (source !== undefined) add(`outside:${client.id}:consume:${queue}`, source, node);
      }
      // Replies through direct reply-to go from the replier straight to this client: from an
      // outside client's node, or from the consumer node that answered.
      const replier = directReplies[client.id];
      const source =
        replier === undefined
          ? undefined
          : 'outsideClientId' in replier
            ? replier.outsideClientId in clients
              ? outsideClientNodeId(replier.outsideClientId)
              : undefined
            : consumerIds.has(replier.consumerId)
              ? replier.consumerId
              : undefined;
      if (source !== undefined)
        add(outsideConsumeEdgeId(client.id, DIRECT_REPLY_QUEUE), source, node);
    }
    cache.end();
    return edges;
  };
}
