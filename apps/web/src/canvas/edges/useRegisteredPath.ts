import { useLayoutEffect } from 'react';
import { registerEdgePath, unregisterEdgePath } from '../../live/edge-geometry';

/** Publishes an edge's current SVG path to the animation layer, which samples points on it. */
export function useRegisteredPath(edgeId: string, path: string): void {
  useLayoutEffect(() => {
    registerEdgePath(edgeId, path);
    return () => unregisterEdgePath(edgeId, path);
  }, [edgeId, path]);
}
