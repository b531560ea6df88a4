import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { OutsideClientFlowNode } from '../derive/outside-elements';
import { OutsideMessages } from './OutsideMessages';
import './outside-nodes.css';

const roleWords = {
  producer: 'publishes',
  consumer: 'consumes',
  both: 'pub + sub',
  declarer: 'declares',
} as const;

/** What a declared object is called on the card: a queue's or an exchange's name. */
const declaredName = (entry: string) => {
  const colon = entry.indexOf(':');
  return colon < 0 ? entry : entry.slice(colon + 1);
};

/** An application outside Warren (its own connection on the vhost), with its traffic. */
export function OutsideClientGlyph() {
  return (
    <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
      <rect
        x="2.5"
        y="4"
        width="15"
        height="12"
        rx="2.2"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
      />
      <path
        d="M6 8.5l2.5 2-2.5 2M10.5 13h3.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function OutsideClientNodeView({ data }: NodeProps<OutsideClientFlowNode>) {
  const { client } = data;
  // Bindings are drawn on the canvas already; the card names the queues and exchanges.
  const declaredObjects = (client.declared ?? []).filter(
    (d) => d.startsWith('queue:') || d.startsWith('exchange:'),
  );
  return (
    <div
      className={`node node--outside node--outside-client node--outside-${client.role}`}
      data-testid={`outside-client-${client.id}`}
      title={`A client outside Warren: ${client.label}\n${(client.connections ?? [client.id]).join('\n')}`}
    >
      <Handle
        type="target"
        position={Position.Left}
        className="handle--inert"
        isConnectable={false}
      />
      <div className="node__header">
        <span className="node__icon">
          <OutsideClientGlyph />
        </span>
        <span className="node__kind">Outside client</span>
        <span className="outside-role" data-testid={`outside-role-${client.id}`}>
          {roleWords[client.role]}
        </span>
      </div>
      <div className="node__name" title={client.label}>
        {client.label}
        {(client.runs ?? 1) > 1 && (
          <span
            className="outside-runs"
            data-testid={`outside-runs-${client.id}`}
            title={`${client.runs} runs of this program, one after another`}
          >
            ×{client.runs} runs
          </span>
        )}
      </div>
      <div className="outside-client__traffic">
        {client.exchanges.length > 0 && (
          <div className="outside-client__line">
            <span className="outside-client__arrow">to</span>
            <code>{client.exchanges.map((x) => (x === '' ? '(default)' : x)).join(', ')}</code>
          </div>
        )}
        {client.queues.length > 0 && (
          <div className="outside-client__line">
            <span className="outside-client__arrow">from</span>
            <code>{client.queues.join(', ')}</code>
          </div>
        )}
        {declaredObjects.length > 0 && (
          <div className="outside-client__line" data-testid={`outside-declared-${client.id}`}>
            <span className="outside-client__arrow">made</span>
            <code>{declaredObjects.map(declaredName).join(', ')}</code>
          </div>
        )}
        {client.exchanges.length + client.queues.length + declaredObjects.length === 0 && (
          <div className="outside-client__idle">connected, no traffic seen yet</div>
        )}
      </div>
      <OutsideMessages clientId={client.id} />
      <Handle
        type="source"
        position={Position.Right}
        className="handle--inert"
        isConnectable={false}
      />
    </div>
  );
}

export const OutsideClientNode = memo(OutsideClientNodeView);
