import {
  consumerEdgeId,
  defaultExchangeTarget,
  effectiveExchangeArguments,
  effectiveQueueArguments,
  producerEdgeId,
  relationEdgeId,
} from '@warren/topology';
import type { DerivationInputs } from '../../canvas-inputs';
import {
  ALTERNATE_HANDLE,
  ALTERNATE_MARKER,
  ARROW_MARKER,
  ARROW_MARKER_SELECTED,
  DEAD_LETTER_HANDLE,
  DEAD_LETTER_MARKER,
  RELATION_TARGET_HANDLE,
  type WarrenEdge,
} from './flow-elements';
import { createItemCache, memoOn } from './memo';
import { createOutsideEdges } from './outside-elements';

/** What the edges are drawn from. */
export type FlowEdgeInput = Pick<
  DerivationInputs,
  'topology' | 'selectedEdges' | 'outsideClients' | 'outsideObjects' | 'directReplies'
>;

type EdgeInputs = readonly [
  item: object,
  source: string,
  target: string,
  selected: boolean,
  extra: unknown,
];

const arrow = (selected: boolean) => (selected ? ARROW_MARKER_SELECTED : ARROW_MARKER);

/**
 * Makes the function that derives the canvas edges from the document: publish and consume
 * lines, bindings, and the dead-letter and alternate-exchange relations. Like the nodes, each
 * edge object is reused while its inputs stay the same; the cache is this function's own.
 */
export function createFlowEdges(): (input: FlowEdgeInput) => WarrenEdge[] {
  const cache = createItemCache<string, EdgeInputs, WarrenEdge>();
  const outsideEdges = createOutsideEdges();
  return memoOn(
    (s: FlowEdgeInput) => [
      s.topology,
      s.selectedEdges,
      s.outsideClients,
      s.outsideObjects,
      s.directReplies,
    ],
    (s) => {
      const { topology } = s;
      const selected = new Set(s.selectedEdges);
      const exchangeIds = new Map(topology.exchanges.map((x) => [x.name, x.id] as const));
      const exchangeTypes = new Map(topology.exchanges.map((x) => [x.name, x.type] as const));
      const queueIds = new Map(topology.queues.map((q) => [q.name, q.id] as const));
      const edges: WarrenEdge[] = [];
      cache.begin();
      const add = (id: string, inputs: EdgeInputs, make: () => WarrenEdge) => {
        edges.push(cache.get(id, inputs, make));
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
      cache.end();
      edges.push(
        ...outsideEdges(
          topology,
          s.outsideClients,
          s.outsideObjects,
          ARROW_MARKER,
          s.directReplies,
        ),
      );
      return edges;
    },
  );
}
