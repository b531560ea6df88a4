import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ConsumeFlowEdge } from '../../store/flow-elements';
import { useAnimatedBezier } from './useAnimatedBezier';

/** A queue's line to a consumer reading it: deliveries travel it, requeued messages come back. */
function ConsumeEdgeView(props: EdgeProps<ConsumeFlowEdge>) {
  const { id, selected, markerEnd } = props;
  const [path] = useAnimatedBezier(props);
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
