import type { Topology } from '../model';
import { consumerEdgeId, producerEdgeId } from '../paths';

/**
 * Removes nodes and edges. Bindings of a removed exchange or queue go with it, producers
 * of a removed exchange fall back to the default exchange (as their edge disappears), and
 * consumers of a removed queue are left reading no queue until connected again.
 */
export function deleteElements(topology: Topology, ids: Iterable<string>): Topology {
  const gone = new Set(ids);
  if (gone.size === 0) return topology;
  const goneExchanges = new Set(
    topology.exchanges.filter((x) => gone.has(x.id)).map((x) => x.name),
  );
  const goneQueues = new Set(topology.queues.filter((q) => gone.has(q.id)).map((q) => q.name));
  const producers = topology.producers
    .filter((p) => !gone.has(p.id))
    .map((p) => {
      if (p.exchange === '' && gone.has(producerEdgeId(p.id)))
        // Its line went straight to a queue through the default exchange: no queue any more.
        return { ...p, routingKey: '' };
      return goneExchanges.has(p.exchange) || gone.has(producerEdgeId(p.id))
        ? { ...p, exchange: '' }
        : p;
    });
  const bindings = topology.bindings.filter(
    (b) =>
      !gone.has(b.id) &&
      !goneExchanges.has(b.source) &&
      !(b.destinationType === 'exchange'
        ? goneExchanges.has(b.destination)
        : goneQueues.has(b.destination)),
  );
  const consumers = topology.consumers
    ?.filter((c) => !gone.has(c.id))
    .map((c) =>
      c.queue !== '' && (goneQueues.has(c.queue) || gone.has(consumerEdgeId(c.id)))
        ? { ...c, queue: '' }
        : c,
    );
  return {
    ...topology,
    exchanges: topology.exchanges.filter((x) => !gone.has(x.id)),
    queues: topology.queues.filter((q) => !gone.has(q.id)),
    bindings,
    producers,
    ...(consumers && { consumers }),
  };
}
