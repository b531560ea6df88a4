import { create } from 'zustand';
import { createDerivations } from '../canvas/derive/derivations';
import { createDiagramSlice } from './diagram-slice';
import { createDocumentSlice } from './document-slice';
import { createEditingSlice } from './editing-slice';
import { createExplainSlice } from './explain-slice';
import { createLessonSlice } from './lesson-slice';
import { createLiveSlice } from './live-slice';
import { createSessionSlice } from './session-slice';
import type { WarrenState } from './state';
import { createUiSlice } from './ui-slice';

export type { WarrenState } from './state';

/**
 * Builds a fresh store; the app uses one, tests make their own. What the canvas and panels
 * derive from it (`derived`) is cached per store, made here with it.
 */
export function createWarrenStore() {
  const useStore = create<WarrenState>()((...a) => ({
    ...createDocumentSlice(...a),
    ...createUiSlice(...a),
    ...createSessionSlice(...a),
    ...createLiveSlice(...a),
    ...createExplainSlice(...a),
    ...createDiagramSlice(...a),
    ...createLessonSlice(...a),
    ...createEditingSlice(...a),
  }));
  return Object.assign(useStore, { derived: createDerivations() });
}

export const useWarren = createWarrenStore();
