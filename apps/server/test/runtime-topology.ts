import type { Binding, Exchange, Queue, Topology } from '@warren/topology';

/**
 * Builders for the small diagrams the producer and consumer tests run: transient objects,
 * since each test's vhost goes away with its session.
 */

export const exchange = (
  name: string,
  type: Exchange['type'] = 'direct',
  more: Partial<Exchange> = {},
): Exchange => ({
  id: `x-${name}`,
  name,
  type,
  durable: false,
  autoDelete: false,
  internal: false,
  ...more,
});

export const queue = (name: string, more: Partial<Queue> = {}): Queue => ({
  id: `q-${name}`,
  name,
  durable: false,
  exclusive: false,
  autoDelete: false,
  ...more,
});

export const binding = (source: string, destination: string, routingKey = ''): Binding => ({
  id: `b-${source}-${destination}-${routingKey}`,
  source,
  destination,
  destinationType: 'queue',
  routingKey,
});

export function topology(parts: Partial<Topology>): Topology {
  return { version: 1, exchanges: [], queues: [], bindings: [], producers: [], ...parts };
}
