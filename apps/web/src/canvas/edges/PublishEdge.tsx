import { BaseEdge, EdgeLabelRenderer, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useRouteHighlight } from './useRouteHighlight';
import type { PublishFlowEdge } from '../derive/flow-elements';
import { EdgeCountPill, EdgeCountText } from './EdgeCount';
import { useAnimatedBezier } from './useAnimatedBezier';

/**
 * A producer's line into the exchange it publishes to, with how many messages went along it.
 * A producer of the default exchange with one fixed key gets a line straight to the queue the
 * key names, labelled as going through the default exchange.
 */
function PublishEdgeView(props: EdgeProps<PublishFlowEdge>) {
  const { id, selected, markerEnd, data } = props;
  const [path, labelX, labelY] = useAnimatedBezier(props);
  const route = useRouteHighlight(id);
  const producer = data?.producer;
  const viaDefault = data?.viaDefault === true;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`publish-edge ${viaDefault ? 'publish-edge--default' : ''} ${selected ? 'is-selected' : ''} ${route}`}
        interactionWidth={22}
      />
      {producer && viaDefault && (
        <EdgeLabelRenderer>
          <div
            className="default-exchange-label nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`default-exchange-edge-${producer.name}-${producer.routingKey}`}
            title={`Published to the default exchange with routing key '${producer.routingKey}': it delivers to the queue of that name.`}
          >
            default exchange
            <EdgeCountText
              edgeId={id}
              testId={`edge-count-${producer.name}-${producer.routingKey}`}
            />
          </div>
        </EdgeLabelRenderer>
      )}
      {producer && !viaDefault && (
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
