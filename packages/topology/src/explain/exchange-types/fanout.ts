import { emptyDecision, refusedVerdict, take, type ExchangeRouter } from './router';

/** rabbit_exchange_type_fanout: every binding takes the message, whatever its routing key. */
export const fanout: ExchangeRouter = {
  route(exchange) {
    const decision = emptyDecision(exchange);
    for (const b of exchange.bindings) {
      if (b.refused !== undefined) decision.verdicts.push(refusedVerdict(b));
      else
        take(
          decision,
          b,
          'A fanout exchange sends every message to all its bindings; the routing key does not matter',
        );
    }
    return decision;
  },
  decisionKey: () => '',
};
