import {
  effectiveExchangeArguments,
  effectiveQueueArguments,
  emptyTopology,
  type EffectiveSetting,
  type Exchange,
  type Policy,
  type Queue,
  type Topology,
} from '@warren/topology';
import { useMemo } from 'react';
import { useWarren, type WarrenState } from '../../store/store';
import './node-badges.css';

const selectPolicies = (s: WarrenState) => s.topology.policies;

/**
 * The policies alone, as a document the effective-argument functions read: nodes re-render
 * when a policy changes, not on every edit of the diagram.
 */
function usePolicyDocument(): Topology {
  const policies: Policy[] | undefined = useWarren(selectPolicies);
  return useMemo(() => ({ ...emptyTopology(), ...(policies && { policies }) }), [policies]);
}

/** `1500` → `1.5 s`, `1800000` → `30 min`. */
export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) return `${Number((ms / size).toFixed(1))} ${unit}`;
  }
  return `${ms} ms`;
}

export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}

interface Badge {
  kind: string;
  text: string;
  title: string;
  policy?: string | undefined;
}

function fromSetting(
  setting: EffectiveSetting | undefined,
  make: (value: unknown) => Omit<Badge, 'policy'> | undefined,
): Badge | undefined {
  if (setting === undefined) return undefined;
  const badge = make(setting.value);
  if (!badge) return undefined;
  return setting.source.from === 'policy' ? { ...badge, policy: setting.source.policy } : badge;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function queueBadges(queue: Queue, effective: Map<string, EffectiveSetting>): Badge[] {
  const badges: (Badge | undefined)[] = [];
  const type = effective.get('x-queue-type');
  if (type?.value === 'quorum')
    badges.push({ kind: 'quorum', text: 'quorum', title: 'A quorum queue: replicated, durable' });
  if (queue.serverNamed === true)
    badges.push({
      kind: 'server-named',
      text: 'server-named',
      title: 'The broker picks the name (amq.gen-…) when it declares this queue',
    });
  if (queue.exclusive)
    badges.push({
      kind: 'exclusive',
      text: 'exclusive',
      title: 'Used by the connection that declared it only; deleted when it closes',
    });
  badges.push(
    fromSetting(effective.get('x-message-ttl'), (v) =>
      isNumber(v)
        ? {
            kind: 'ttl',
            text: `TTL ${formatDuration(v)}`,
            title: `Messages expire after ${v} ms`,
          }
        : undefined,
    ),
    fromSetting(effective.get('x-expires'), (v) =>
      isNumber(v)
        ? {
            kind: 'expires',
            text: `expires ${formatDuration(v)}`,
            title: `The queue deletes itself after ${v} ms unused`,
          }
        : undefined,
    ),
  );
  const overflow = effective.get('x-overflow')?.value;
  const overflowText =
    overflow === 'reject-publish'
      ? ' · reject'
      : overflow === 'reject-publish-dlx'
        ? ' · reject+DLX'
        : '';
  const overflowTitle =
    typeof overflow === 'string'
      ? `; when full: ${overflow}`
      : '; when full, the oldest is dropped';
  badges.push(
    fromSetting(effective.get('x-max-length'), (v) =>
      isNumber(v)
        ? {
            kind: 'max-length',
            text: `max ${v}${overflowText}`,
            title: `At most ${v} ready messages${overflowTitle}`,
          }
        : undefined,
    ),
    fromSetting(effective.get('x-max-length-bytes'), (v) =>
      isNumber(v)
        ? {
            kind: 'max-length-bytes',
            text: `max ${formatBytes(v)}${effective.has('x-max-length') ? '' : overflowText}`,
            title: `At most ${v} bytes of ready messages${overflowTitle}`,
          }
        : undefined,
    ),
    fromSetting(effective.get('x-dead-letter-exchange'), (v) =>
      typeof v === 'string'
        ? {
            kind: 'dlx',
            text: `DLX → ${v === '' ? '(default)' : v}`,
            title: `Expired, rejected and overflowing messages go to exchange ${v === '' ? '(default)' : v}`,
          }
        : undefined,
    ),
    fromSetting(effective.get('x-max-priority'), (v) =>
      isNumber(v)
        ? { kind: 'priority', text: `priority ≤ ${v}`, title: 'A priority queue' }
        : undefined,
    ),
    fromSetting(effective.get('x-single-active-consumer'), (v) =>
      v === true
        ? {
            kind: 'sac',
            text: 'single consumer',
            title: 'Single active consumer: one consumer at a time, the others wait',
          }
        : undefined,
    ),
  );
  return badges.filter((b): b is Badge => b !== undefined);
}

function exchangeBadges(exchange: Exchange, effective: Map<string, EffectiveSetting>): Badge[] {
  const badges: (Badge | undefined)[] = [];
  if (exchange.internal)
    badges.push({
      kind: 'internal',
      text: 'internal',
      title: 'Only other exchanges can publish to it',
    });
  badges.push(
    fromSetting(effective.get('alternate-exchange'), (v) =>
      typeof v === 'string'
        ? {
            kind: 'ae',
            text: `AE → ${v}`,
            title: `Messages no binding matches go to exchange ${v}`,
          }
        : undefined,
    ),
  );
  if (exchange.type === 'x-consistent-hash') {
    badges.push(
      fromSetting(effective.get('hash-header'), (v) =>
        typeof v === 'string'
          ? { kind: 'hash', text: `hash ${v}`, title: `Hashes header ${v}` }
          : undefined,
      ),
      fromSetting(effective.get('hash-property'), (v) =>
        typeof v === 'string'
          ? { kind: 'hash', text: `hash ${v}`, title: `Hashes property ${v}` }
          : undefined,
      ),
    );
  }
  return badges.filter((b): b is Badge => b !== undefined);
}

function Badges({ badges, testId }: { badges: Badge[]; testId: string }) {
  if (badges.length === 0) return null;
  return (
    <div className="node__badges" data-testid={testId}>
      {badges.map((b) => (
        <span
          key={b.kind}
          className={`arg-badge arg-badge--${b.kind} ${b.policy === undefined ? '' : 'arg-badge--policy'}`}
          title={b.policy === undefined ? b.title : `${b.title} (from policy ${b.policy})`}
          data-badge={b.kind}
        >
          {b.text}
          {b.policy !== undefined && <span className="arg-badge__source">policy</span>}
        </span>
      ))}
    </div>
  );
}

/** The queue's important settings at a glance, as the broker will have them (policies too). */
export function QueueBadges({ queue }: { queue: Queue }) {
  const policies = usePolicyDocument();
  const badges = useMemo(
    () => queueBadges(queue, effectiveQueueArguments(policies, queue)),
    [queue, policies],
  );
  return <Badges badges={badges} testId={`queue-badges-${queue.name}`} />;
}

export function ExchangeBadges({ exchange }: { exchange: Exchange }) {
  const policies = usePolicyDocument();
  const badges = useMemo(
    () => exchangeBadges(exchange, effectiveExchangeArguments(policies, exchange)),
    [exchange, policies],
  );
  return <Badges badges={badges} testId={`exchange-badges-${exchange.name}`} />;
}
