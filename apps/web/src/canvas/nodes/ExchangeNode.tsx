import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import {
  ALTERNATE_HANDLE,
  RELATION_TARGET_HANDLE,
  type ExchangeFlowNode,
} from '../derive/flow-elements';
import { useElementErrors, useMissingOnBroker } from '../../store/selectors';
import { useWarren } from '../../store/store';
import { FaultMenu, MissingBadge } from './FaultMenu';
import { OutsideBadge } from './OutsideBadge';
import { ExchangeBadges } from './NodeBadges';
import { ExchangeIcon } from './NodeIcons';
import { InertHandle } from './InertHandle';
import { NodeHeader } from './NodeHeader';
import { NodeErrors } from './NodeErrors';
import { useCompactZoom } from '../zoom';
import { CompactCard } from './CompactCard';
import { useHistory } from '../../live/live-history';

const rate = (r: number) =>
  (r >= 10 ? Math.round(r) : Math.round(r * 10) / 10).toLocaleString('en');

/**
 * Messages a second into the exchange and copies a second out along its bindings, averaged over
 * the last five seconds; shown while it had traffic in the last minute.
 */
function ExchangeRates({ name }: { name: string }) {
  const into = useHistory('exchange-in', name);
  const out = useHistory('exchange-out', name);
  if (!into.some((v) => v > 0) && !out.some((v) => v > 0)) return null;
  const recent = (values: readonly number[]) => {
    const last = values.slice(-5);
    return last.length === 0 ? 0 : last.reduce((a, b) => a + b, 0) / last.length;
  };
  return (
    <div
      className="exchange-rates"
      title="Messages a second into this exchange, and copies a second it routed along its bindings (last five seconds)"
    >
      <span data-testid={`exchange-rate-in-${name}`}>{rate(recent(into))}</span>/s in
      {' · '}
      <span data-testid={`exchange-rate-out-${name}`}>{rate(recent(out))}</span>/s out
    </div>
  );
}

/**
 * Messages published into the exchange and how many of them reached no queue, as the server
 * counted them from the broker's reports; nothing until the first one.
 */
function ExchangeTraffic({ name }: { name: string }) {
  const published = useWarren((s) => s.counters.exchanges[name]?.published ?? 0);
  const unroutable = useWarren((s) => s.counters.exchanges[name]?.unroutable ?? 0);
  if (published === 0) return null;
  return (
    <div
      className="exchange-traffic"
      title="Messages published into this exchange, and those that matched no binding (counted from the broker's reports)"
    >
      <span data-testid={`exchange-published-${name}`}>{published.toLocaleString('en')}</span> in
      {unroutable > 0 && (
        <>
          {' · '}
          <span
            className="exchange-traffic__unroutable"
            data-testid={`exchange-unroutable-${name}`}
          >
            {unroutable.toLocaleString('en')}
          </span>{' '}
          unroutable
        </>
      )}
    </div>
  );
}

function ExchangeNodeView({ id, data, selected }: NodeProps<ExchangeFlowNode>) {
  const { exchange } = data;
  const errors = useElementErrors(id);
  const missing = useMissingOnBroker(`exchange:${exchange.name}`);
  const compact = useCompactZoom();
  const className = [
    'node',
    'node--exchange',
    selected ? 'is-selected' : '',
    errors.length > 0 ? 'has-error' : '',
    missing ? 'is-missing' : '',
    compact ? 'is-compact' : '',
  ].join(' ');
  return (
    <div className={className} data-testid={`exchange-node-${exchange.name}`}>
      <Handle type="target" position={Position.Left} />
      {compact && (
        <CompactCard
          kind="Exchange"
          name={exchange.name}
          figure={exchange.type}
          testId={`exchange-compact-${exchange.name}`}
        />
      )}
      <NodeHeader icon={<ExchangeIcon />} kind="Exchange">
        <span className={`type-badge type-badge--${exchange.type}`} title={exchange.type}>
          {/* The full name does not fit the header; the palette calls it "Consistent hash". */}
          {exchange.type === 'x-consistent-hash' ? 'hash' : exchange.type}
        </span>
        <FaultMenu kind="exchange" nodeId={id} name={exchange.name} />
      </NodeHeader>
      <div className="node__name" title={exchange.name}>
        {exchange.name || <em className="node__unnamed">unnamed</em>}
      </div>
      <ExchangeBadges exchange={exchange} />
      <ExchangeTraffic name={exchange.name} />
      <ExchangeRates name={exchange.name} />
      <MissingBadge kind="exchange" name={exchange.name} />
      <OutsideBadge kind="exchange" name={exchange.name} />
      <NodeErrors name={exchange.name} errors={errors} />
      <Handle type="source" position={Position.Right} />
      {/* Dead letters and unroutable messages arrive from above and leave below, apart from
          bindings; these come after the left and right handles, which stay the ones edges
          without a handle id use. */}
      <InertHandle type="target" id={RELATION_TARGET_HANDLE} position={Position.Top} />
      <InertHandle type="source" id={ALTERNATE_HANDLE} position={Position.Bottom} />
    </div>
  );
}

export const ExchangeNode = memo(ExchangeNodeView);
