import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useRouteHighlight } from '../../store/explain-route';
import type { PublishFlowEdge } from '../../store/flow-elements';
import { EdgeCountPill } from './EdgeCount';
import { useAnimatedBezier } from './useAnimatedBezier';

/**
 * A producer's line into the exchange it publishes to. It has no key of its own to show, only
 * how many messages went along it.
 */
function PublishEdgeView(props: EdgeProps<PublishFlowEdge>) {
  const { id, selected, markerEnd, data } = props;
  const [path, labelX, labelY] = useAnimatedBezier(props);
  const route = useRouteHighlight(id);
  const producer = data?.producer;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`publish-edge ${selected ? 'is-selected' : ''} ${route}`}
        interactionWidth={22}
      />
      {producer && (
        <EdgeCountPill
          edgeId={id}
          testId={`edge-count-${producer.name}-${producer.exchange}`}
          x={labelX}
          y={labelY}
        />
      )}
    </>
  );
}

export const PublishEdge = memo(PublishEdgeView);
