import {
  emptyDecision,
  quote,
  quoteAll,
  refusedVerdict,
  routingKeysKey,
  take,
  verdictOf,
  type ExchangeRouter,
} from './router';

/**
 * rabbit_exchange_type_direct: a binding matches when its key equals the routing key, or one of
 * the CC and BCC keys.
 */
export const direct: ExchangeRouter = {
  route(exchange, message) {
    const decision = emptyDecision(exchange);
    const keys = message.routingKeys;
    const key = keys[0] ?? '';
    for (const b of exchange.bindings) {
      if (b.refused !== undefined) {
        decision.verdicts.push(refusedVerdict(b));
        continue;
      }
      const bindingKey = b.binding.routingKey;
      const matched = keys.length === 1 ? bindingKey === key : keys.includes(bindingKey);
      if (matched)
        take(decision, b, `binding key ${quote(bindingKey)} = routing key ${quote(bindingKey)}`);
      else
        decision.verdicts.push(
          verdictOf(
            b,
            false,
            keys.length > 1
              ? `binding key ${quote(bindingKey)} is none of the routing keys ${quoteAll(keys)}`
              : `binding key ${quote(bindingKey)} ≠ routing key ${quote(key)}`,
          ),
        );
    }
    return decision;
  },
  decisionKey: (_exchange, message) => routingKeysKey(message),
};
