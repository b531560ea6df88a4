import { compileHeadersPattern, headersMatch } from './headers-pattern';
import { emptyDecision, refusedVerdict, take, verdictOf, type ExchangeRouter } from './router';

/**
 * rabbit_exchange_type_headers: the routing key does not count; each binding compares its
 * arguments with the message's headers, as its `x-match` says (all, any, all-with-x, any-with-x).
 */
export const headers: ExchangeRouter = {
  prepareBinding(b) {
    b.headers = compileHeadersPattern(b.binding.arguments);
    if (b.headers.invalid !== undefined) b.refused = b.headers.invalid;
  },
  prepareExchange(exchange) {
    const keys = new Set<string>();
    for (const b of exchange.bindings) for (const k of b.headers?.keys ?? []) keys.add(k.key);
    exchange.headerKeys = [...keys].sort();
  },
  route(exchange, message) {
    const decision = emptyDecision(exchange);
    for (const b of exchange.bindings) {
      // A bad x-match is refused too, yet its checks are still worth showing.
      if (!b.headers || (b.refused !== undefined && b.headers.invalid === undefined)) {
        decision.verdicts.push(refusedVerdict(b));
        continue;
      }
      const result = headersMatch(b.headers, message.headers);
      const verdict = result.matched
        ? take(decision, b, result.reason)
        : verdictOf(b, false, result.reason);
      verdict.headers = { mode: b.headers.mode, checks: result.checks };
      if (!result.matched) decision.verdicts.push(verdict);
    }
    return decision;
  },
  decisionKey(exchange, message) {
    let key = '';
    for (const name of exchange.headerKeys ?? []) {
      const part = valueKey(message.headers?.[name]);
      if (part === undefined) return undefined;
      key += `${part}\u0001`;
    }
    return key;
  },
};

/** A header value as part of a decision key; undefined when it cannot be written down. */
function valueKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return '-';
    case 'string':
      return `s${value.length}:${value}`;
    case 'number':
      return `n${value}`;
    case 'boolean':
      return value ? 't' : 'f';
    default:
      try {
        return `j${JSON.stringify(value)}`;
      } catch {
        return undefined;
      }
  }
}
