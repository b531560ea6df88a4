import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ConsumeFlowEdge } from '../../store/flow-elements';
import { useRegisteredPath } from './useRegisteredPath';

/** A queue's line to a consumer reading it: deliveries travel it, requeued messages come back. */
function ConsumeEdgeView({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  selected,
  markerEnd,
}: EdgeProps<ConsumeFlowEdge>) {
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
      className={`consume-edge ${selected ? 'is-selected' : ''}`}
      interactionWidth={22}
    />
  );
}

export const ConsumeEdge = memo(ConsumeEdgeView);
