import type { XYPosition } from '@xyflow/react';
import type { StateCreator } from 'zustand';
import type { UiSlice, WarrenState } from './state';

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
  animationSpeed: 1,
  animationPaused: false,
  theme: 'light',
  themeChosen: false,
  presentation: false,

  onNodesChange: (changes) => {
    let { selectedNodes, dragPositions, measured } = get();
    const removed: string[] = [];
    const dropped: Record<string, XYPosition> = {};
    // A position that comes without a drag before it is a step of an arrow-key nudge.
    let nudged = false;
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
            if (position) dropped[change.id] = position;
            if (!(change.id in dragPositions)) nudged = true;
            else {
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
    // Positions are part of the document, but only the resting place: one edit per drop, and
    // one for a run of arrow-key steps.
    const moved = Object.keys(dropped);
    if (moved.length > 0)
      get().moveNodes(dropped, nudged ? `nudge:${moved.sort().join(',')}` : undefined);
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
  setAnimationSpeed: (animationSpeed) => set({ animationSpeed }),
  setAnimationPaused: (animationPaused) => set({ animationPaused }),
  setTheme: (theme, themeChosen) => set({ theme, themeChosen }),
  setPresentation: (presentation) => set({ presentation }),
});
