import type { Position, Topology } from '@warren/topology';
import type { DerivationInputs, Size } from '../../canvas-inputs';
import type { WarrenNode } from './flow-elements';
import { loadedLayout, loadLayout } from './layout-loader';
import { createItemCache, memoOn } from './memo';
import { createOutsideNodes } from './outside-elements';

/** What the nodes are drawn from. */
export type FlowNodeInput = Pick<
  DerivationInputs,
  'topology' | 'dragPositions' | 'selectedNodes' | 'measured' | 'outsideClients' | 'outsideObjects'
>;

type NodeInputs = readonly [
  item: object,
  x: number,
  y: number,
  selected: boolean,
  dragging: boolean,
  measured: Size | undefined,
];

const placed = (item: { position?: Position | undefined }) => item.position !== undefined;

/**
 * Documents from elsewhere (the scripting API, clients declaring objects) may lack positions:
 * show them laid out in columns (producers, exchanges, queues, consumers) until moved. The
 * layout is fetched the first time it is needed; until it is there (a moment), nodes without
 * a position are not drawn.
 */
export function withPositions(topology: Topology): Topology {
  const all = [
    ...topology.producers,
    ...topology.exchanges,
    ...topology.queues,
    ...(topology.consumers ?? []),
  ];
  if (all.every(placed)) return topology;
  const layout = loadedLayout();
  if (layout) return layout(topology);
  void loadLayout();
  const result: Topology = {
    ...topology,
    producers: topology.producers.filter(placed),
    exchanges: topology.exchanges.filter(placed),
    queues: topology.queues.filter(placed),
  };
  if (topology.consumers) result.consumers = topology.consumers.filter(placed);
  return result;
}

/**
 * Makes the function that derives the canvas nodes from the document, with caches of its own:
 * each node object is reused while its inputs stay the same, so React Flow (which compares by
 * identity) only does work for what changed.
 */
export function createFlowNodes(): (input: FlowNodeInput) => WarrenNode[] {
  const positioned = memoOn((topology: Topology) => [topology, loadedLayout()], withPositions);
  const cache = createItemCache<string, NodeInputs, WarrenNode>();
  const outsideNodes = createOutsideNodes();
  return memoOn(
    (s: FlowNodeInput) => [
      s.topology,
      s.dragPositions,
      s.selectedNodes,
      s.measured,
      s.outsideClients,
      s.outsideObjects,
      loadedLayout(),
    ],
    (s) => {
      const topology = positioned(s.topology);
      const selected = new Set(s.selectedNodes);
      const nodes: WarrenNode[] = [];
      cache.begin();
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
        nodes.push(
          cache.get(item.id, inputs, () => {
            const base: Omit<WarrenNode, 'type' | 'data'> = {
              id: item.id,
              position: { x: position.x, y: position.y },
              selected: inputs[3],
              dragging: inputs[4],
            };
            if (inputs[5]) base.measured = inputs[5];
            return make(base);
          }),
        );
      };
      for (const p of topology.producers)
        add(p, (base) => ({ ...base, type: 'producer', data: { producer: p } }));
      for (const x of topology.exchanges)
        add(x, (base) => ({ ...base, type: 'exchange', data: { exchange: x } }));
      for (const q of topology.queues)
        add(q, (base) => ({ ...base, type: 'queue', data: { queue: q } }));
      for (const c of topology.consumers ?? [])
        add(c, (base) => ({ ...base, type: 'consumer', data: { consumer: c } }));
      cache.end();
      // Clients and objects outside Warren, beside the diagram (not part of the document).
      nodes.push(...outsideNodes(topology, s.outsideClients, s.outsideObjects, s.measured));
      return nodes;
    },
  );
}
