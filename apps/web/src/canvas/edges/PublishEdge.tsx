import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useRouteHighlight } from '../../store/explain-route';
import type { PublishFlowEdge } from '../../store/flow-elements';
import { useRegisteredPath } from './useRegisteredPath';

/** A producer's line into the exchange it publishes to. It has no key of its own to show. */
function PublishEdgeView({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  selected,
  markerEnd,
}: EdgeProps<PublishFlowEdge>) {
  const [path] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  useRegisteredPath(id, path);
  const route = useRouteHighlight(id);
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={markerEnd}
      className={`publish-edge ${selected ? 'is-selected' : ''} ${route}`}
      interactionWidth={22}
    />
  );
}

export const PublishEdge = memo(PublishEdgeView);
