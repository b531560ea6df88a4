import type { CompiledBinding, CompiledExchange, CompiledTopology } from '../compiled';
import type { BindingVerdict } from '../types';

/** The parts of a message routing looks at. */
export interface RoutingMessage {
  /** The routing key first, then the keys of the CC and BCC headers. */
  routingKeys: string[];
  headers: Record<string, unknown> | undefined;
}

export interface Destination {
  type: 'queue' | 'exchange';
  name: string;
  bindingId?: string;
}

/** What one exchange does with the message, whichever way the message came. */
export interface Decision {
  exchange: CompiledExchange;
  verdicts: BindingVerdict[];
  /** Destinations it certainly routes to. */
  destinations: Destination[];
  /** Consistent-hash with several destinations on the ring: exactly one of these. */
  choice?: Destination[];
  /**
   * Queue names it routes to that no queue has. Only the default exchange names queues without
   * looking them up; the broker lists such names in `routed_queues` and then drops the message
   * for them.
   */
  unknownQueues?: string[];
  /** Its alternate exchange takes the message: no binding matched. */
  alternate?: string;
  notes: string[];
}

/**
 * One exchange type, as the broker keeps one module per type (rabbit_exchange_type_direct,
 * _fanout, _topic, _headers, _consistent_hash) behind one behaviour: the bindings are read once,
 * then each message gets a verdict, with its reason, from every binding.
 */
export interface ExchangeRouter {
  /**
   * Reads one binding for every message to come (the type's validate_binding and add_binding):
   * its pattern or weight, or why the broker refuses it.
   */
  prepareBinding?(binding: CompiledBinding): void;
  /** Once every binding of the exchange is read: the hash ring, the header names compared. */
  prepareExchange?(exchange: CompiledExchange): void;
  /** The type's route/2: which bindings match the message and why, and where it goes. */
  route(exchange: CompiledExchange, message: RoutingMessage, compiled: CompiledTopology): Decision;
  /**
   * What route/2 looks at in the message, as text: messages with the same key get the same
   * decision. Undefined when it cannot be put so.
   */
  decisionKey(exchange: CompiledExchange, message: RoutingMessage): string | undefined;
}

export const quote = (s: string) => `'${s}'`;
export const quoteAll = (list: readonly string[]) => list.map(quote).join(', ');

export function emptyDecision(exchange: CompiledExchange): Decision {
  return { exchange, verdicts: [], destinations: [], notes: [] };
}

export function destinationOf(b: CompiledBinding): Destination {
  return { type: b.binding.destinationType, name: b.binding.destination, bindingId: b.binding.id };
}

export function verdictOf(b: CompiledBinding, matched: boolean, reason: string): BindingVerdict {
  return {
    bindingId: b.binding.id,
    source: b.binding.source,
    destination: b.binding.destination,
    destinationType: b.binding.destinationType,
    routingKey: b.binding.routingKey,
    matched,
    reason,
  };
}

/** The verdict of a binding the broker does not have: it matches nothing. */
export function refusedVerdict(b: CompiledBinding): BindingVerdict {
  return verdictOf(b, false, b.refused ?? 'the broker has no such binding');
}

/** Records a matching binding: its verdict, and its destination among those taken. */
export function take(decision: Decision, b: CompiledBinding, reason: string): BindingVerdict {
  const verdict = verdictOf(b, true, reason);
  decision.verdicts.push(verdict);
  decision.destinations.push(destinationOf(b));
  return verdict;
}

/** The decision key of types that look at the routing keys only. */
export function routingKeysKey(message: RoutingMessage): string | undefined {
  const keys = message.routingKeys;
  return keys.length === 1 ? keys[0] : keys.join('\u0001');
}
