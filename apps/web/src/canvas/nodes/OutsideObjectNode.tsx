import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { OutsideObjectFlowNode } from '../derive/outside-elements';
import { useQueueStats } from '../../store/selectors';
import { ExchangeIcon, QueueIcon } from './NodeIcons';
import './outside-nodes.css';

/**
 * An exchange or queue a client outside Warren declared on the vhost. The diagram does not
 * have it, so it is drawn apart, dashed, and Apply leaves it alone.
 */
function OutsideObjectNodeView({ data }: NodeProps<OutsideObjectFlowNode>) {
  const { kind, name } = data;
  const stats = useQueueStats(name);
  return (
    <div
      className={`node node--outside node--outside-object node--${kind}`}
      data-testid={`outside-${kind}-${name}`}
    >
      <Handle
        type="target"
        position={Position.Left}
        className="handle--inert"
        isConnectable={false}
      />
      <div className="node__header">
        <span className="node__icon">{kind === 'queue' ? <QueueIcon /> : <ExchangeIcon />}</span>
        <span className="node__kind">{kind === 'queue' ? 'Queue' : 'Exchange'}</span>
        <span
          className="outside-badge outside-badge--end"
          data-testid={`outside-badge-${name}`}
          title="Declared on the broker by a client outside Warren; not part of this diagram"
        >
          outside
        </span>
      </div>
      <div className="node__name" title={name}>
        {name}
      </div>
      <div className="node__note">
        {kind === 'queue' && stats ? (
          <>
            <strong className="outside-object__depth" data-testid={`outside-depth-${name}`}>
              {stats.messages}
            </strong>{' '}
            ready · declared outside Warren
          </>
        ) : (
          'declared outside Warren'
        )}
      </div>
      <Handle
        type="source"
        position={Position.Right}
        className="handle--inert"
        isConnectable={false}
      />
    </div>
  );
}

export const OutsideObjectNode = memo(OutsideObjectNodeView);
