import { create } from 'zustand';
import { createDocumentSlice, type DocumentSlice } from './document-slice';
import { createExplainSlice, type ExplainSlice } from './explain-slice';
import { createLiveSlice, type LiveSlice } from './live-slice';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type WarrenState = DocumentSlice & UiSlice & SessionSlice & LiveSlice & ExplainSlice;

/** Builds a fresh store; the app uses one, tests make their own. */
export function createWarrenStore() {
  return create<WarrenState>()((...a) => ({
    ...createDocumentSlice(...a),
    ...createUiSlice(...a),
    ...createSessionSlice(...a),
    ...createLiveSlice(...a),
    ...createExplainSlice(...a),
  }));
}

export const useWarren = createWarrenStore();
