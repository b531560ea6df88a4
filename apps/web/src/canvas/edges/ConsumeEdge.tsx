import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ConsumeFlowEdge } from '../derive/flow-elements';
import { EdgeCountPill } from './EdgeCount';
import { useAnimatedBezier } from './useAnimatedBezier';

/** A queue's line to a consumer reading it: deliveries travel it, requeued messages come back. */
function ConsumeEdgeView(props: EdgeProps<ConsumeFlowEdge>) {
  const { id, selected, markerEnd, data } = props;
  const [path, labelX, labelY] = useAnimatedBezier(props);
  const consumer = data?.consumer;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`consume-edge ${selected ? 'is-selected' : ''}`}
        interactionWidth={22}
      />
      {consumer && (
        <EdgeCountPill
          edgeId={id}
          testId={`edge-count-${consumer.queue}-${consumer.name}`}
          x={labelX}
          y={labelY}
        />
      )}
    </>
  );
}

export const ConsumeEdge = memo(ConsumeEdgeView);
