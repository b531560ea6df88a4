import { createHash } from 'node:crypto';
import {
  isBuiltInExchange,
  isServerGeneratedQueueName,
  type Binding,
  type Queue,
  type Topology,
} from '@warren/topology';

/**
 * Queues a client outside Warren owns, and the bindings to them: another connection's exclusive
 * queue (the broker refuses everyone else with 405 RESOURCE_LOCKED) and a queue the broker named
 * for a client (`amq.gen-…`: declaring that name is refused with 403). They are part of the
 * session's topology while the broker has them, but an apply never declares, binds, unbinds or
 * deletes them: whether the document sent has them or not, they stay as the broker has them.
 */

/** The broker's topology and document, each without the clients' objects, and what results. */
export interface ClientObjectsSplit {
  /** The broker's objects the apply may change. */
  current: Topology;
  /** The document's objects the apply makes the broker match. */
  wanted: Topology;
  /** The document as applied: its own objects, and the clients' as the broker has them. */
  applied: Topology;
}

/** The broker names of the queues clients own among `queues` (those of the broker's topology). */
export function clientOwnedQueues(
  queues: readonly Queue[],
  ownExclusive: (brokerName: string) => boolean,
): Set<string> {
  return new Set(
    queues
      .filter(
        (q) =>
          q.serverNamed !== true &&
          ((q.exclusive && !ownExclusive(q.name)) || isServerGeneratedQueueName(q.name)),
      )
      .map((q) => q.name),
  );
}

/** `source -> destination (key)` with arguments: one binding however its id reads. */
function bindingKey(b: Binding): string {
  return JSON.stringify([b.source, b.destinationType, b.destination, b.routingKey, b.arguments]);
}

/** A stable id for a client's binding the document did not have. */
function clientBindingId(b: Binding): string {
  return `client-binding:${createHash('sha1').update(bindingKey(b)).digest('hex').slice(0, 16)}`;
}

export function splitClientObjects(
  next: Topology,
  broker: Topology,
  owned: ReadonlySet<string>,
): ClientObjectsSplit {
  // A document may still carry a client's queue the broker has deleted since: it is gone.
  const clientQueue = (q: Queue) =>
    owned.has(q.name) || (q.serverNamed !== true && isServerGeneratedQueueName(q.name));
  const clientNames = new Set([...owned, ...next.queues.filter(clientQueue).map((q) => q.name)]);
  const toClient = (b: Binding) => b.destinationType === 'queue' && clientNames.has(b.destination);
  const without = (t: Topology): Topology => ({
    ...t,
    queues: t.queues.filter((q) => !clientNames.has(q.name)),
    bindings: t.bindings.filter((b) => !toClient(b)),
  });
  const wanted = without(next);

  // The clients' objects as the broker has them, under the document's ids where it has them.
  const nextQueues = new Map(next.queues.map((q) => [q.name, q] as const));
  const nextBindings = new Map(next.bindings.map((b) => [bindingKey(b), b] as const));
  const exchanges = new Set(wanted.exchanges.map((x) => x.name));
  const queues = broker.queues
    .filter((q) => owned.has(q.name))
    .map((q) => nextQueues.get(q.name) ?? q);
  // An exchange the apply deletes takes its bindings to the clients' queues with it.
  const bindings = broker.bindings
    .filter((b) => b.destinationType === 'queue' && owned.has(b.destination))
    .filter((b) => exchanges.has(b.source) || isBuiltInExchange(b.source))
    .map((b) => nextBindings.get(bindingKey(b)) ?? { ...b, id: clientBindingId(b) });
  return {
    current: without(broker),
    wanted,
    applied: {
      ...wanted,
      queues: [...wanted.queues, ...queues],
      bindings: [...wanted.bindings, ...bindings],
    },
  };
}
