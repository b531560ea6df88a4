import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useCallback, type ChangeEvent, type KeyboardEvent } from 'react';
import { sendFromProducerNode } from '../../live/producer-commands';
import type { ProducerFlowNode } from '../derive/flow-elements';
import { useElementErrors, usePublishResult } from '../../store/selectors';
import { useWarren, type WarrenState } from '../../store/store';
import { Glyph, ProducerIcon, Stroke } from './NodeIcons';
import { InertHandle } from './InertHandle';
import { NodeHeader } from './NodeHeader';
import { NodeErrors } from './NodeErrors';
import { ProducerRunStrip } from './ProducerRunStrip';
import { useCompactZoom } from '../zoom';
import { CompactCard } from './CompactCard';

const selectUpdateProducer = (s: WarrenState) => s.updateProducer;

/** A field typed into on the node itself (`nodrag`: typing does not drag the node). */
function NodeField({
  label,
  value,
  onChange,
  onKeyDown,
  placeholder,
  testId,
}: {
  label: string;
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
  onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => void;
  placeholder: string;
  testId: string;
}) {
  return (
    <label className="producer__field">
      <span>{label}</span>
      <input
        className="nodrag"
        value={value}
        onChange={onChange}
        onKeyDown={onKeyDown}
        placeholder={placeholder}
        spellCheck={false}
        data-testid={testId}
      />
    </label>
  );
}

function ProducerNodeView({ id, data, selected }: NodeProps<ProducerFlowNode>) {
  const { producer } = data;
  const errors = useElementErrors(id);
  const result = usePublishResult(id);
  const updateProducer = useWarren(selectUpdateProducer);
  const compact = useCompactZoom();

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
    compact ? 'is-compact' : '',
  ].join(' ');
  return (
    <div className={className} data-testid={`producer-node-${producer.name}`}>
      <InertHandle type="target" position={Position.Left} />
      {compact && (
        <CompactCard
          kind="Producer"
          name={producer.name}
          figure={`→ ${producer.exchange || 'default'}`}
          testId={`producer-compact-${producer.name}`}
        />
      )}
      <NodeHeader icon={<ProducerIcon />} kind="Producer">
        {producer.mandatory && (
          <span
            className="mandatory-badge"
            title="Published with the mandatory flag: unroutable messages come back"
          >
            mandatory
          </span>
        )}
      </NodeHeader>
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
        <NodeField
          label={producer.routingKeyStrategy?.kind === 'template' ? 'tmpl' : 'key'}
          value={producer.routingKey}
          onChange={onKey}
          onKeyDown={sendOnEnter}
          placeholder="routing key"
          testId={`producer-routing-key-${producer.name}`}
        />
      )}
      <NodeField
        label="body"
        value={producer.payload}
        onChange={onPayload}
        onKeyDown={sendOnEnter}
        placeholder="payload"
        testId={`producer-payload-${producer.name}`}
      />
      <div className="producer__actions">
        <button
          type="button"
          className="send-button nodrag"
          onClick={send}
          data-testid={`producer-send-${producer.name}`}
        >
          Send
          <Glyph viewBox="0 0 16 16" size={12}>
            <Stroke d="M2 8h10M8 3.5 12.5 8 8 12.5" width={2} />
          </Glyph>
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
