import type { MessageProperties, WarrenEvent } from '@warren/protocol';
import { useCallback, useSyncExternalStore } from 'react';

/**
 * The last few messages each outside client sent or received, with the properties the broker
 * traced: what its node shows when opened. Kept outside the store, like the fate log, so a busy
 * client re-renders only its own node.
 */

export interface OutsideMessage {
  seq: number;
  at: number;
  /** Published by the client, or delivered to it. */
  direction: 'sent' | 'received';
  /** Pairs a message's publish with its deliveries. */
  messageKey: string;
  messageId: string | null;
  /** `exchange 'key'` for a publish, the queue for a delivery. */
  where: string;
  properties: MessageProperties | undefined;
}

export const OUTSIDE_MESSAGES_SIZE = 20;

const logs = new Map<string, readonly OutsideMessage[]>();
const listeners = new Map<string, Set<() => void>>();
const empty: readonly OutsideMessage[] = [];

/** The entry an event makes in its outside client's log, if it names one. */
export function outsideMessageOf(
  event: WarrenEvent,
): { clientId: string; message: OutsideMessage } | undefined {
  if (event.type !== 'routed' && event.type !== 'delivered') return undefined;
  if (event.outsideClientId === undefined) return undefined;
  const where =
    event.type === 'routed'
      ? `${event.exchange || '(default)'} '${event.routingKey}'`
      : event.queue;
  return {
    clientId: event.outsideClientId,
    message: {
      seq: event.seq,
      at: event.at,
      direction: event.type === 'routed' ? 'sent' : 'received',
      messageKey: event.messageKey,
      messageId: event.messageId,
      where,
      properties: event.properties,
    },
  };
}

/** Takes the events a frame brought (in order, without duplicates). */
export function recordOutsideMessages(events: readonly WarrenEvent[]): void {
  const touched = new Set<string>();
  for (const event of events) {
    const entry = outsideMessageOf(event);
    if (!entry) continue;
    const log = logs.get(entry.clientId) ?? empty;
    const next =
      log.length >= OUTSIDE_MESSAGES_SIZE ? log.slice(1 - OUTSIDE_MESSAGES_SIZE) : log.slice();
    next.push(entry.message);
    logs.set(entry.clientId, next);
    touched.add(entry.clientId);
  }
  for (const id of touched) for (const listener of listeners.get(id) ?? []) listener();
}

export function outsideMessages(clientId: string): readonly OutsideMessage[] {
  return logs.get(clientId) ?? empty;
}

function subscribe(clientId: string, listener: () => void): () => void {
  let set = listeners.get(clientId);
  if (!set) {
    set = new Set();
    listeners.set(clientId, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(clientId);
  };
}

/** One client's messages, newest last; re-renders only when they change. */
export function useOutsideMessages(clientId: string): readonly OutsideMessage[] {
  const sub = useCallback((listener: () => void) => subscribe(clientId, listener), [clientId]);
  const read = useCallback(() => outsideMessages(clientId), [clientId]);
  return useSyncExternalStore(sub, read, read);
}
