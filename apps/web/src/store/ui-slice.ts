import type { EdgeChange, NodeChange, XYPosition } from '@xyflow/react';
import type { StateCreator } from 'zustand';
import type { WarrenState } from './store';

export interface Size {
  width: number;
  height: number;
}

/**
 * What the canvas needs besides the document: selection, where a node is while it is being
 * dragged (committed to the document on drop), and the sizes React Flow measured.
 */
export interface UiSlice {
  selectedNodes: string[];
  selectedEdges: string[];
  dragPositions: Record<string, XYPosition>;
  measured: Record<string, Size>;
  /** Bumped when a diagram arrives from the server, so the canvas zooms to fit it. */
  fitRequest: number;
  /** The policies panel is open over the canvas. */
  policiesOpen: boolean;

  onNodesChange: (changes: NodeChange[]) => void;
  onEdgesChange: (changes: EdgeChange[]) => void;
  select: (selection: { nodes?: string[]; edges?: string[] }) => void;
  requestFit: () => void;
  setPoliciesOpen: (open: boolean) => void;
}

function toggle(list: string[], id: string, on: boolean): string[] {
  const has = list.includes(id);
  if (on === has) return list;
  return on ? [...list, id] : list.filter((x) => x !== id);
}

export const createUiSlice: StateCreator<WarrenState, [], [], UiSlice> = (set, get) => ({
  selectedNodes: [],
  selectedEdges: [],
  dragPositions: {},
  measured: {},
  fitRequest: 0,
  policiesOpen: false,

  onNodesChange: (changes) => {
    let { selectedNodes, dragPositions, measured } = get();
    const removed: string[] = [];
    const dropped: [string, XYPosition][] = [];
    for (const change of changes) {
      switch (change.type) {
        case 'select':
          selectedNodes = toggle(selectedNodes, change.id, change.selected);
          break;
        case 'dimensions':
          if (change.dimensions) {
            const old = measured[change.id];
            if (
              !old ||
              old.width !== change.dimensions.width ||
              old.height !== change.dimensions.height
            ) {
              measured = { ...measured, [change.id]: change.dimensions };
            }
          }
          break;
        case 'position': {
          const position = change.position ?? dragPositions[change.id];
          if (change.dragging) {
            if (change.position) dragPositions = { ...dragPositions, [change.id]: change.position };
          } else {
            if (position) dropped.push([change.id, position]);
            if (change.id in dragPositions) {
              const { [change.id]: _done, ...rest } = dragPositions;
              dragPositions = rest;
            }
          }
          break;
        }
        case 'remove':
          removed.push(change.id);
          break;
        default:
          break;
      }
    }
    set({ selectedNodes, dragPositions, measured });
    // Positions are part of the document, but only the resting place: one edit per drop.
    for (const [id, position] of dropped) get().moveNode(id, position);
    if (removed.length > 0) get().deleteElements(removed);
  },

  onEdgesChange: (changes) => {
    let { selectedEdges } = get();
    const removed: string[] = [];
    for (const change of changes) {
      if (change.type === 'select')
        selectedEdges = toggle(selectedEdges, change.id, change.selected);
      else if (change.type === 'remove') removed.push(change.id);
    }
    set({ selectedEdges });
    if (removed.length > 0) get().deleteElements(removed);
  },

  select: ({ nodes = [], edges = [] }) => set({ selectedNodes: nodes, selectedEdges: edges }),
  requestFit: () => set({ fitRequest: get().fitRequest + 1 }),
  setPoliciesOpen: (open) => set({ policiesOpen: open }),
});
