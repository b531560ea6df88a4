import type { WarrenEvent } from '@warren/protocol';
import { useSyncExternalStore } from 'react';
import { MessageTimeline, type TimelineEntry } from './message-timeline';

/**
 * The session's recent messages for the message inspector. Kept outside the store, like the
 * fate log: recording costs a few map writes per event, and the open inspector is told of
 * changes at most a few times a second, so a busy session never re-renders the canvas.
 */

const NOTIFY_EVERY_MS = 250;

const timeline = new MessageTimeline();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | undefined;
let snapshot: readonly TimelineEntry[] = timeline.entries();

function notify(): void {
  timer = undefined;
  snapshot = timeline.entries();
  for (const listener of listeners) listener();
}

function schedule(): void {
  if (timer !== undefined || listeners.size === 0) return;
  timer = setTimeout(notify, NOTIFY_EVERY_MS);
}

/** Takes the events a frame brought (in order, without duplicates). */
export function recordMessages(events: readonly WarrenEvent[]): void {
  if (timeline.record(events)) schedule();
}

/** Forgets every message: another session's messages are not this one's. */
export function clearMessages(): void {
  timeline.clear();
  clearTimeout(timer);
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Whatever came while nobody looked is shown at once.
  if (snapshot !== timeline.entries()) notify();
  return () => listeners.delete(listener);
}

const read = () => snapshot;

/** The recent messages, newest first. */
export function useMessageTimeline(): readonly TimelineEntry[] {
  return useSyncExternalStore(subscribe, read, read);
}
