/*
 * The plain constants and helpers of the document model, apart from its schemas, so code that
 * only needs these (the browser's first load) does not bring the schema library along.
 */
import type { Topology } from './model';

/** The version of the topology document this code reads and writes. */
export const TOPOLOGY_VERSION = 1;

/** Exchange types Warren can draw and materialize. */
export const EXCHANGE_TYPES = [
  'direct',
  'fanout',
  'topic',
  'headers',
  'x-consistent-hash',
] as const;
export type ExchangeType = (typeof EXCHANGE_TYPES)[number];

/** What a policy applies to, as the broker's `apply-to` says it. */
export const POLICY_TARGETS = [
  'queues',
  'exchanges',
  'all',
  'classic_queues',
  'quorum_queues',
] as const;
export type PolicyTarget = (typeof POLICY_TARGETS)[number];

/** An empty document, the starting point of a new diagram. */
export function emptyTopology(): Topology {
  return { version: TOPOLOGY_VERSION, exchanges: [], queues: [], bindings: [], producers: [] };
}

/** Exchanges every vhost has; they are never declared or deleted by Warren. */
export function isBuiltInExchange(name: string): boolean {
  return name === '' || name.startsWith('amq.');
}

/**
 * A name the broker gave a queue a client declared without one (`amq.gen-…`). Such a queue can
 * only be the client's own: nobody may declare a queue under that name, so a diagram carries it
 * only when it shows what a client declared on the vhost.
 */
export function isServerGeneratedQueueName(name: string): boolean {
  return name.startsWith('amq.gen-');
}

/** The exchanges every vhost is created with, by type ('' is the default exchange). */
export const BUILT_IN_EXCHANGES: Readonly<Record<string, ExchangeType>> = {
  '': 'direct',
  'amq.direct': 'direct',
  'amq.fanout': 'fanout',
  'amq.topic': 'topic',
  'amq.headers': 'headers',
  'amq.match': 'headers',
};

/** The type of an exchange the diagram draws or the broker always has. */
export function exchangeTypeOf(topology: Topology, name: string): ExchangeType | undefined {
  return topology.exchanges.find((e) => e.name === name)?.type ?? BUILT_IN_EXCHANGES[name];
}
