import type { ProducerStateReport as ProducerState } from '@warren/protocol';

/** A producer's running state and exact counters, as the server last reported them. */
export type { ProducerState };

/** What the canvas shows of a producer run by the server: its state plus a measured rate. */
export interface ProducerRuntime extends ProducerState {
  /** Messages per second sent over the last second or so (0 when stopped). */
  rate: number;
  /** The counter and time the rate is measured from. */
  sampleSent: number;
  sampleAt: number;
}

/** Long enough that a rate of a few msg/s does not flicker between 0 and a burst. */
const RATE_WINDOW_MS = 1000;

/**
 * The runtime after a new state. The rate comes from the exact counters, measured over a
 * window, so it needs no event per message and never re-renders faster than states arrive.
 */
export function nextProducerRuntime(
  previous: ProducerRuntime | undefined,
  state: ProducerState,
  now: number,
): ProducerRuntime {
  if (!state.running) return { ...state, rate: 0, sampleSent: state.sent, sampleAt: now };
  if (!previous?.running || state.sent < previous.sampleSent) {
    // Just started: count from where the counter stood when it was stopped.
    const from = previous && previous.sent <= state.sent ? previous.sent : state.sent;
    return { ...state, rate: 0, sampleSent: from, sampleAt: now };
  }
  const elapsed = now - previous.sampleAt;
  if (elapsed < RATE_WINDOW_MS)
    return {
      ...state,
      rate: previous.rate,
      sampleSent: previous.sampleSent,
      sampleAt: previous.sampleAt,
    };
  return {
    ...state,
    rate: ((state.sent - previous.sampleSent) * 1000) / elapsed,
    sampleSent: state.sent,
    sampleAt: now,
  };
}

/**
 * A state from an HTTP reply, made no older than what the event stream already said: the reply
 * may have been overtaken by events (the last confirms of a stop), and counters only grow.
 */
export function notBehind(current: ProducerState | undefined, reply: ProducerState): ProducerState {
  if (!current) return reply;
  const merged: ProducerState = {
    ...reply,
    sent: Math.max(current.sent, reply.sent),
    confirmed: Math.max(current.confirmed, reply.confirmed),
    nacked: Math.max(current.nacked, reply.nacked),
    returned: Math.max(current.returned, reply.returned),
  };
  const total = (o: ProducerState['outbox']) => (o ? o.sending + o.confirmed + o.failed : -1);
  const outbox =
    total(current.outbox) > total(reply.outbox) ||
    (total(current.outbox) === total(reply.outbox) &&
      (current.outbox?.sending ?? 0) < (reply.outbox?.sending ?? 0))
      ? current.outbox
      : reply.outbox;
  if (outbox) merged.outbox = outbox;
  else delete merged.outbox;
  return merged;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A producer state from an HTTP reply, or undefined when the reply holds none. */
export function readProducerState(value: unknown): ProducerState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const producerId = v.producerId ?? v.id;
  if (typeof producerId !== 'string') return undefined;
  if (!isCount(v.sent)) return undefined;
  const state: ProducerState = {
    producerId,
    running: v.running === true,
    sent: v.sent,
    confirmed: isCount(v.confirmed) ? v.confirmed : 0,
    nacked: isCount(v.nacked) ? v.nacked : 0,
    returned: isCount(v.returned) ? v.returned : 0,
  };
  const outbox = v.outbox as Record<string, unknown> | undefined;
  if (
    typeof outbox === 'object' &&
    outbox !== null &&
    isCount(outbox.sending) &&
    isCount(outbox.confirmed) &&
    isCount(outbox.failed)
  )
    state.outbox = { sending: outbox.sending, confirmed: outbox.confirmed, failed: outbox.failed };
  return state;
}

/** The list in a reply: the body itself, or the first array-valued field of it. */
export function listIn(body: unknown, ...fields: string[]): unknown[] {
  if (Array.isArray(body)) return body as unknown[];
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Record<string, unknown>;
  for (const field of fields) {
    const value = record[field];
    if (Array.isArray(value)) return value as unknown[];
  }
  return [];
}
