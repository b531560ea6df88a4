import { create } from 'zustand';

/**
 * Which reliable producer's outbox table is open over the canvas. View state only: the rows
 * are read from the server while the table is open, never kept in the document.
 */
export interface OutboxView {
  producerId: string | null;
  open: (producerId: string) => void;
  close: () => void;
  toggle: (producerId: string) => void;
}

export const useOutboxView = create<OutboxView>()((set, get) => ({
  producerId: null,
  open: (producerId) => set({ producerId }),
  close: () => set({ producerId: null }),
  toggle: (producerId) => set({ producerId: get().producerId === producerId ? null : producerId }),
}));
