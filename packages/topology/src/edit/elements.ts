import type { Binding, Consumer, Exchange, Producer, Queue, Topology } from '../model';
import { consumerEdgeId, producerEdgeId } from '../paths';

/**
 * The nodes and edges of a diagram as one kind of thing: what is selected, inspected,
 * renamed or deleted. Edges that are not bindings stand for a field of their node (a
 * producer's exchange, a consumer's queue).
 */

export type NodeKind = 'producer' | 'exchange' | 'queue' | 'consumer';

export type DiagramElement =
  | { kind: 'exchange'; item: Exchange }
  | { kind: 'queue'; item: Queue }
  | { kind: 'producer'; item: Producer }
  | { kind: 'consumer'; item: Consumer }
  | { kind: 'binding'; item: Binding }
  | { kind: 'publish'; item: Producer }
  | { kind: 'consume'; item: Consumer };

export function findElement(topology: Topology, id: string): DiagramElement | undefined {
  const exchange = topology.exchanges.find((x) => x.id === id);
  if (exchange) return { kind: 'exchange', item: exchange };
  const queue = topology.queues.find((q) => q.id === id);
  if (queue) return { kind: 'queue', item: queue };
  const producer = topology.producers.find((p) => p.id === id);
  if (producer) return { kind: 'producer', item: producer };
  const binding = topology.bindings.find((b) => b.id === id);
  if (binding) return { kind: 'binding', item: binding };
  const publisher = topology.producers.find((p) => producerEdgeId(p.id) === id);
  if (publisher) return { kind: 'publish', item: publisher };
  const consumer = topology.consumers?.find((c) => c.id === id);
  if (consumer) return { kind: 'consumer', item: consumer };
  const reader = topology.consumers?.find((c) => consumerEdgeId(c.id) === id);
  if (reader?.queue) return { kind: 'consume', item: reader };
  return undefined;
}

/** The id of the node or edge a JSON pointer into `topology` lands in, e.g. `/bindings/2/routingKey`. */
export function elementAtPath(topology: Topology, path: string): string | undefined {
  const [, collection, index] = path.split('/');
  if (index === undefined) return undefined;
  const i = Number(index);
  switch (collection) {
    case 'exchanges':
      return topology.exchanges[i]?.id;
    case 'queues':
      return topology.queues[i]?.id;
    case 'bindings':
      return topology.bindings[i]?.id;
    case 'producers':
      return topology.producers[i]?.id;
    case 'consumers':
      return topology.consumers?.[i]?.id;
    case 'policies':
      return topology.policies?.[i]?.id;
    default:
      return undefined;
  }
}

/** The JSON pointer of an exchange, queue, binding, producer, consumer or policy: `/queues/2`. */
export function pathOfElement(topology: Topology, id: string): string | undefined {
  const lists: [string, readonly { id: string }[]][] = [
    ['exchanges', topology.exchanges],
    ['queues', topology.queues],
    ['bindings', topology.bindings],
    ['producers', topology.producers],
    ['consumers', topology.consumers ?? []],
    ['policies', topology.policies ?? []],
  ];
  for (const [collection, list] of lists) {
    const index = list.findIndex((item) => item.id === id);
    if (index >= 0) return `/${collection}/${index}`;
  }
  return undefined;
}

/**
 * Problems inside one object, by the field they point at: `/queues/2/arguments/x-message-ttl`
 * under `/queues/2` is field `x-message-ttl`, `/queues/2/durable` is `durable`. Problems with
 * the object as a whole are under `''`.
 */
export function fieldProblems(
  problems: readonly { path?: string; message: string }[],
  objectPath: string,
): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const problem of problems) {
    const path = problem.path;
    if (path === undefined) continue;
    if (path !== objectPath && !path.startsWith(`${objectPath}/`)) continue;
    const rest = path.slice(objectPath.length).split('/').slice(1);
    const last = rest.at(-1);
    const field = last === undefined ? '' : last.replace(/~1/g, '/').replace(/~0/g, '~');
    const list = result.get(field) ?? [];
    if (!list.includes(problem.message)) list.push(problem.message);
    result.set(field, list);
  }
  return result;
}
