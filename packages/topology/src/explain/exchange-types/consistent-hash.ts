import type { CompiledBinding } from '../compiled';
import {
  destinationOf,
  emptyDecision,
  quote,
  refusedVerdict,
  routingKeysKey,
  verdictOf,
  type ExchangeRouter,
} from './router';

/**
 * rabbit_exchange_type_consistent_hash: each destination holds as many buckets of a hash ring
 * as its binding's weight, and the broker sends the message to exactly one of them, the one
 * whose bucket the hash of the routing key (or a header, or a property) falls in. The explainer
 * does not hash: it names the possible destinations, and the walk lists what each pick leads to.
 */
export const consistentHash: ExchangeRouter = {
  prepareBinding(b) {
    const weight = hashWeight(b.binding.routingKey);
    if (weight === undefined)
      b.refused = `the binding key '${b.binding.routingKey}' of a consistent-hash exchange must be a whole number of at least 1 (its weight), so the broker refuses this binding`;
    else b.weight = weight;
  },
  prepareExchange(exchange) {
    exchange.hashOn = hashSubject(exchange.arguments ?? {});
    // The ring holds each destination once: a second binding to it adds no buckets.
    const seen = new Set<string>();
    const ring: CompiledBinding[] = [];
    for (const b of exchange.bindings) {
      if (b.refused !== undefined) continue;
      const key = `${b.binding.destinationType}:${b.binding.destination}`;
      if (seen.has(key)) b.duplicateOnRing = true;
      else {
        seen.add(key);
        ring.push(b);
      }
    }
    exchange.ring = ring;
    if (ring.length > 0)
      exchange.candidates = ring.map((b) => ({
        destination: b.binding.destination,
        destinationType: b.binding.destinationType,
        weight: b.weight ?? 1,
      }));
  },
  route(exchange, message) {
    const decision = emptyDecision(exchange);
    const ring = exchange.ring ?? [];
    const total = ring.reduce((sum, b) => sum + (b.weight ?? 0), 0);
    const subject =
      exchange.hashOn === 'the routing key'
        ? `the routing key ${quote(message.routingKeys[0] ?? '')}`
        : exchange.hashOn;
    for (const b of exchange.bindings) {
      if (b.refused !== undefined) {
        decision.verdicts.push(refusedVerdict(b));
      } else if (b.duplicateOnRing === true) {
        decision.verdicts.push(
          verdictOf(
            b,
            false,
            `${quote(b.binding.destination)} is already on the hash ring through an earlier binding; the broker ignores this one`,
          ),
        );
      } else if (ring.length === 1) {
        decision.verdicts.push(
          verdictOf(b, true, `the only destination on the hash ring receives every message`),
        );
      } else {
        const verdict = verdictOf(
          b,
          false,
          `the broker hashes ${subject} and picks exactly one destination; this one holds ${b.weight} of ${total} buckets`,
        );
        verdict.candidate = true;
        decision.verdicts.push(verdict);
      }
    }
    if (ring.length === 1) decision.destinations.push(destinationOf(ring[0] as CompiledBinding));
    else if (ring.length > 1) decision.choice = ring.map(destinationOf);
    return decision;
  },
  decisionKey: (_exchange, message) => routingKeysKey(message),
};

/** rabbit_exchange_type_consistent_hash validates the key with list_to_integer, then >= 1. */
function hashWeight(key: string): number | undefined {
  if (!/^[+-]?\d+$/.test(key)) return undefined;
  const weight = Number.parseInt(key, 10);
  return weight >= 1 ? weight : undefined;
}

/** What the broker hashes, in words: the `hash-header`, the `hash-property`, or the routing key. */
function hashSubject(args: Record<string, unknown>): string {
  const header = args['hash-header'];
  const property = args['hash-property'];
  if (typeof header === 'string') return `the header '${header}'`;
  if (typeof property === 'string') return `the property ${property}`;
  return 'the routing key';
}
