import {
  TOPOLOGY_VERSION,
  type Binding,
  type Exchange,
  type ExchangeType,
  type Policy,
  type Queue,
  type Topology,
} from '../model';

/**
 * Builders for the small documents tests draw by hand, so a test reads like the diagram it
 * stands for. Each object gets an id derived from its name (`x-orders`, `q-billing`, `p-ttl`)
 * and the settings a freshly drawn node has (durable, not auto-deleted, no arguments); `more`
 * overrides any field, the id included, where a test needs something else.
 */

export function exchange(
  name: string,
  type: ExchangeType = 'direct',
  more: Partial<Exchange> = {},
): Exchange {
  return {
    id: `x-${name}`,
    name,
    type,
    durable: true,
    autoDelete: false,
    internal: false,
    ...more,
  };
}

export function queue(name: string, more: Partial<Queue> = {}): Queue {
  return {
    id: `q-${name}`,
    name,
    durable: true,
    exclusive: false,
    autoDelete: false,
    ...more,
  };
}

/** A binding to a queue; `{ destinationType: 'exchange' }` in `more` binds to an exchange. */
export function binding(
  source: string,
  destination: string,
  routingKey = '',
  more: Partial<Binding> = {},
): Binding {
  return {
    id: `b-${source}-${destination}-${routingKey}`,
    source,
    destination,
    destinationType: 'queue',
    routingKey,
    ...more,
  };
}

/**
 * A binding builder whose ids count up from `b1` in the order it is called. Unlike the ids
 * `binding` makes, they stay unique when one source, destination and routing key are bound
 * twice with different arguments, as headers bindings may be.
 */
export function numberedBindings(): typeof binding {
  let count = 0;
  return (source, destination, routingKey = '', more = {}) =>
    binding(source, destination, routingKey, { id: `b${++count}`, ...more });
}

export function policy(
  name: string,
  pattern: string,
  definition: Record<string, unknown>,
  more: Partial<Policy> = {},
): Policy {
  return { id: `p-${name}`, name, pattern, applyTo: 'all', priority: 0, definition, ...more };
}

/** A whole document: the parts given, every other list empty. */
export function topology(parts: Partial<Topology> = {}): Topology {
  return {
    version: TOPOLOGY_VERSION,
    exchanges: [],
    queues: [],
    bindings: [],
    producers: [],
    ...parts,
  };
}
