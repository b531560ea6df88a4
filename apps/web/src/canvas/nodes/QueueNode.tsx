import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { DEAD_LETTER_HANDLE, type QueueFlowNode } from '../derive/flow-elements';
import {
  selectDeepestQueue,
  useElementErrors,
  useMissingOnBroker,
  useQueueStats,
} from '../../store/selectors';
import { useWarren } from '../../store/store';
import { FaultMenu, MissingBadge } from './FaultMenu';
import { OutsideBadge } from './OutsideBadge';
import { QueueBadges } from './NodeBadges';
import { QueueIcon } from './NodeIcons';
import { InertHandle } from './InertHandle';
import { NodeHeader } from './NodeHeader';
import { NodeErrors } from './NodeErrors';
import { useCompactZoom } from '../zoom';
import { CompactCard } from './CompactCard';
import { useHistory } from '../../live/live-history';
import { Sparkline } from './Sparkline';

/** The queue's depth over the last minute, one sample a second. */
function DepthSparkline({ name }: { name: string }) {
  const values = useHistory('queue-depth', name);
  const now = values.at(-1);
  return (
    <div className="queue-sparkline" title="Messages ready in this queue over the last minute">
      <Sparkline
        values={values}
        testId={`queue-sparkline-${name}`}
        label={`Depth of ${name} over the last minute${now === undefined ? '' : `, now ${now}`}`}
      />
    </div>
  );
}

function QueueNodeView({ id, data, selected }: NodeProps<QueueFlowNode>) {
  const { queue } = data;
  const errors = useElementErrors(id);
  const stats = useQueueStats(queue.name);
  const deepest = useWarren(selectDeepestQueue);
  const missing = useMissingOnBroker(`queue:${queue.name}`);
  const compact = useCompactZoom();
  const ready = stats?.messages ?? 0;
  // Bars compare queues with each other; below ten messages they compare with ten.
  const fill = Math.min(1, ready / Math.max(10, deepest));
  const className = [
    'node',
    'node--queue',
    selected ? 'is-selected' : '',
    errors.length > 0 ? 'has-error' : '',
    missing ? 'is-missing' : '',
    compact ? 'is-compact' : '',
  ].join(' ');
  return (
    <div className={className} data-testid={`queue-node-${queue.name}`}>
      <Handle type="target" position={Position.Left} />
      {compact && (
        <CompactCard
          kind="Queue"
          name={queue.name}
          figure={`${ready.toLocaleString('en')} ready`}
          testId={`queue-compact-${queue.name}`}
        />
      )}
      <NodeHeader icon={<QueueIcon />} kind="Queue">
        <span
          className={`consumer-badge ${stats && stats.consumers > 0 ? 'consumer-badge--active' : ''}`}
          title="Consumers subscribed to this queue"
          data-testid={`queue-consumers-${queue.name}`}
        >
          {stats?.consumers ?? 0} consumer{stats?.consumers === 1 ? '' : 's'}
        </span>
        <FaultMenu kind="queue" nodeId={id} name={queue.name} />
      </NodeHeader>
      <div className="node__name" title={queue.name}>
        {queue.name || <em className="node__unnamed">unnamed</em>}
      </div>
      <div className="queue-stats">
        <div className="queue-stats__ready">
          <span className="queue-stats__number" data-testid={`queue-depth-${queue.name}`}>
            {ready}
          </span>
          <span className="queue-stats__unit">ready</span>
        </div>
        {stats?.unacked !== undefined && (
          <div className="queue-stats__unacked">
            <span
              className="queue-stats__number queue-stats__number--small"
              data-testid={`queue-unacked-${queue.name}`}
            >
              {stats.unacked}
            </span>
            <span className="queue-stats__unit">unacked</span>
          </div>
        )}
      </div>
      <div className="depth-bar" aria-hidden="true">
        <div className="depth-bar__fill" style={{ transform: `scaleX(${fill})` }} />
      </div>
      <DepthSparkline name={queue.name} />
      <QueueBadges queue={queue} />
      <MissingBadge kind="queue" name={queue.name} />
      <OutsideBadge kind="queue" name={queue.name} exclusive={queue.exclusive} />
      <NodeErrors name={queue.name} errors={errors} />
      {/* Queues feed consumers: drag from here to a consumer. */}
      <Handle type="source" position={Position.Right} />
      {/* Dead letters leave from below, apart from the flow of routed messages. It comes after
          the right handle, which stays the one edges without a handle id use. */}
      <InertHandle type="source" id={DEAD_LETTER_HANDLE} position={Position.Bottom} />
    </div>
  );
}

export const QueueNode = memo(QueueNodeView);
