import type { Exchange, Queue } from '@warren/topology';
import { exchange as drawnExchange, queue as drawnQueue } from '@warren/topology/testing';

/**
 * Builders for the small diagrams the producer and consumer tests run: transient objects,
 * since each test's vhost goes away with its session.
 */

export { binding, topology } from '@warren/topology/testing';

export const exchange = (
  name: string,
  type: Exchange['type'] = 'direct',
  more: Partial<Exchange> = {},
): Exchange => drawnExchange(name, type, { durable: false, ...more });

export const queue = (name: string, more: Partial<Queue> = {}): Queue =>
  drawnQueue(name, { durable: false, ...more });
