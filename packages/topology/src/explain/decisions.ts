import type { CompiledExchange, CompiledTopology } from './compiled';
import { routerOf, type Decision, type RoutingMessage } from './exchange-types';

/**
 * Runs one exchange's own matching (its type's route/2); an exchange none of whose bindings
 * takes the message hands it to its alternate exchange.
 */
export function decide(
  compiled: CompiledTopology,
  exchange: CompiledExchange,
  message: RoutingMessage,
): Decision {
  const decision = routerOf(exchange).route(exchange, message, compiled);
  if (decision.destinations.length === 0 && decision.choice === undefined && exchange.alternate)
    decision.alternate = exchange.alternate.name;
  return decision;
}

/** Decisions already made for this message, one per exchange. */
export class Decisions {
  constructor(
    private readonly compiled: CompiledTopology,
    private readonly message: RoutingMessage,
    private readonly walk: number,
  ) {}

  of(x: CompiledExchange): Decision {
    if (x.decidedIn === this.walk) return x.decision as Decision;
    const d = cachedDecision(this.compiled, x, this.message);
    x.decidedIn = this.walk;
    x.decision = d;
    return d;
  }
}

/** Decisions kept per exchange; beyond this many distinct messages the cache starts over. */
const DECISION_CACHE_SIZE = 512;

/**
 * An exchange decides the same way for every message that agrees on what it looks at, so the
 * verdicts are made once per routing key (or header values) and shared, frozen, by every
 * explanation; only the notes a walk adds are its own.
 */
function cachedDecision(
  compiled: CompiledTopology,
  x: CompiledExchange,
  message: RoutingMessage,
): Decision {
  const key = routerOf(x).decisionKey(x, message);
  if (key === undefined) return decide(compiled, x, message);
  let cached = x.decisions.get(key) as Decision | undefined;
  if (cached === undefined) {
    cached = decide(compiled, x, message);
    for (const verdict of cached.verdicts) {
      if (verdict.topic) for (const step of verdict.topic) Object.freeze(step.words);
      if (verdict.headers) Object.freeze(verdict.headers.checks);
      Object.freeze(verdict);
    }
    Object.freeze(cached.verdicts);
    if (x.decisions.size >= DECISION_CACHE_SIZE) x.decisions.clear();
    x.decisions.set(key, cached);
  }
  return {
    exchange: x,
    verdicts: cached.verdicts,
    destinations: cached.destinations,
    ...(cached.choice ? { choice: cached.choice } : {}),
    ...(cached.unknownQueues ? { unknownQueues: cached.unknownQueues } : {}),
    ...(cached.alternate === undefined ? {} : { alternate: cached.alternate }),
    notes: cached.notes.slice(),
  };
}
