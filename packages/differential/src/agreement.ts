import type { ErrorCode } from '@warren/protocol';
import type { ExplainMessage, Explanation } from '@warren/topology';
import type { PublishObservation } from './warren-api';

/** How Warren answers a publish the broker refuses, for each refusal the explainer predicts. */
const REFUSALS: Record<
  NonNullable<Explanation['error']>['code'],
  { status: number; code: ErrorCode }
> = {
  EXCHANGE_NOT_FOUND: { status: 404, code: 'BROKER_NOT_FOUND' },
  EXCHANGE_INTERNAL: { status: 403, code: 'ACCESS_REFUSED' },
  INVALID_MESSAGE: { status: 406, code: 'PRECONDITION_FAILED' },
};

/** What the explainer says Warren will report for a publish. */
export type ExpectedPublish =
  | { refused: { status: number; code: ErrorCode } }
  /** The broker's routed_queues (sorted) is one of these, returned as each says. */
  | { oneOf: { routedQueues: string[]; returned: boolean }[] }
  /**
   * Consistent-hash exchanges leave too many combinations to list: routed_queues holds the
   * certain queues and only queues the message may reach; returned when it holds none.
   */
  | { within: { certain: string[]; possible: string[] } };

export function expectedPublish(prediction: Explanation, message: ExplainMessage): ExpectedPublish {
  if (prediction.error) return { refused: REFUSALS[prediction.error.code] };
  const mandatory = message.mandatory === true;
  if (prediction.outcomes)
    return {
      oneOf: prediction.outcomes.map((queues) => ({
        routedQueues: queues,
        returned: mandatory && queues.length === 0,
      })),
    };
  if (prediction.hashChoices.length > 0) {
    const possible = [...new Set(prediction.fates.map((f) => f.queue))].sort();
    return { within: { certain: prediction.queues, possible } };
  }
  // The broker's routed_queues name queues that do not exist for the default exchange (DESIGN.md,
  // "Observing the broker honestly"); Warren reports only the queues that do.
  return { oneOf: [{ routedQueues: prediction.queues, returned: prediction.returned }] };
}

const list = (queues: readonly string[]) => `[${queues.join(', ')}]`;

/**
 * Undefined when Warren reported what the explainer expected; otherwise what differs. The
 * routed queues are compared as Warren reports them, only put in order.
 */
export function disagreement(
  expected: ExpectedPublish,
  observed: PublishObservation,
  message: ExplainMessage,
): string | undefined {
  if ('refused' in expected) {
    const { status, code } = expected.refused;
    return observed.status === status && observed.code === code
      ? undefined
      : `expected ${status} ${code}, Warren answered ${observed.status} ${observed.code ?? ''}`.trim();
  }
  if (observed.status !== 200 || observed.routedQueues === undefined)
    return `expected the broker to route it, Warren answered ${observed.status} ${observed.code ?? ''}`.trim();
  const seen = [...observed.routedQueues].sort();
  const returned = observed.returned === true;
  if ('within' in expected) {
    const { certain, possible } = expected.within;
    const missing = certain.filter((q) => !seen.includes(q));
    const beyond = seen.filter((q) => !possible.includes(q));
    if (missing.length > 0 || beyond.length > 0)
      return `routed to ${list(seen)}: expected all of ${list(certain)} and nothing beyond ${list(possible)}`;
    const shouldReturn = message.mandatory === true && seen.length === 0;
    return returned === shouldReturn ? undefined : `returned=${returned}, expected ${shouldReturn}`;
  }
  const match = expected.oneOf.find((o) => o.routedQueues.join('\u0000') === seen.join('\u0000'));
  if (!match) {
    const options = expected.oneOf.map((o) => list(o.routedQueues)).join(' or ');
    return `routed to ${list(seen)}, expected ${options}`;
  }
  return match.returned === returned
    ? undefined
    : `routed to ${list(seen)} and returned=${returned}, expected returned=${match.returned}`;
}
