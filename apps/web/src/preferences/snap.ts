import { useWarren } from '../store/store';

/** Snap to grid: off until the reader turns it on, which this browser then remembers. */

const STORAGE_KEY = 'warren.snapToGrid';

/** Restores the remembered choice and remembers every change of it. */
export function startSnap(): void {
  try {
    if (localStorage.getItem(STORAGE_KEY) === 'on') useWarren.getState().setSnapToGrid(true);
  } catch {
    // Without storage snapping starts off, as on a first visit.
  }
  useWarren.subscribe((state, before) => {
    if (state.snapToGrid === before.snapToGrid) return;
    try {
      localStorage.setItem(STORAGE_KEY, state.snapToGrid ? 'on' : 'off');
    } catch {
      // The choice lasts until the page is reloaded.
    }
  });
}
