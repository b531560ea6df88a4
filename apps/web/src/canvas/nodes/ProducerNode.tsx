import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useCallback, type ChangeEvent, type KeyboardEvent } from 'react';
import { sendFromProducerNode } from '../../live/producer-commands';
import type { ProducerFlowNode } from '../derive/flow-elements';
import { useElementErrors, usePublishResult } from '../../store/selectors';
import { useWarren, type WarrenState } from '../../store/store';
import { ProducerIcon } from './NodeIcons';
import { NodeErrors } from './NodeErrors';
import { ProducerRunStrip } from './ProducerRunStrip';

const selectUpdateProducer = (s: WarrenState) => s.updateProducer;

function ProducerNodeView({ id, data, selected }: NodeProps<ProducerFlowNode>) {
  const { producer } = data;
  const errors = useElementErrors(id);
  const result = usePublishResult(id);
  const updateProducer = useWarren(selectUpdateProducer);

  const onKey = useCallback(
    (e: ChangeEvent<HTMLInputElement>) => updateProducer(id, { routingKey: e.target.value }),
    [id, updateProducer],
  );
  const onPayload = useCallback(
    (e: ChangeEvent<HTMLInputElement>) => updateProducer(id, { payload: e.target.value }),
    [id, updateProducer],
  );
  const send = useCallback(() => void sendFromProducerNode(id), [id]);
  const sendOnEnter = useCallback(
    (e: KeyboardEvent<HTMLInputElement>) => {
      if (e.key === 'Enter') send();
    },
    [send],
  );

  const className = [
    'node',
    'node--producer',
    selected ? 'is-selected' : '',
    errors.length > 0 ? 'has-error' : '',
  ].join(' ');
  return (
    <div className={className} data-testid={`producer-node-${producer.name}`}>
      <Handle
        type="target"
        position={Position.Left}
        className="handle--inert"
        isConnectable={false}
      />
      <div className="node__header">
        <span className="node__icon">
          <ProducerIcon />
        </span>
        <span className="node__kind">Producer</span>
        {producer.mandatory && (
          <span
            className="mandatory-badge"
            title="Published with the mandatory flag: unroutable messages come back"
          >
            mandatory
          </span>
        )}
      </div>
      <div className="node__name" title={producer.name}>
        {producer.name || <em className="node__unnamed">unnamed</em>}
      </div>
      <div className="producer__target">
        to{' '}
        {producer.exchange === '' ? (
          <em>the default exchange</em>
        ) : (
          <strong>{producer.exchange}</strong>
        )}
      </div>
      {producer.routingKeyStrategy?.kind === 'round-robin' ||
      producer.routingKeyStrategy?.kind === 'random' ? (
        <div
          className="producer__field producer__keys"
          title={`${producer.routingKeyStrategy.kind === 'random' ? 'A key drawn at random' : 'The keys in turn'}: ${producer.routingKeyStrategy.keys.join(', ')}`}
          data-testid={`producer-keys-${producer.name}`}
        >
          <span>{producer.routingKeyStrategy.kind === 'random' ? 'rand' : 'keys'}</span>
          <code>{producer.routingKeyStrategy.keys.join(' | ')}</code>
        </div>
      ) : (
        <label className="producer__field">
          <span>{producer.routingKeyStrategy?.kind === 'template' ? 'tmpl' : 'key'}</span>
          <input
            className="nodrag"
            value={producer.routingKey}
            onChange={onKey}
            onKeyDown={sendOnEnter}
            placeholder="routing key"
            spellCheck={false}
            data-testid={`producer-routing-key-${producer.name}`}
          />
        </label>
      )}
      <label className="producer__field">
        <span>body</span>
        <input
          className="nodrag"
          value={producer.payload}
          onChange={onPayload}
          onKeyDown={sendOnEnter}
          placeholder="payload"
          spellCheck={false}
          data-testid={`producer-payload-${producer.name}`}
        />
      </label>
      <div className="producer__actions">
        <button
          type="button"
          className="send-button nodrag"
          onClick={send}
          data-testid={`producer-send-${producer.name}`}
        >
          Send
          <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
            <path
              d="M2 8h10M8 3.5 12.5 8 8 12.5"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
        <span
          // Remounting on each new result replays the flash animation once.
          key={result?.at ?? 0}
          className={`publish-result publish-result--${result?.tone ?? 'none'}`}
          data-testid={`producer-result-${producer.name}`}
          title={result?.text}
        >
          {result?.text ?? ''}
        </span>
      </div>
      <ProducerRunStrip producer={producer} />
      <NodeErrors name={producer.name} errors={errors} />
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const ProducerNode = memo(ProducerNodeView);
