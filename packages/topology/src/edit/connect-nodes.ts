import type { Binding, Producer, Topology } from '../model';
import { consumerEdgeId, producerEdgeId } from '../paths';
import { findElement } from './elements';
import { newId } from './ids';
import { updateConsumer, updateProducer } from './update';

/**
 * Which edge a drag from `sourceId` to `targetId` would create: a producer publishes to an
 * exchange; an exchange binds a queue or another exchange; a consumer reads from a queue.
 * Anything else is refused.
 */
export function connectionKind(
  topology: Topology,
  sourceId: string,
  targetId: string,
): 'publish' | 'default' | 'queue' | 'exchange' | 'consume' | undefined {
  if (sourceId === targetId) return undefined;
  const source = findElement(topology, sourceId);
  const target = findElement(topology, targetId);
  if (!source || !target) return undefined;
  if (source.kind === 'producer' && target.kind === 'exchange') return 'publish';
  // Straight to a queue: the default exchange delivers to the queue its routing key names.
  if (source.kind === 'producer' && target.kind === 'queue') return 'default';
  if (source.kind === 'exchange' && target.kind === 'queue') return 'queue';
  if (source.kind === 'exchange' && target.kind === 'exchange') return 'exchange';
  if (source.kind === 'queue' && target.kind === 'consumer') return 'consume';
  return undefined;
}

function withoutStrategy(producer: Producer): Producer {
  const { routingKeyStrategy: _strategy, ...rest } = producer;
  return rest;
}

/** Applies a drag between two nodes; returns the id of the edge it made, if any. */
export function connectNodes(
  topology: Topology,
  sourceId: string,
  targetId: string,
): { topology: Topology; edgeId?: string } {
  const kind = connectionKind(topology, sourceId, targetId);
  const target = findElement(topology, targetId);
  if (kind === 'consume') {
    // A consumer reads one queue: a new drag moves it over from the one it read before.
    const queue = topology.queues.find((q) => q.id === sourceId);
    if (!queue) return { topology };
    return {
      topology: updateConsumer(topology, targetId, { queue: queue.name }),
      edgeId: consumerEdgeId(targetId),
    };
  }
  if (!kind || (target?.kind !== 'exchange' && target?.kind !== 'queue')) return { topology };
  if (kind === 'publish') {
    return {
      topology: updateProducer(topology, sourceId, { exchange: target.item.name }),
      edgeId: producerEdgeId(sourceId),
    };
  }
  if (kind === 'default') {
    const producer = topology.producers.find((p) => p.id === sourceId);
    const next = updateProducer(topology, sourceId, {
      exchange: '',
      routingKey: target.item.name,
    });
    // One fixed key: the queue's name.
    return {
      topology: producer?.routingKeyStrategy
        ? {
            ...next,
            producers: next.producers.map((p) => (p.id === sourceId ? withoutStrategy(p) : p)),
          }
        : next,
      edgeId: producerEdgeId(sourceId),
    };
  }
  const source = topology.exchanges.find((x) => x.id === sourceId);
  if (!source) return { topology };
  // On a consistent-hash exchange the key is a weight, and weight 1 is the neutral one.
  const routingKey = source.type === 'x-consistent-hash' ? '1' : '';
  const exists = topology.bindings.find(
    (b) =>
      b.source === source.name &&
      b.destination === target.item.name &&
      b.destinationType === kind &&
      b.routingKey === routingKey,
  );
  // A second binding with the same default key is one the broker would fold into the first.
  if (exists) return { topology, edgeId: exists.id };
  const binding: Binding = {
    id: newId('b'),
    source: source.name,
    destination: target.item.name,
    destinationType: kind,
    routingKey,
  };
  return {
    topology: { ...topology, bindings: [...topology.bindings, binding] },
    edgeId: binding.id,
  };
}
