import {
  copySelection,
  fragmentSize,
  pasteFragment,
  type DiagramFragment,
  type Position,
  type Topology,
} from '@warren/topology';
import type { StateCreator } from 'zustand';
import type { Size } from '../canvas-inputs';
import { loadedLayout } from '../canvas/derive/layout-loader';
import { estimatedSize } from '../canvas/node-sizes';
import type { EditingSlice, WarrenState } from './state';

/** The space between what a paste or duplicate copies and the copy, which goes below it. */
export const PASTE_GAP = 40;
/** The grid nodes snap to when snapping is on: the spacing of the canvas's dots. */
export const GRID = 22;

/** Names on the broker the diagram does not draw, which a pasted copy must not take. */
function namesOnBroker(state: WarrenState): { exchanges: string[]; queues: string[] } {
  const exchanges: string[] = [];
  const queues: string[] = [];
  for (const key of [...Object.keys(state.outsideObjects), ...state.outsideNames]) {
    if (key.startsWith('exchange:')) exchanges.push(key.slice('exchange:'.length));
    else if (key.startsWith('queue:')) queues.push(key.slice('queue:'.length));
  }
  return { exchanges, queues };
}

/** How tall the copied nodes stand together on the canvas, measured where known. */
function fragmentHeight(fragment: DiagramFragment, measured: Record<string, Size>): number {
  let top = Infinity;
  let bottom = -Infinity;
  const add = (
    nodes: readonly { id: string; position?: Position }[],
    kind: keyof typeof estimatedSize,
  ) => {
    for (const node of nodes) {
      if (!node.position) continue;
      top = Math.min(top, node.position.y);
      const height = measured[node.id]?.height ?? estimatedSize[kind].height;
      bottom = Math.max(bottom, node.position.y + height);
    }
  };
  add(fragment.producers, 'producer');
  add(fragment.exchanges, 'exchange');
  add(fragment.queues, 'queue');
  add(fragment.consumers, 'consumer');
  return bottom > top ? bottom - top : 0;
}

/**
 * The document's nodes with a position each, as the canvas draws them. A node without one is
 * drawn only once the layout has been fetched, so without the layout it is not on the canvas.
 */
function positioned(topology: Topology): Topology {
  return loadedLayout()?.(topology) ?? topology;
}

export const createEditingSlice: StateCreator<WarrenState, [], [], EditingSlice> = (set, get) => {
  const copyOfSelection = (): DiagramFragment | null => {
    const { topology, selectedNodes } = get();
    const fragment = copySelection(positioned(topology), selectedNodes);
    return fragmentSize(fragment) > 0 ? fragment : null;
  };

  const pasteInto = (fragment: DiagramFragment, times: number) => {
    const state = get();
    if (state.viewing) return;
    // Below the originals, clear of them, each paste of the same copy further down.
    const step = fragmentHeight(fragment, state.measured) + PASTE_GAP;
    const offset = { x: 0, y: step * times };
    // The document itself, not its laid-out copy: nodes without a position keep none.
    const pasted = pasteFragment(state.topology, fragment, {
      offset,
      taken: namesOnBroker(state),
    });
    state.addPasted(pasted.topology, pasted.nodeIds, pasted.bindingIds);
  };

  return {
    clipboard: null,
    pasteCount: 0,
    snapToGrid: false,

    copySelection: () => {
      const fragment = copyOfSelection();
      if (fragment) set({ clipboard: fragment, pasteCount: 0 });
      return fragment;
    },
    cutSelection: () => {
      const fragment = get().copySelection();
      if (fragment) get().deleteSelection();
      return fragment;
    },
    paste: () => {
      const { clipboard, pasteCount } = get();
      if (!clipboard || get().viewing) return;
      set({ pasteCount: pasteCount + 1 });
      pasteInto(clipboard, pasteCount + 1);
    },
    duplicate: () => {
      const fragment = copyOfSelection();
      if (fragment) pasteInto(fragment, 1);
    },
    deleteSelection: () => {
      const { selectedNodes, selectedEdges } = get();
      get().deleteElements([...selectedNodes, ...selectedEdges]);
    },
    selectAll: () => {
      const { topology } = get();
      get().select({
        nodes: [
          ...topology.producers,
          ...topology.exchanges,
          ...topology.queues,
          ...(topology.consumers ?? []),
        ].map((n) => n.id),
      });
    },
    nudge: (dx, dy) => {
      const { topology, selectedNodes, snapToGrid, viewing } = get();
      if (viewing || selectedNodes.length === 0) return;
      const chosen = new Set(selectedNodes);
      const laid = positioned(topology);
      const moves: Record<string, Position> = {};
      for (const node of [
        ...laid.producers,
        ...laid.exchanges,
        ...laid.queues,
        ...(laid.consumers ?? []),
      ]) {
        if (!chosen.has(node.id) || !node.position) continue;
        let x = node.position.x + dx;
        let y = node.position.y + dy;
        if (snapToGrid) {
          x = Math.round(x / GRID) * GRID;
          y = Math.round(y / GRID) * GRID;
        }
        moves[node.id] = { x, y };
      }
      get().moveNodes(moves, `nudge:${Object.keys(moves).sort().join(',')}`);
    },
    setSnapToGrid: (on) => set({ snapToGrid: on }),
  };
};
