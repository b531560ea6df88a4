import { useStore, type ReactFlowState } from '@xyflow/react';

/**
 * Below this zoom a card's own text is too small to read (13 px drawn at 0.42 is under
 * 6 px on screen): nodes show a compact card, their name and main figure in large type.
 */
export const COMPACT_ZOOM = 0.42;

const selectCompact = (s: ReactFlowState) => s.transform[2] < COMPACT_ZOOM;

/**
 * Whether the canvas is zoomed out far enough for compact cards. A boolean, so a node
 * re-renders when the zoom crosses the threshold, not on every step of a zoom.
 */
export function useCompactZoom(): boolean {
  return useStore(selectCompact);
}
