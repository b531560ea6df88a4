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
import type { TopicStep } from '../types';

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
    // Many bindings often share a pattern ('#', 'order.*'): each one is worked out once.
    const outcomes = new Map<string, { hit: number; steps: TopicStep[]; reason: string }>();
    for (const b of exchange.bindings) {
      const pattern = b.topic;
      if (b.refused !== undefined || !pattern) {
        decision.verdicts.push(refusedVerdict(b));
        continue;
      }
      let outcome = outcomes.get(pattern.text);
      if (outcome === undefined) {
        let found = -1;
        for (let i = 0; i < words.length; i++) {
          if (topicMatch(pattern, words[i] as string[])) {
            found = i;
            break;
          }
        }
        // The key that matched, or the routing key itself when none did.
        const shown = found >= 0 ? found : 0;
        const explained = topicSteps(pattern, words[shown] ?? []);
        outcome = {
          hit: found,
          steps: explained,
          reason: topicReason(pattern.text, keys[shown] ?? '', found >= 0, explained),
        };
        outcomes.set(pattern.text, outcome);
      }
      const { hit, steps, reason } = outcome;
      const verdict = hit >= 0 ? take(decision, b, reason) : verdictOf(b, false, reason);
      verdict.topic = steps;
      if (hit < 0) decision.verdicts.push(verdict);
    }
    return decision;
  },
  decisionKey: (_exchange, message) => routingKeysKey(message),
};
