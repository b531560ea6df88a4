import { EdgeLabelRenderer } from '@xyflow/react';
import { useWarren } from '../../store/store';

/** Messages that travelled an edge, as the server counted them from the broker's reports. */
export function useEdgeCount(edgeId: string): number {
  return useWarren((s) => s.counters.edges[edgeId] ?? 0);
}

const TITLE = 'Messages that travelled this edge (counted from the broker’s own reports)';

/** The count inside an edge's own label; nothing until a message travelled it. */
export function EdgeCountText({ edgeId, testId }: { edgeId: string; testId: string }) {
  const count = useEdgeCount(edgeId);
  if (count === 0) return null;
  return (
    <span className="edge-count" data-testid={testId} data-edge-id={edgeId} title={TITLE}>
      {count.toLocaleString('en')}
    </span>
  );
}

/** The count as a small pill on an edge with no label of its own, at (x, y). */
export function EdgeCountPill({
  edgeId,
  testId,
  x,
  y,
}: {
  edgeId: string;
  testId: string;
  x: number;
  y: number;
}) {
  const count = useEdgeCount(edgeId);
  if (count === 0) return null;
  return (
    <EdgeLabelRenderer>
      <span
        className="edge-count edge-count--pill nodrag nopan"
        style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
        data-testid={testId}
        data-edge-id={edgeId}
        title={TITLE}
      >
        {count.toLocaleString('en')}
      </span>
    </EdgeLabelRenderer>
  );
}
