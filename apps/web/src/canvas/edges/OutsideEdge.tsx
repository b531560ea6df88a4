import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { OutsideFlowEdge } from '../derive/outside-elements';
import { EdgeCountPill } from './EdgeCount';
import { useAnimatedBezier } from './useAnimatedBezier';

/**
 * A dashed line between a client outside Warren and an exchange it publishes to or a queue it
 * reads: its messages travel it like any other, and it counts them.
 */
function OutsideEdgeView(props: EdgeProps<OutsideFlowEdge>) {
  const { id, markerEnd, style } = props;
  const [path, labelX, labelY] = useAnimatedBezier(props);
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={0} />
      <EdgeCountPill edgeId={id} testId={`edge-count-${id}`} x={labelX} y={labelY} />
    </>
  );
}

export const OutsideEdge = memo(OutsideEdgeView);
