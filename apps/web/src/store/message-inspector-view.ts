import { create } from 'zustand';

/** Whether the message inspector is open over the canvas. View state only. */
export interface MessageInspectorView {
  open: boolean;
  setOpen: (open: boolean) => void;
  toggle: () => void;
}

export const useMessageInspectorView = create<MessageInspectorView>()((set, get) => ({
  open: false,
  setOpen: (open) => set({ open }),
  toggle: () => set({ open: !get().open }),
}));
