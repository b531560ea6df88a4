import type { ExplainOutcome } from '../../canvas/derive/explain-route';
import type { BrokerComparison } from '../../store/state';

/** What the broker reported for one publish: its firehose `routed_queues`, and any return. */
export interface BrokerOutcome {
  routedQueues: readonly string[];
  returned: boolean;
  messageId: string | null;
  at: number;
}

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

/**
 * Puts the broker's outcome next to the prediction. They agree when the broker routed to
 * exactly the predicted queues plus one queue of each consistent-hash choice, and returned
 * the message exactly when the prediction said it would.
 */
export function compareWithBroker(
  prediction: ExplainOutcome,
  broker: BrokerOutcome,
  messageKey = '',
): BrokerComparison {
  const brokerQueues = sorted(broker.routedQueues);
  const base = {
    messageKey,
    at: broker.at,
    messageId: broker.messageId,
    brokerQueues,
    brokerReturned: broker.returned,
  };
  if (!prediction.ok) {
    return {
      ...base,
      predictedQueues: [],
      hashChoices: [],
      predictedReturned: false,
      agreed: false,
      problem: prediction.problem,
    };
  }
  const { explanation } = prediction;
  // The broker's own list may name queues no message reaches (the default exchange lists a
  // routing key's queue before looking it up): compare with the explainer's forecast of it.
  const predictedQueues = sorted(explanation.routedQueues ?? explanation.queues);
  let agreed: boolean;
  if (explanation.outcomes && explanation.outcomes.length > 0) {
    // Consistent hashing leaves a choice: the broker's set must be one of the possible ones.
    const seen = brokerQueues.join('\n');
    agreed = explanation.outcomes.some((outcome) => sorted(outcome).join('\n') === seen);
  } else {
    const extra = new Set(brokerQueues.filter((q) => !predictedQueues.includes(q)));
    agreed = predictedQueues.every((q) => brokerQueues.includes(q));
    for (const choice of explanation.hashChoices) {
      const picked = choice.queues.filter((q) => extra.has(q));
      if (picked.length !== 1) agreed = false;
      for (const q of picked) extra.delete(q);
    }
    if (extra.size > 0) agreed = false;
  }
  if (explanation.returned !== broker.returned) agreed = false;
  return {
    ...base,
    predictedQueues,
    hashChoices: explanation.hashChoices,
    predictedReturned: explanation.returned,
    agreed,
  };
}
