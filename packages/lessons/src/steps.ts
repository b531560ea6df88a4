import type { LessonStep } from './schema';

/**
 * What a step needs of the Warren it runs on. Kept apart from the schemas so the web page can
 * ask it without loading them.
 */

/** The event a server sends every session when it restarted the broker (see `restart-broker`). */
export const BROKER_RESTART_EVENT = 'broker-restart';

/**
 * Whether a step needs a broker restart by Warren: its action is `restart-broker`, or its check
 * waits for a `broker-restart` event. Where the operator does not allow restarts, such a step
 * cannot be done, and says so.
 */
export function needsBrokerRestart(step: LessonStep): boolean {
  if (step.action?.kind === 'restart-broker') return true;
  const check = step.check;
  const parts = check === undefined ? [] : check.kind === 'all' ? check.checks : [check];
  return parts.some((part) => part.kind === 'event' && part.event === BROKER_RESTART_EVENT);
}
