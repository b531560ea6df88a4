import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useRouteHighlight } from '../../store/explain-route';
import type { PublishFlowEdge } from '../../store/flow-elements';
import { useAnimatedBezier } from './useAnimatedBezier';

/** A producer's line into the exchange it publishes to. It has no key of its own to show. */
function PublishEdgeView(props: EdgeProps<PublishFlowEdge>) {
  const { id, selected, markerEnd } = props;
  const [path] = useAnimatedBezier(props);
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
