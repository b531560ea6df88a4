import type { StateCreator } from 'zustand';
import type { DiagramSlice, WarrenState } from './state';

let toastIds = 0;

export const createDiagramSlice: StateCreator<WarrenState, [], [], DiagramSlice> = (set, get) => ({
  diagram: null,
  draftName: 'Untitled diagram',
  viewing: false,
  diagramDialog: null,
  saving: false,
  saveProblem: null,
  conflict: null,
  toast: null,

  setDiagram: (diagram) => set({ diagram, saveProblem: null, conflict: null }),
  renameDiagram: (name) => {
    const diagram = get().diagram;
    if (diagram) set({ diagram: { ...diagram, name } });
    else set({ draftName: name });
  },
  setViewing: (viewing) => set({ viewing }),
  openDiagramDialog: (diagramDialog) => set({ diagramDialog }),
  saveStarted: () => set({ saving: true, saveProblem: null }),
  saveFinished: (outcome = {}) =>
    set({
      saving: false,
      saveProblem: outcome.problem ?? null,
      conflict: outcome.conflict ?? null,
    }),
  showToast: (toast) => {
    const id = ++toastIds;
    set({ toast: { ...toast, id } });
    return id;
  },
  dismissToast: (id) => {
    if (id === undefined || get().toast?.id === id) set({ toast: null });
  },
});
