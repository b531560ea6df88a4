import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ExchangeFlowNode } from '../../store/flow-elements';
import { useElementErrors } from '../../store/selectors';
import { ExchangeIcon } from './NodeIcons';
import { NodeErrors } from './NodeErrors';

function ExchangeNodeView({ id, data, selected }: NodeProps<ExchangeFlowNode>) {
  const { exchange } = data;
  const errors = useElementErrors(id);
  const className = [
    'node',
    'node--exchange',
    selected ? 'is-selected' : '',
    errors.length > 0 ? 'has-error' : '',
  ].join(' ');
  return (
    <div className={className} data-testid={`exchange-node-${exchange.name}`}>
      <Handle type="target" position={Position.Left} />
      <div className="node__header">
        <span className="node__icon">
          <ExchangeIcon />
        </span>
        <span className="node__kind">Exchange</span>
        <span className={`type-badge type-badge--${exchange.type}`}>{exchange.type}</span>
      </div>
      <div className="node__name" title={exchange.name}>
        {exchange.name || <em className="node__unnamed">unnamed</em>}
      </div>
      {exchange.internal && <div className="node__note">internal</div>}
      <NodeErrors name={exchange.name} errors={errors} />
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const ExchangeNode = memo(ExchangeNodeView);
