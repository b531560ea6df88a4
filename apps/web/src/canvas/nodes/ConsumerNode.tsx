import { Handle, Position, type NodeProps } from '@xyflow/react';
import { InertHandle } from './InertHandle';
import { memo, useCallback, type MouseEvent } from 'react';
import { controlConsumer, type ConsumerAction } from '../../live/consumer-commands';
import type { ConsumerFlowNode } from '../derive/flow-elements';
import type { ConsumerState } from '../../store/state';
import { selectReadOnly, useConsumerState, useElementErrors } from '../../store/selectors';
import { useWarren } from '../../store/store';
import { consumerSummary } from './consumer-summary';
import { ConsumerIcon, Glyph, Stroke } from './NodeIcons';
import { NodeHeader } from './NodeHeader';
import { NodeErrors } from './NodeErrors';
import { useCompactZoom } from '../zoom';
import { CompactCard } from './CompactCard';
import './consumer-node.css';

/** What the status pill says; before the first Apply there is no state to show. */
const statusWords: Record<ConsumerState['status'] | 'idle', string> = {
  running: 'running',
  paused: 'paused',
  stopped: 'stopped',
  killed: 'killed',
  error: 'error',
  idle: 'not started',
};

const counters: { key: keyof ConsumerState; label: string; testId: string; title: string }[] = [
  {
    key: 'received',
    label: 'received',
    testId: 'received',
    title: 'Messages the broker delivered to this consumer',
  },
  { key: 'acked', label: 'acked', testId: 'acked', title: 'Acknowledged: done with' },
  {
    key: 'inFlight',
    label: 'in flight',
    testId: 'inflight',
    title: 'Delivered and not acknowledged yet: the broker counts them as unacked',
  },
  {
    key: 'rejected',
    label: 'rejected',
    testId: 'rejected',
    title: 'Rejected without requeue: dead-lettered when the queue has a DLX, dropped otherwise',
  },
  {
    key: 'requeued',
    label: 'requeued',
    testId: 'requeued',
    title: 'Sent back to the queue (nack with requeue); they come again marked redelivered',
  },
  {
    key: 'duplicates',
    label: 'duplicates',
    testId: 'duplicates',
    title: 'Message ids seen before, skipped by an idempotent consumer',
  },
];

/** Shown by RPC responders only. */
const repliedCounter = {
  key: 'replied' as const,
  label: 'replied',
  testId: 'replied',
  title: 'Replies sent to the reply_to queue, each with the request’s correlation_id',
};

function ControlButton({
  action,
  name,
  label,
  title,
  onClick,
}: {
  action: ConsumerAction;
  name: string;
  label: string;
  title: string;
  onClick: (action: ConsumerAction) => void;
}) {
  return (
    <button
      type="button"
      className={`consumer-control consumer-control--${action} nodrag`}
      data-testid={`consumer-${action}-${name}`}
      title={title}
      onClick={(e: MouseEvent) => {
        // The node stays as selected as it was; a control is not a click on the node.
        e.stopPropagation();
        onClick(action);
      }}
    >
      {action === 'pause' && (
        <Glyph viewBox="0 0 12 12" size={10}>
          <Stroke d="M3.5 2v8M8.5 2v8" width={2} />
        </Glyph>
      )}
      {(action === 'resume' || action === 'start') && (
        <Glyph viewBox="0 0 12 12" size={10}>
          <path d="M3 1.8v8.4L10 6z" fill="currentColor" strokeLinejoin="round" />
        </Glyph>
      )}
      {action === 'kill' && (
        <Glyph viewBox="0 0 12 12" size={10}>
          <Stroke d="M2.5 2.5l7 7M9.5 2.5l-7 7" width={2} />
        </Glyph>
      )}
      {label}
    </button>
  );
}

function ConsumerNodeView({ id, data, selected }: NodeProps<ConsumerFlowNode>) {
  const { consumer } = data;
  const errors = useElementErrors(id);
  const state = useConsumerState(id);
  const control = useCallback((action: ConsumerAction) => void controlConsumer(id, action), [id]);
  const readOnly = useWarren(selectReadOnly);
  const status = state?.status ?? 'idle';
  const compact = useCompactZoom();
  const className = [
    'node',
    'node--consumer',
    `node--consumer-${status}`,
    selected ? 'is-selected' : '',
    errors.length > 0 ? 'has-error' : '',
    compact ? 'is-compact' : '',
  ].join(' ');
  const name = consumer.name;
  return (
    <div className={className} data-testid={`consumer-node-${name}`}>
      <Handle type="target" position={Position.Left} />
      {compact && (
        <CompactCard
          kind="Consumer"
          name={name}
          figure={`← ${consumer.queue}`}
          testId={`consumer-compact-${name}`}
        />
      )}
      {/* Where a responder's direct reply-to replies leave for the client that asked. */}
      <InertHandle type="source" position={Position.Right} />
      <NodeHeader icon={<ConsumerIcon />} kind="Consumer">
        <span
          className={`consumer-status consumer-status--${status}`}
          data-testid={`consumer-status-${name}`}
          title={state?.error ?? undefined}
        >
          {statusWords[status]}
        </span>
      </NodeHeader>
      <div className="node__name" title={name}>
        {name || <em className="node__unnamed">unnamed</em>}
      </div>
      <div className="consumer__source">
        {consumer.queue ? (
          <>
            from <strong>{consumer.queue}</strong>
          </>
        ) : (
          <em>connect a queue to it</em>
        )}
      </div>
      <div className="consumer__settings" data-testid={`consumer-settings-${name}`}>
        {consumerSummary(consumer).map((part) => (
          <span key={part}>{part}</span>
        ))}
        {consumer.idempotent && <span>idempotent</span>}
        {consumer.rpcReply && <span>RPC reply</span>}
      </div>
      <div className="consumer-counters">
        {(consumer.rpcReply ? [...counters, repliedCounter] : counters).map((c) => {
          const value = state ? (state[c.key] as number) : 0;
          return (
            <div
              key={c.key}
              className={`consumer-counter consumer-counter--${c.testId} ${value === 0 ? 'is-zero' : ''}`}
              title={c.title}
            >
              <span
                className="consumer-counter__value"
                data-testid={`consumer-${c.testId}-${name}`}
              >
                {value}
              </span>
              <span className="consumer-counter__label">{c.label}</span>
            </div>
          );
        })}
      </div>
      {state && !readOnly && (
        <div className="consumer__controls">
          {status === 'running' && (
            <ControlButton
              action="pause"
              name={name}
              label="Pause"
              title="Stop taking new messages; those already delivered are still processed"
              onClick={control}
            />
          )}
          {status === 'paused' && (
            <ControlButton
              action="resume"
              name={name}
              label="Resume"
              title="Take messages again (basic.consume)"
              onClick={control}
            />
          )}
          {(status === 'running' || status === 'paused') && (
            <ControlButton
              action="kill"
              name={name}
              label="Kill"
              title="Close its channel mid-flight, as a crash would: unacked messages go back to the queue"
              onClick={control}
            />
          )}
          {(status === 'killed' || status === 'stopped' || status === 'error') && (
            <ControlButton
              action="start"
              name={name}
              label="Start"
              title="Connect again and take messages"
              onClick={control}
            />
          )}
        </div>
      )}
      <NodeErrors name={name} errors={errors} />
    </div>
  );
}

export const ConsumerNode = memo(ConsumerNodeView);
