import { useSyncExternalStore } from 'react';
import { useWarren } from '../store/store';
import { HISTORY_SECONDS, RateMeter, SeriesHistory } from './rate-history';

/**
 * Once a second: each queue's depth and each exchange's messages in and out per second, from
 * the live figures the store already has, kept for the last minute. Nodes read them through
 * `useHistory`, which re-renders them once a second at most.
 */

const depths = new SeriesHistory(HISTORY_SECONDS);
const exchangeIn = new SeriesHistory(HISTORY_SECONDS);
const exchangeOut = new SeriesHistory(HISTORY_SECONDS);
const inMeter = new RateMeter();
const outMeter = new RateMeter();
const listeners = new Set<() => void>();
let version = 0;
let lastAt = 0;
let sessionId: string | null = null;

function sample(): void {
  const state = useWarren.getState();
  if (state.sessionId !== sessionId) {
    sessionId = state.sessionId;
    depths.clear();
    exchangeIn.clear();
    exchangeOut.clear();
    lastAt = 0;
  }
  const now = performance.now();
  const seconds = lastAt === 0 ? 1 : (now - lastAt) / 1000;
  lastAt = now;
  const { topology, queueStats, counters } = state;

  const depth = new Map<string, number>();
  for (const q of topology.queues) depth.set(q.name, queueStats[q.name]?.messages ?? 0);
  depths.push(depth);

  const published = new Map<string, number>();
  const routedOut = new Map<string, number>();
  for (const x of topology.exchanges) {
    published.set(x.name, counters.exchanges[x.name]?.published ?? 0);
    routedOut.set(x.name, 0);
  }
  for (const b of topology.bindings) {
    const count = counters.edges[b.id] ?? 0;
    if (routedOut.has(b.source)) routedOut.set(b.source, (routedOut.get(b.source) ?? 0) + count);
  }
  exchangeIn.push(inMeter.rates(published, seconds));
  exchangeOut.push(outMeter.rates(routedOut, seconds));

  version += 1;
  for (const listener of listeners) listener();
}

let timer: ReturnType<typeof setInterval> | undefined;

export function startLiveHistory(): void {
  timer ??= setInterval(sample, 1000);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getVersion = () => version;

export type HistoryKind = 'queue-depth' | 'exchange-in' | 'exchange-out';

/** The last minute of one figure, oldest first; re-renders once a second at most. */
export function useHistory(kind: HistoryKind, name: string): readonly number[] {
  useSyncExternalStore(subscribe, getVersion);
  const series =
    kind === 'queue-depth' ? depths : kind === 'exchange-in' ? exchangeIn : exchangeOut;
  return series.get(name);
}
