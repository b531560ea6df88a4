import type { Binding, Exchange, ExchangeType, Policy, Queue, Topology } from '../model';

/** Small builders for explainer tests: a topology reads like the diagram it stands for. */

export function exchange(
  name: string,
  type: ExchangeType,
  extra: Partial<Omit<Exchange, 'name' | 'type'>> = {},
): Exchange {
  return {
    id: `x-${name}`,
    name,
    type,
    durable: true,
    autoDelete: false,
    internal: false,
    ...extra,
  };
}

export function queue(
  name: string,
  args?: Record<string, unknown>,
  extra: Partial<Queue> = {},
): Queue {
  return {
    id: `q-${name}`,
    name,
    durable: true,
    exclusive: false,
    autoDelete: false,
    ...(args ? { arguments: args } : {}),
    ...extra,
  };
}

let bindingCount = 0;

/** A binding from `source` to a queue, or to an exchange when `to` starts with 'x:'. */
export function bind(
  source: string,
  to: string,
  routingKey = '',
  args?: Record<string, unknown>,
): Binding {
  const toExchange = to.startsWith('x:');
  bindingCount++;
  return {
    id: `b${bindingCount}`,
    source,
    destination: toExchange ? to.slice(2) : to,
    destinationType: toExchange ? 'exchange' : 'queue',
    routingKey,
    ...(args ? { arguments: args } : {}),
  };
}

export function policy(
  name: string,
  pattern: string,
  definition: Record<string, unknown>,
  extra: Partial<Policy> = {},
): Policy {
  return {
    id: `p-${name}`,
    name,
    pattern,
    applyTo: 'all',
    priority: 0,
    definition,
    ...extra,
  };
}

export function topology(parts: {
  exchanges?: Exchange[];
  queues?: Queue[];
  bindings?: Binding[];
  policies?: Policy[];
}): Topology {
  return {
    version: 1,
    exchanges: parts.exchanges ?? [],
    queues: parts.queues ?? [],
    bindings: parts.bindings ?? [],
    producers: [],
    ...(parts.policies ? { policies: parts.policies } : {}),
  };
}
