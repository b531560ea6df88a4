import type { Binding, Exchange, Topology } from './model';

/**
 * The id of the canvas edge from a producer to the exchange it publishes to. Producers have
 * no binding, so their edge needs an id of its own; server, web and tests share this one.
 */
export function producerEdgeId(producerId: string): string {
  return `publish:${producerId}`;
}

/** The canvas edges one message travelled, in the order it travelled them. */
export interface MessagePaths {
  /** The producer's edge into the exchange, when the message came from a drawn producer. */
  producerEdgeId?: string;
  /** One list per routed queue: binding ids from the exchange to that queue, in order. */
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

/**
 * Shortest chain of bindings from `exchange` to every queue reachable over `usable` bindings,
 * breadth first, so a direct binding wins over a detour through other exchanges.
 */
function shortestChains(bindings: Binding[], exchange: string): Map<string, string[]> {
  const toExchange = new Map<string, string[]>([[exchange, []]]);
  const toQueue = new Map<string, string[]>();
  let frontier = [exchange];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const source of frontier) {
      const chain = toExchange.get(source) ?? [];
      for (const binding of bindings) {
        if (binding.source !== source) continue;
        if (binding.destinationType === 'queue') {
          if (!toQueue.has(binding.destination))
            toQueue.set(binding.destination, [...chain, binding.id]);
        } else if (!toExchange.has(binding.destination)) {
          toExchange.set(binding.destination, [...chain, binding.id]);
          next.push(binding.destination);
        }
      }
    }
    frontier = next;
  }
  return toQueue;
}

/**
 * Which canvas edges a message travelled, given where the broker says it went. The broker
 * lists only the final queues, so the path through exchange-to-exchange bindings is
 * reconstructed: the shortest chain whose bindings could match `routingKey`, else the
 * shortest chain at all. Only bindings between drawn objects are used, since only they have
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

  if (producerId !== undefined && exchangeTypes.has(exchange)) {
    const producer = topology.producers.find((p) => p.id === producerId);
    if (producer && producer.exchange === exchange)
      result.producerEdgeId = producerEdgeId(producer.id);
  }

  const drawn = topology.bindings.filter(
    (b) =>
      exchangeTypes.has(b.source) &&
      (b.destinationType === 'queue'
        ? queueNames.has(b.destination)
        : exchangeTypes.has(b.destination)),
  );
  const all = exchangeTypes.has(exchange)
    ? shortestChains(drawn, exchange)
    : new Map<string, string[]>();
  const matching =
    routingKey === undefined
      ? all
      : shortestChains(
          drawn.filter((b) => mayMatch(b, exchangeTypes.get(b.source), routingKey)),
          exchange,
        );

  for (const queue of new Set(routedQueues)) {
    const chain = matching.get(queue) ?? all.get(queue);
    if (chain) result.hops.push(chain);
    else result.unreached.push(queue);
  }
  return result;
}
