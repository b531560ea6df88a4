import type { WarrenEvent } from '@warren/protocol';
import { useCallback, useSyncExternalStore } from 'react';

/**
 * The last few things that happened to messages, per consumer and per queue: what the
 * inspector's small log shows. It lives outside the store, so a busy queue re-renders only
 * the log that is open, and never the canvas.
 */

export type FateKind =
  | 'acked'
  | 'rejected'
  | 'requeued'
  | 'retrying'
  | 'duplicate'
  | 'dead-lettered'
  | 'expired'
  | 'dropped';

export interface Fate {
  seq: number;
  at: number;
  kind: FateKind;
  messageId: string | null;
  /** What happened, in words: "basic.nack, requeued", "retry 2 in 400 ms". */
  detail: string;
  /** Whether Warren deduced it rather than saw it (the broker gave no direct signal). */
  inferred: boolean;
}

/** Where a log is kept: `consumer:<id>` or `queue:<name>`. */
export type FateLogKey = `consumer:${string}` | `queue:${string}`;

/** Enough to follow a handful of messages; older entries scroll away. */
export const FATE_LOG_SIZE = 30;

const logs = new Map<FateLogKey, readonly Fate[]>();
const listeners = new Map<FateLogKey, Set<() => void>>();
const empty: readonly Fate[] = [];

function push(key: FateLogKey, fate: Fate, touched: Set<FateLogKey>): void {
  const log = logs.get(key) ?? empty;
  const next = log.length >= FATE_LOG_SIZE ? log.slice(1 - FATE_LOG_SIZE) : log.slice();
  next.push(fate);
  logs.set(key, next);
  touched.add(key);
}

const methodWords: Record<string, string> = {
  'basic.ack': 'basic.ack',
  'basic.nack': 'basic.nack',
  'basic.reject': 'basic.reject',
  'auto-ack': 'auto-ack on delivery',
};

/** Turns one event into log entries; events that are not about a message's fate give none. */
export function fatesOf(event: WarrenEvent): { keys: FateLogKey[]; fate: Fate }[] {
  const base = { seq: event.seq, at: event.at };
  switch (event.type) {
    case 'acked':
    case 'rejected':
    case 'requeued': {
      const parts = [methodWords[event.method] ?? event.method];
      if (event.attempt !== undefined && event.attempt > 1) parts.push(`attempt ${event.attempt}`);
      if (event.reason) parts.push(event.reason);
      return [
        {
          keys: [`consumer:${event.consumerId}`, `queue:${event.queue}`],
          fate: {
            ...base,
            kind: event.type,
            messageId: event.messageId,
            detail: parts.join(' · '),
            inferred: false,
          },
        },
      ];
    }
    case 'retrying':
      return [
        {
          keys: [`consumer:${event.consumerId}`],
          fate: {
            ...base,
            kind: 'retrying',
            messageId: event.messageId,
            detail: `attempt ${event.attempt} in ${event.delayMs} ms`,
            inferred: false,
          },
        },
      ];
    case 'duplicate':
      return [
        {
          keys: [`consumer:${event.consumerId}`],
          fate: {
            ...base,
            kind: 'duplicate',
            messageId: event.messageId,
            detail: 'message id seen before: skipped',
            inferred: false,
          },
        },
      ];
    case 'dead-lettered':
      return [
        {
          keys: [`queue:${event.queue}`],
          fate: {
            ...base,
            kind: 'dead-lettered',
            messageId: event.messageId,
            detail: `${event.reason} → ${event.exchange || '(default exchange)'}${
              event.routingKey ? ` '${event.routingKey}'` : ''
            }${event.count > 1 ? ` · x-death count ${event.count}` : ''}`,
            inferred: event.inferred,
          },
        },
      ];
    case 'expired':
    case 'dropped':
      return [
        {
          keys: [`queue:${event.queue}`],
          fate: {
            ...base,
            kind: event.type,
            messageId: event.messageId ?? null,
            detail: `${event.count} message${event.count === 1 ? '' : 's'}${
              event.type === 'dropped' ? ' dropped by overflow' : ' expired'
            }`,
            inferred: event.inferred,
          },
        },
      ];
    default:
      return [];
  }
}

/** Takes the events a frame brought (in order, without duplicates). */
export function recordFates(events: readonly WarrenEvent[]): void {
  const touched = new Set<FateLogKey>();
  for (const event of events)
    for (const { keys, fate } of fatesOf(event)) for (const key of keys) push(key, fate, touched);
  for (const key of touched) for (const listener of listeners.get(key) ?? []) listener();
}

/** Forgets every log (a new session). */
export function clearFates(): void {
  const keys = [...logs.keys()];
  logs.clear();
  for (const key of keys) for (const listener of listeners.get(key) ?? []) listener();
}

function subscribe(key: FateLogKey, listener: () => void): () => void {
  let set = listeners.get(key);
  if (!set) {
    set = new Set();
    listeners.set(key, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(key);
  };
}

export function fateLog(key: FateLogKey): readonly Fate[] {
  return logs.get(key) ?? empty;
}

/** The log of one consumer or queue, newest last; re-renders only when that log changes. */
export function useFateLog(key: FateLogKey): readonly Fate[] {
  const sub = useCallback((listener: () => void) => subscribe(key, listener), [key]);
  const read = useCallback(() => fateLog(key), [key]);
  return useSyncExternalStore(sub, read, read);
}
