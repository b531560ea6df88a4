import {
  compileTopicPattern,
  topicMatch,
  topicReason,
  topicSteps,
  topicWords,
} from './topic-pattern';
import {
  emptyDecision,
  refusedVerdict,
  routingKeysKey,
  take,
  verdictOf,
  type ExchangeRouter,
} from './router';

/**
 * rabbit_exchange_type_topic: a binding matches when its pattern matches the routing key (or
 * a CC or BCC key) word by word; '*' takes one word, '#' any number.
 */
export const topic: ExchangeRouter = {
  prepareBinding(b) {
    b.topic = compileTopicPattern(b.binding.routingKey);
  },
  route(exchange, message) {
    const decision = emptyDecision(exchange);
    const keys = message.routingKeys;
    const words = keys.map(topicWords);
    for (const b of exchange.bindings) {
      const pattern = b.topic;
      if (b.refused !== undefined || !pattern) {
        decision.verdicts.push(refusedVerdict(b));
        continue;
      }
      let hit = -1;
      for (let i = 0; i < words.length; i++) {
        if (topicMatch(pattern, words[i] as string[])) {
          hit = i;
          break;
        }
      }
      // The key that matched, or the routing key itself when none did.
      const shown = hit >= 0 ? hit : 0;
      const steps = topicSteps(pattern, words[shown] ?? []);
      const reason = topicReason(pattern.text, keys[shown] ?? '', hit >= 0, steps);
      const verdict = hit >= 0 ? take(decision, b, reason) : verdictOf(b, false, reason);
      verdict.topic = steps;
      if (hit < 0) decision.verdicts.push(verdict);
    }
    return decision;
  },
  decisionKey: (_exchange, message) => routingKeysKey(message),
};
