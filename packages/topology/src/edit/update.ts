import type {
  ArgumentTable,
  Binding,
  Consumer,
  Exchange,
  Producer,
  Queue,
  Topology,
} from '../model';

/** Fields an inspector may change; the name goes through `renameNode`, which checks it. */
export type ElementPatch<T> = Partial<Omit<T, 'id' | 'name'>>;

export function updateExchange(
  topology: Topology,
  id: string,
  patch: ElementPatch<Exchange>,
): Topology {
  return {
    ...topology,
    exchanges: topology.exchanges.map((x) => (x.id === id ? { ...x, ...patch } : x)),
  };
}

export function updateQueue(topology: Topology, id: string, patch: ElementPatch<Queue>): Topology {
  return {
    ...topology,
    queues: topology.queues.map((q) => (q.id === id ? { ...q, ...patch } : q)),
  };
}

export function updateProducer(
  topology: Topology,
  id: string,
  patch: ElementPatch<Producer>,
): Topology {
  return {
    ...topology,
    producers: topology.producers.map((p) => (p.id === id ? { ...p, ...patch } : p)),
  };
}

export function updateConsumer(
  topology: Topology,
  id: string,
  patch: ElementPatch<Consumer>,
): Topology {
  if (!topology.consumers) return topology;
  return {
    ...topology,
    consumers: topology.consumers.map((c) => (c.id === id ? { ...c, ...patch } : c)),
  };
}

export function updateBinding(
  topology: Topology,
  id: string,
  patch: Partial<Pick<Binding, 'routingKey' | 'arguments'>>,
): Topology {
  return {
    ...topology,
    bindings: topology.bindings.map((b) => (b.id === id ? { ...b, ...patch } : b)),
  };
}

/**
 * Sets or clears one entry of an argument table. An empty table becomes `undefined`, so an
 * object whose last argument is cleared looks the same as one that never had any.
 */
export function withArgument(
  args: ArgumentTable | undefined,
  key: string,
  value: unknown,
): ArgumentTable | undefined {
  const next: ArgumentTable = { ...args };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return Object.keys(next).length > 0 ? next : undefined;
}
