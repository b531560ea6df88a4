import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
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
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={markerEnd}
      className={`publish-edge ${selected ? 'is-selected' : ''}`}
      interactionWidth={22}
    />
  );
}

export const PublishEdge = memo(PublishEdgeView);
