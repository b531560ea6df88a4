import { effectiveExchangeArguments } from './arguments';
import type { Binding, Exchange, Producer, Topology } from './model';

/**
 * The id of the canvas edge from a producer to the exchange it publishes to. Producers have
 * no binding, so their edge needs an id of its own; server, web and tests share this one.
 */
export function producerEdgeId(producerId: string): string {
  return `publish:${producerId}`;
}

/**
 * The queue a producer reaches through the default exchange, drawn as its own line: it
 * publishes to `''` with one fixed key, and the diagram has a queue of that name (the default
 * exchange delivers to the queue the key names).
 */
export function defaultExchangeTarget(
  producer: Pick<Producer, 'exchange' | 'routingKey' | 'routingKeyStrategy'>,
  queueNames: ReadonlySet<string>,
): string | undefined {
  if (producer.exchange !== '' || producer.routingKey === '') return undefined;
  const strategy = producer.routingKeyStrategy?.kind ?? 'fixed';
  if (strategy !== 'fixed') return undefined;
  return queueNames.has(producer.routingKey) ? producer.routingKey : undefined;
}

/** The id of the canvas edge from a queue to a consumer reading it (no binding either). */
export function consumerEdgeId(consumerId: string): string {
  return `consume:${consumerId}`;
}

/** Id of the drawn dead-letter or alternate-exchange relation of a queue or exchange. */
export function relationEdgeId(relation: 'dead-letter' | 'alternate', nodeId: string): string {
  return `${relation}:${nodeId}`;
}

/** Id of the edge from a client outside Warren to an exchange it publishes to. */
export function outsidePublishEdgeId(clientId: string, exchange: string): string {
  return `outside:${clientId}:publish:${exchange}`;
}

/** Id of the edge from a queue to a client outside Warren that consumes it. */
export function outsideConsumeEdgeId(clientId: string, queue: string): string {
  return `outside:${clientId}:consume:${queue}`;
}

/** The canvas edges one message travelled, in the order it travelled them. */
export interface MessagePaths {
  /** The producer's edge into the exchange, when the message came from a drawn producer. */
  producerEdgeId?: string;
  /**
   * One list per routed queue: the edges from the exchange to that queue, in order (binding
   * ids, and `alternate:<exchange id>` where an alternate exchange took the message); empty
   * when the producer's own line through the default exchange ends at the queue.
   */
  hops: string[][];
  /** Routed queues the diagram draws no path to (e.g. reached through the default exchange). */
  unreached: string[];
}

/**
 * Whether a topic binding pattern matches a routing key: words are separated by dots, `*`
 * stands for exactly one word and `#` for zero or more. An empty key has no words, as in
 * RabbitMQ.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const p = pattern === '' ? [] : pattern.split('.');
  const k = routingKey === '' ? [] : routingKey.split('.');
  // matches[i][j]: p[i..] matches k[j..]; filled from the end so each cell is read once.
  const matches: boolean[][] = Array.from({ length: p.length + 1 }, () =>
    Array<boolean>(k.length + 1).fill(false),
  );
  const at = (i: number, j: number) => matches[i]?.[j] ?? false;
  for (let i = p.length; i >= 0; i--) {
    for (let j = k.length; j >= 0; j--) {
      let value: boolean;
      if (i === p.length) value = j === k.length;
      else if (p[i] === '#') value = at(i + 1, j) || (j < k.length && at(i, j + 1));
      else value = j < k.length && (p[i] === '*' || p[i] === k[j]) && at(i + 1, j + 1);
      const row = matches[i];
      if (row) row[j] = value;
    }
  }
  return at(0, 0);
}

/**
 * Whether a binding may have carried a message with this routing key. Only a hint for
 * choosing among several drawn paths: the broker's `routed_queues` stays the truth, so types
 * whose decision needs more than the key (headers, consistent hash) count as matching.
 */
function mayMatch(
  binding: Binding,
  type: Exchange['type'] | undefined,
  routingKey: string,
): boolean {
  switch (type) {
    case 'direct':
      return binding.routingKey === routingKey;
    case 'topic':
      return topicMatches(binding.routingKey, routingKey);
    default:
      return true;
  }
}

/** One step a message can take from an exchange: a binding, or its alternate exchange. */
interface Link {
  /** The canvas edge's id. */
  id: string;
  source: string;
  destination: string;
  destinationType: 'queue' | 'exchange';
}

/**
 * Shortest chain of links from `exchange` to every queue reachable over them, breadth first,
 * so a direct binding wins over a detour through other exchanges.
 */
function shortestChains(links: Link[], exchange: string): Map<string, string[]> {
  const toExchange = new Map<string, string[]>([[exchange, []]]);
  const toQueue = new Map<string, string[]>();
  let frontier = [exchange];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const source of frontier) {
      const chain = toExchange.get(source) ?? [];
      for (const link of links) {
        if (link.source !== source) continue;
        if (link.destinationType === 'queue') {
          if (!toQueue.has(link.destination)) toQueue.set(link.destination, [...chain, link.id]);
        } else if (!toExchange.has(link.destination)) {
          toExchange.set(link.destination, [...chain, link.id]);
          next.push(link.destination);
        }
      }
    }
    frontier = next;
  }
  return toQueue;
}

const bindingLink = (b: Binding): Link => ({
  id: b.id,
  source: b.source,
  destination: b.destination,
  destinationType: b.destinationType,
});

/**
 * Which canvas edges a message travelled, given where the broker says it went. The broker
 * lists only the final queues, so the path through exchange-to-exchange bindings and alternate
 * exchanges is reconstructed: the shortest chain whose bindings could match `routingKey`, else
 * the shortest chain at all. Only links between drawn objects are used, since only they have
 * an edge to travel.
 */
export function routePaths(
  topology: Topology,
  exchange: string,
  routedQueues: readonly string[],
  producerId?: string,
  routingKey?: string,
): MessagePaths {
  const result: MessagePaths = { hops: [], unreached: [] };
  const exchangeTypes = new Map(topology.exchanges.map((x) => [x.name, x.type] as const));
  const queueNames = new Set(topology.queues.map((q) => q.name));

  const producer =
    producerId === undefined ? undefined : topology.producers.find((p) => p.id === producerId);
  if (producer && producer.exchange === exchange && exchangeTypes.has(exchange))
    result.producerEdgeId = producerEdgeId(producer.id);
  // A producer's own line through the default exchange ends at the queue itself.
  const direct =
    producer && exchange === '' ? defaultExchangeTarget(producer, queueNames) : undefined;
  if (direct !== undefined && producer && routedQueues.includes(direct))
    result.producerEdgeId = producerEdgeId(producer.id);

  const drawn = topology.bindings.filter(
    (b) =>
      exchangeTypes.has(b.source) &&
      (b.destinationType === 'queue'
        ? queueNames.has(b.destination)
        : exchangeTypes.has(b.destination)),
  );
  // Alternate exchanges (by argument or policy) drawn as relation edges.
  const alternates: Link[] = [];
  for (const x of topology.exchanges) {
    const target = effectiveExchangeArguments(topology, x).get('alternate-exchange')?.value;
    if (typeof target === 'string' && exchangeTypes.has(target)) {
      alternates.push({
        id: relationEdgeId('alternate', x.id),
        source: x.name,
        destination: target,
        destinationType: 'exchange',
      });
    }
  }
  const all = exchangeTypes.has(exchange)
    ? shortestChains([...drawn.map(bindingLink), ...alternates], exchange)
    : new Map<string, string[]>();
  let matching = all;
  if (routingKey !== undefined) {
    const usable = drawn.filter((b) => mayMatch(b, exchangeTypes.get(b.source), routingKey));
    // An exchange hands a message to its alternate only when none of its bindings matches.
    const matched = new Set(usable.map((b) => b.source));
    matching = shortestChains(
      [...usable.map(bindingLink), ...alternates.filter((a) => !matched.has(a.source))],
      exchange,
    );
  }

  for (const queue of new Set(routedQueues)) {
    if (queue === direct) {
      result.hops.push([]);
      continue;
    }
    const chain = matching.get(queue) ?? all.get(queue);
    if (chain) result.hops.push(chain);
    else result.unreached.push(queue);
  }
  return result;
}
