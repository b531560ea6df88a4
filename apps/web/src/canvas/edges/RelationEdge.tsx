import { BaseEdge, EdgeLabelRenderer, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useRouteHighlight } from './useRouteHighlight';
import type { RelationFlowEdge } from '../derive/flow-elements';
import { EdgeCountText } from './EdgeCount';
import { useAnimatedBezier } from './useAnimatedBezier';
import './edge-labels.css';

const words = {
  'dead-letter': {
    label: 'dead letters',
    title: (from: string, to: string) =>
      `Messages that expire, are rejected or overflow in queue ${from} are republished to exchange ${to}.`,
  },
  alternate: {
    label: 'unroutable',
    title: (from: string, to: string) =>
      `Messages that match no binding of exchange ${from} go to exchange ${to} instead of being dropped.`,
  },
} as const;

/**
 * A dashed line for where dead letters or unroutable messages go (and travel, on the canvas). It
 * comes from arguments or a policy, so it is edited in the inspector, not on the canvas.
 */
function RelationEdgeView(props: EdgeProps<RelationFlowEdge>) {
  const { id, markerEnd, data } = props;
  const [path, labelX, labelY] = useAnimatedBezier(props);
  const route = useRouteHighlight(id);
  if (!data) return null;
  const { relation, from, to, policy, routingKey } = data;
  const text = words[relation];
  const title = [
    text.title(from, to),
    routingKey === undefined ? '' : `They get routing key '${routingKey}'.`,
    policy === undefined ? '' : `Set by policy ${policy}.`,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <BaseEdge
        path={path}
        markerEnd={markerEnd}
        className={`relation-edge relation-edge--${relation} ${route}`}
        interactionWidth={0}
      />
      <EdgeLabelRenderer>
        <div
          className={`relation-label relation-label--${relation} nodrag nopan ${route}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`${relation}-edge-${from}-${to}`}
          title={title}
        >
          {text.label}
          {routingKey !== undefined && <code className="relation-label__key">{routingKey}</code>}
          {policy !== undefined && <span className="relation-label__policy">by policy</span>}
          <EdgeCountText edgeId={id} testId={`edge-count-${from}-${to}`} />
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const RelationEdge = memo(RelationEdgeView);
