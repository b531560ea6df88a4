import type { ArgumentTable, Topology } from '../model';
import { findElement } from './elements';

/**
 * Why `name` cannot be given to the object `id` right now, or undefined when it can. Renames
 * are refused while they collide, because references are by name: two exchanges briefly
 * sharing one would merge their bindings for good.
 */
export function nameProblem(topology: Topology, id: string, name: string): string | undefined {
  const element = findElement(topology, id);
  if (!element) return undefined;
  if (element.kind === 'producer')
    return name.trim() === '' ? 'A producer needs a name.' : undefined;
  if (element.kind === 'consumer') {
    if (name.trim() === '') return 'A consumer needs a name.';
    // Its controls and counters are found by name, so two consumers must not share one.
    if (topology.consumers?.some((c) => c.id !== id && c.name === name))
      return `Another consumer is named '${name}'.`;
    return undefined;
  }
  if (name === '')
    return element.kind === 'exchange' ? 'An exchange needs a name.' : 'A queue needs a name.';
  if (element.kind === 'exchange') {
    if (name.startsWith('amq.')) return "Names starting with 'amq.' are reserved by the broker.";
    if (topology.exchanges.some((x) => x.id !== id && x.name === name))
      return `Another exchange is named '${name}'.`;
  }
  if (element.kind === 'queue') {
    if (name.startsWith('amq.')) return "Names starting with 'amq.' are reserved by the broker.";
    if (topology.queues.some((q) => q.id !== id && q.name === name))
      return `Another queue is named '${name}'.`;
  }
  return undefined;
}

/**
 * `item` with `item[table][key]` changed from `old` to `name`: dead-letter and alternate
 * exchanges are named in argument tables, and must follow a rename like bindings do.
 */
function renameReference<T extends Partial<Record<F, ArgumentTable>>, F extends string>(
  item: T,
  table: F,
  key: string,
  old: string,
  name: string,
): T {
  const args = item[table];
  if (args?.[key] !== old) return item;
  return { ...item, [table]: { ...args, [key]: name } };
}

/**
 * Renames a node and rewrites what refers to it by name: bindings, producers, and the
 * dead-letter and alternate exchanges named in arguments and policies.
 */
export function renameNode(topology: Topology, id: string, name: string): Topology {
  const element = findElement(topology, id);
  if (!element) return topology;
  switch (element.kind) {
    case 'exchange': {
      const old = element.item.name;
      if (old === name) return topology;
      return {
        ...topology,
        exchanges: topology.exchanges.map((x) =>
          x.id === id
            ? { ...x, name }
            : renameReference(x, 'arguments', 'alternate-exchange', old, name),
        ),
        queues: topology.queues.map((q) =>
          renameReference(q, 'arguments', 'x-dead-letter-exchange', old, name),
        ),
        ...(topology.policies && {
          policies: topology.policies.map((p) =>
            renameReference(
              renameReference(p, 'definition', 'dead-letter-exchange', old, name),
              'definition',
              'alternate-exchange',
              old,
              name,
            ),
          ),
        }),
        bindings: topology.bindings.map((b) => {
          const source = b.source === old ? name : b.source;
          const destination =
            b.destinationType === 'exchange' && b.destination === old ? name : b.destination;
          return source === b.source && destination === b.destination
            ? b
            : { ...b, source, destination };
        }),
        producers: topology.producers.map((p) =>
          p.exchange === old ? { ...p, exchange: name } : p,
        ),
      };
    }
    case 'queue': {
      const old = element.item.name;
      if (old === name) return topology;
      return {
        ...topology,
        queues: topology.queues.map((q) => (q.id === id ? { ...q, name } : q)),
        bindings: topology.bindings.map((b) =>
          b.destinationType === 'queue' && b.destination === old ? { ...b, destination: name } : b,
        ),
        ...(topology.consumers && {
          consumers: topology.consumers.map((c) => (c.queue === old ? { ...c, queue: name } : c)),
        }),
      };
    }
    case 'consumer':
      return {
        ...topology,
        consumers: (topology.consumers ?? []).map((c) => (c.id === id ? { ...c, name } : c)),
      };
    case 'producer':
      return {
        ...topology,
        producers: topology.producers.map((p) => (p.id === id ? { ...p, name } : p)),
      };
    default:
      return topology;
  }
}
