import {
  effectiveExchangeArguments,
  effectiveQueueArguments,
  defaultExchangeTarget,
  layoutTopology,
  producerEdgeId,
  relationEdgeId,
  type Binding,
  type Consumer,
  type Exchange,
  type ExchangeType,
  type Position,
  type Producer,
  type Queue,
  type Topology,
} from '@warren/topology';
import type { Edge, Node } from '@xyflow/react';
import { consumerEdgeId } from './document-ops';
import {
  outsideEdges,
  outsideNodes,
  type OutsideFlowEdge,
  type OutsideFlowNode,
} from './outside-elements';
import type { Size } from './ui-slice';
import type { WarrenState } from './store';

/**
 * React Flow's nodes and edges, derived from the document. Each element object is reused
 * while its inputs stay the same, so React Flow (which compares by identity) only does work
 * for what changed.
 */

export type ExchangeFlowNode = Node<{ exchange: Exchange }, 'exchange'>;
export type QueueFlowNode = Node<{ queue: Queue }, 'queue'>;
export type ProducerFlowNode = Node<{ producer: Producer }, 'producer'>;
export type ConsumerFlowNode = Node<{ consumer: Consumer }, 'consumer'>;
export type WarrenNode =
  ExchangeFlowNode | QueueFlowNode | ProducerFlowNode | ConsumerFlowNode | OutsideFlowNode;

export type BindingFlowEdge = Edge<
  { binding: Binding; exchangeType: ExchangeType | undefined },
  'binding'
>;
/** A producer's line into its exchange, or, through the default exchange, to the queue its key names. */
export type PublishFlowEdge = Edge<{ producer: Producer; viaDefault?: boolean }, 'publish'>;
/** A queue's line to a consumer reading from it. */
export type ConsumeFlowEdge = Edge<{ consumer: Consumer }, 'consume'>;
/**
 * Where a queue dead-letters to, or where an exchange sends what it cannot route: drawn from
 * arguments and policies, not a binding, so it is not edited on the canvas.
 */
export type RelationFlowEdge = Edge<
  {
    relation: 'dead-letter' | 'alternate';
    /** Name of the queue or exchange it starts at. */
    from: string;
    /** Name of the exchange it goes to. */
    to: string;
    /** The policy that sets it, when no argument does. */
    policy: string | undefined;
    /** The dead-letter routing key, when one replaces the message's own. */
    routingKey: string | undefined;
  },
  'relation'
>;
export type WarrenEdge =
  BindingFlowEdge | PublishFlowEdge | RelationFlowEdge | ConsumeFlowEdge | OutsideFlowEdge;

/** Handles on the bottom of queues and exchanges that the relations start from. */
export const DEAD_LETTER_HANDLE = 'dead-letter';
export const ALTERNATE_HANDLE = 'alternate';
/** Handle on the top of exchanges that dead letters and unroutable messages arrive at. */
export const RELATION_TARGET_HANDLE = 'relation-in';

/** Id of the drawn dead-letter or alternate-exchange relation (shared with the server). */
export { relationEdgeId };

type NodeInputs = readonly [
  item: object,
  x: number,
  y: number,
  selected: boolean,
  dragging: boolean,
  measured: Size | undefined,
];
type EdgeInputs = readonly [
  item: object,
  source: string,
  target: string,
  selected: boolean,
  extra: unknown,
];

function sameInputs(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  return a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A selector whose result keeps its identity while the parts of the state it reads do. */
function memoSelector<R>(
  read: (s: WarrenState) => readonly unknown[],
  compute: (s: WarrenState) => R,
): (s: WarrenState) => R {
  let last: readonly unknown[] | undefined;
  let result: R;
  return (state) => {
    const inputs = read(state);
    if (!sameInputs(last, inputs)) {
      last = inputs;
      result = compute(state);
    }
    return result;
  };
}

/**
 * Documents from elsewhere (imports, the scripting API) may lack positions: show them laid
 * out in columns (producers, exchanges, queues) until moved.
 */
export function withPositions(topology: Topology): Topology {
  return layoutTopology(topology);
}

const positioned = (() => {
  let last: Topology | undefined;
  let result: Topology | undefined;
  return (topology: Topology): Topology => {
    if (topology !== last) {
      last = topology;
      result = withPositions(topology);
    }
    return result ?? topology;
  };
})();

const nodeCache = new Map<string, { inputs: NodeInputs; node: WarrenNode }>();

export const selectFlowNodes = memoSelector(
  (s) => [
    s.topology,
    s.dragPositions,
    s.selectedNodes,
    s.measured,
    s.outsideClients,
    s.outsideObjects,
  ],
  (s): WarrenNode[] => {
    const topology = positioned(s.topology);
    const selected = new Set(s.selectedNodes);
    const seen = new Set<string>();
    const nodes: WarrenNode[] = [];
    const add = (
      item: { id: string; position?: Position },
      make: (base: Omit<WarrenNode, 'type' | 'data'>) => WarrenNode,
    ) => {
      const drag = s.dragPositions[item.id];
      const position = drag ?? item.position ?? { x: 0, y: 0 };
      const inputs: NodeInputs = [
        item,
        position.x,
        position.y,
        selected.has(item.id),
        drag !== undefined,
        s.measured[item.id],
      ];
      seen.add(item.id);
      const cached = nodeCache.get(item.id);
      if (cached && sameInputs(cached.inputs, inputs)) {
        nodes.push(cached.node);
        return;
      }
      const base: Omit<WarrenNode, 'type' | 'data'> = {
        id: item.id,
        position: { x: position.x, y: position.y },
        selected: inputs[3],
        dragging: inputs[4],
      };
      if (inputs[5]) base.measured = inputs[5];
      const node = make(base);
      nodeCache.set(item.id, { inputs, node });
      nodes.push(node);
    };
    for (const p of topology.producers)
      add(p, (base) => ({ ...base, type: 'producer', data: { producer: p } }));
    for (const x of topology.exchanges)
      add(x, (base) => ({ ...base, type: 'exchange', data: { exchange: x } }));
    for (const q of topology.queues)
      add(q, (base) => ({ ...base, type: 'queue', data: { queue: q } }));
    for (const c of topology.consumers ?? [])
      add(c, (base) => ({ ...base, type: 'consumer', data: { consumer: c } }));
    for (const id of nodeCache.keys()) if (!seen.has(id)) nodeCache.delete(id);
    // Clients and objects outside Warren, beside the diagram (not part of the document).
    nodes.push(...outsideNodes(topology, s.outsideClients, s.outsideObjects, s.measured));
    return nodes;
  },
);

/** Ids of the arrowhead markers the canvas defines (React Flow's own cannot follow selection by CSS). */
export const ARROW_MARKER = 'warren-arrow';
export const ARROW_MARKER_SELECTED = 'warren-arrow-selected';
const arrow = (selected: boolean) => (selected ? ARROW_MARKER_SELECTED : ARROW_MARKER);
export const DEAD_LETTER_MARKER = 'warren-arrow-dead-letter';
export const ALTERNATE_MARKER = 'warren-arrow-alternate';

const edgeCache = new Map<string, { inputs: EdgeInputs; edge: WarrenEdge }>();

export const selectFlowEdges = memoSelector(
  (s) => [s.topology, s.selectedEdges, s.outsideClients, s.outsideObjects],
  (s): WarrenEdge[] => {
    const { topology } = s;
    const selected = new Set(s.selectedEdges);
    const exchangeIds = new Map(topology.exchanges.map((x) => [x.name, x.id] as const));
    const exchangeTypes = new Map(topology.exchanges.map((x) => [x.name, x.type] as const));
    const queueIds = new Map(topology.queues.map((q) => [q.name, q.id] as const));
    const seen = new Set<string>();
    const edges: WarrenEdge[] = [];
    const add = (id: string, inputs: EdgeInputs, make: () => WarrenEdge) => {
      seen.add(id);
      const cached = edgeCache.get(id);
      if (cached && sameInputs(cached.inputs, inputs)) {
        edges.push(cached.edge);
        return;
      }
      const edge = make();
      edgeCache.set(id, { inputs, edge });
      edges.push(edge);
    };

    const queueNames = new Set(queueIds.keys());
    for (const p of topology.producers) {
      const direct = defaultExchangeTarget(p, queueNames);
      const target = direct === undefined ? exchangeIds.get(p.exchange) : queueIds.get(direct);
      if (target === undefined) continue;
      const id = producerEdgeId(p.id);
      const isSelected = selected.has(id);
      add(id, [p, p.id, target, isSelected, direct], () => ({
        id,
        type: 'publish',
        source: p.id,
        target,
        selected: isSelected,
        markerEnd: arrow(isSelected),
        data: direct === undefined ? { producer: p } : { producer: p, viaDefault: true },
      }));
    }
    for (const c of topology.consumers ?? []) {
      const source = queueIds.get(c.queue);
      if (source === undefined) continue;
      const id = consumerEdgeId(c.id);
      const isSelected = selected.has(id);
      add(id, [c, source, c.id, isSelected, undefined], () => ({
        id,
        type: 'consume',
        source,
        target: c.id,
        selected: isSelected,
        markerEnd: arrow(isSelected),
        data: { consumer: c },
      }));
    }
    for (const b of topology.bindings) {
      const source = exchangeIds.get(b.source);
      const target =
        b.destinationType === 'queue'
          ? queueIds.get(b.destination)
          : exchangeIds.get(b.destination);
      // Bindings to objects the diagram does not draw (amq.* exchanges) have nowhere to go.
      if (source === undefined || target === undefined) continue;
      const exchangeType = exchangeTypes.get(b.source);
      const isSelected = selected.has(b.id);
      add(b.id, [b, source, target, isSelected, exchangeType], () => ({
        id: b.id,
        type: 'binding',
        source,
        target,
        selected: isSelected,
        markerEnd: arrow(isSelected),
        data: { binding: b, exchangeType },
      }));
    }
    const relation = (
      kind: 'dead-letter' | 'alternate',
      node: { id: string; name: string },
      setting: { value: unknown; source: { from: string; policy?: string } } | undefined,
      routingKey: unknown,
    ) => {
      if (typeof setting?.value !== 'string') return;
      const target = exchangeIds.get(setting.value);
      if (target === undefined) return;
      const id = relationEdgeId(kind, node.id);
      const policy = setting.source.policy;
      const key = typeof routingKey === 'string' ? routingKey : undefined;
      const inputs = JSON.stringify([node.name, setting.value, policy, key]);
      add(id, [node, node.id, target, false, inputs], () => ({
        id,
        type: 'relation',
        source: node.id,
        sourceHandle: kind === 'dead-letter' ? DEAD_LETTER_HANDLE : ALTERNATE_HANDLE,
        target,
        targetHandle: RELATION_TARGET_HANDLE,
        selectable: false,
        deletable: false,
        focusable: false,
        markerEnd: kind === 'dead-letter' ? DEAD_LETTER_MARKER : ALTERNATE_MARKER,
        data: {
          relation: kind,
          from: node.name,
          to: setting.value as string,
          policy,
          routingKey: key,
        },
      }));
    };
    for (const q of topology.queues) {
      const effective = effectiveQueueArguments(topology, q);
      relation(
        'dead-letter',
        q,
        effective.get('x-dead-letter-exchange'),
        effective.get('x-dead-letter-routing-key')?.value,
      );
    }
    for (const x of topology.exchanges)
      relation(
        'alternate',
        x,
        effectiveExchangeArguments(topology, x).get('alternate-exchange'),
        undefined,
      );
    for (const id of edgeCache.keys()) if (!seen.has(id)) edgeCache.delete(id);
    edges.push(...outsideEdges(topology, s.outsideClients, s.outsideObjects, ARROW_MARKER));
    return edges;
  },
);
