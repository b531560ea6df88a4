import { useCallback } from 'react';
import { useWarren, type WarrenState } from '../../store/store';

const { derived } = useWarren;

/**
 * The class an edge adds while the explain panel is open: lit on the route, dimmed off it.
 * Empty while the panel is closed, so edges look as always.
 */
export function useRouteHighlight(edgeId: string): string {
  return useWarren(
    useCallback(
      (s: WarrenState) => {
        const highlight = derived.routeHighlight(s);
        if (!highlight) return '';
        return `route-mark route-mark--${highlight.edges.get(edgeId) ?? 'off'}`;
      },
      [edgeId],
    ),
  );
}
