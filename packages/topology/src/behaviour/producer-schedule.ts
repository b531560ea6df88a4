/** How a running producer paces itself: `burst` messages at each tick, `ratePerSecond` in all. */
export interface ProducerPace {
  ratePerSecond: number;
  /** Messages sent together at each tick; default 1. */
  burst?: number;
}

/** Milliseconds between two ticks: a burst of 10 at 100 msg/s is one tick every 100 ms. */
export function tickIntervalMs(pace: ProducerPace): number {
  const burst = Math.max(1, pace.burst ?? 1);
  return (1000 * burst) / pace.ratePerSecond;
}

/**
 * Ticks whose time has come `elapsedMs` after the start (the first tick is at 0). Counting from a
 * fixed start rather than from the previous tick keeps the rate exact however late timers fire:
 * a late tick is made up by the next one instead of drifting.
 */
export function ticksDue(elapsedMs: number, pace: ProducerPace): number {
  if (pace.ratePerSecond <= 0) return 0;
  if (elapsedMs < 0) return 0;
  // The epsilon keeps a tick due at exactly its time despite floating point (3 × 33.33… ms).
  return Math.floor(elapsedMs / tickIntervalMs(pace) + 1e-9) + 1;
}

/** When tick number `tick` (0-based) is due, in ms after the start. */
export function tickAt(tick: number, pace: ProducerPace): number {
  return tick * tickIntervalMs(pace);
}

/** Messages a producer at `pace` has sent `elapsedMs` after its start, bursts counted whole. */
export function messagesDue(elapsedMs: number, pace: ProducerPace): number {
  return ticksDue(elapsedMs, pace) * Math.max(1, pace.burst ?? 1);
}

export interface TickPlan {
  /** Ticks to send now. */
  send: number;
  /** Ticks given up because the producer fell too far behind (backpressure, a paused timer). */
  skipped: number;
}

/**
 * What to send now, `done` ticks having been sent: every due tick, unless the producer is more
 * than `maxLagMs` behind; then it goes on from now, the way an application blocked by the broker
 * does not flood it afterwards with everything it could not send.
 */
export function planTicks(
  elapsedMs: number,
  done: number,
  pace: ProducerPace,
  maxLagMs = 1000,
): TickPlan {
  const due = ticksDue(elapsedMs, pace) - done;
  if (due <= 0) return { send: 0, skipped: 0 };
  const maxTicks = Math.max(1, Math.floor(maxLagMs / tickIntervalMs(pace)));
  if (due <= maxTicks) return { send: due, skipped: 0 };
  return { send: 1, skipped: due - 1 };
}
