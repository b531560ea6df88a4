import { getBezierPath, type Position } from '@xyflow/react';
import { useLayoutEffect } from 'react';
import { registerEdgePath, unregisterEdgePath } from '../../live/edge-geometry';

/** Publishes an edge's current SVG path to the animation layer, which samples points on it. */
function useRegisteredPath(edgeId: string, path: string): void {
  useLayoutEffect(() => {
    registerEdgePath(edgeId, path);
    return () => unregisterEdgePath(edgeId, path);
  }, [edgeId, path]);
}

/** The endpoints React Flow gives every edge. */
interface EdgeEnds {
  id: string;
  sourceX: number;
  sourceY: number;
  targetX: number;
  targetY: number;
  sourcePosition: Position;
  targetPosition: Position;
}

/**
 * The Bezier curve every Warren edge draws, registered for the animation layer so messages can
 * travel it. Returns the path and the point for a label, as getBezierPath does.
 */
export function useAnimatedBezier({
  id,
  ...ends
}: EdgeEnds): [path: string, labelX: number, labelY: number] {
  const [path, labelX, labelY] = getBezierPath(ends);
  useRegisteredPath(id, path);
  return [path, labelX, labelY];
}
