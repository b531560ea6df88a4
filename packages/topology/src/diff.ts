import type { Binding, Exchange, Policy, Queue, Topology } from './model';

/** What must happen on the broker to turn `current` into `next`, in a safe order. */
export interface TopologyDiff {
  unbind: Binding[];
  deleteQueues: Queue[];
  deleteExchanges: Exchange[];
  /** New exchanges, and changed ones (redeclared: the broker refuses, or they are recreated). */
  declareExchanges: Exchange[];
  declareQueues: Queue[];
  bind: Binding[];
  /** Names whose broker-side settings differ from the document. */
  changedExchanges: string[];
  changedQueues: string[];
}

/** Stable JSON: object keys sorted, so argument tables compare by content. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The broker's identity of a binding: source, destination, routing key and arguments. */
export function bindingKey(binding: Binding): string {
  return canonicalJson([
    binding.source,
    binding.destinationType,
    binding.destination,
    binding.routingKey,
    binding.arguments ?? {},
  ]);
}

function exchangeSettings(x: Exchange): string {
  return canonicalJson([x.type, x.durable, x.autoDelete, x.internal, x.arguments ?? {}]);
}

function queueSettings(q: Queue): string {
  return canonicalJson([q.durable, q.autoDelete, q.exclusive, q.arguments ?? {}]);
}

/**
 * Compares what the broker has with what the diagram wants. With `recreate`, changed objects are
 * deleted and declared again (their bindings restored); without it they are redeclared so the
 * broker's own refusal (406) reaches the node.
 */
export function diffTopology(
  current: Topology,
  next: Topology,
  options: { recreate?: boolean } = {},
): TopologyDiff {
  const currentExchanges = new Map(current.exchanges.map((x) => [x.name, x]));
  const currentQueues = new Map(current.queues.map((q) => [q.name, q]));
  const nextExchanges = new Set(next.exchanges.map((x) => x.name));
  const nextQueues = new Set(next.queues.map((q) => q.name));

  const changedExchanges = next.exchanges
    .filter((x) => {
      const had = currentExchanges.get(x.name);
      return had !== undefined && exchangeSettings(had) !== exchangeSettings(x);
    })
    .map((x) => x.name);
  const changedQueues = next.queues
    .filter((q) => {
      const had = currentQueues.get(q.name);
      return had !== undefined && queueSettings(had) !== queueSettings(q);
    })
    .map((q) => q.name);

  const recreated = new Set<string>();
  const deleteExchanges = current.exchanges.filter((x) => !nextExchanges.has(x.name));
  const deleteQueues = current.queues.filter((q) => !nextQueues.has(q.name));
  if (options.recreate === true) {
    for (const name of changedExchanges) {
      const had = currentExchanges.get(name);
      if (had) deleteExchanges.push(had);
      recreated.add(`exchange:${name}`);
    }
    for (const name of changedQueues) {
      const had = currentQueues.get(name);
      if (had) deleteQueues.push(had);
      recreated.add(`queue:${name}`);
    }
  }
  const touchesRecreated = (b: Binding) =>
    recreated.has(`exchange:${b.source}`) || recreated.has(`${b.destinationType}:${b.destination}`);

  const currentBindings = new Set(current.bindings.map(bindingKey));
  const nextBindings = new Set(next.bindings.map(bindingKey));
  return {
    unbind: current.bindings.filter(
      (b) => !nextBindings.has(bindingKey(b)) && !touchesRecreated(b),
    ),
    deleteQueues,
    deleteExchanges,
    declareExchanges: next.exchanges.filter(
      (x) => !currentExchanges.has(x.name) || changedExchanges.includes(x.name),
    ),
    declareQueues: next.queues.filter(
      (q) => !currentQueues.has(q.name) || changedQueues.includes(q.name),
    ),
    bind: next.bindings.filter((b) => !currentBindings.has(bindingKey(b)) || touchesRecreated(b)),
    changedExchanges,
    changedQueues,
  };
}

/**
 * What must change among a vhost's policies. Policies are set through the management API, by
 * name: a changed one is simply put again (the broker re-applies it to matching objects).
 */
export interface PolicyDiff {
  remove: Policy[];
  /** New policies, and changed ones. */
  put: Policy[];
}

function policySettings(p: Policy): string {
  return canonicalJson([p.pattern, p.applyTo, p.priority, p.definition]);
}

export function diffPolicies(current: readonly Policy[], next: readonly Policy[]): PolicyDiff {
  const had = new Map(current.map((p) => [p.name, p]));
  const wanted = new Set(next.map((p) => p.name));
  return {
    remove: current.filter((p) => !wanted.has(p.name)),
    put: next.filter((p) => {
      const old = had.get(p.name);
      return old === undefined || policySettings(old) !== policySettings(p);
    }),
  };
}
