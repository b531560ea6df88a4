import type { Binding, Queue, Topology } from '@warren/topology';

/**
 * The names the broker gave the diagram's server-named queues (`amq.gen-…`). The diagram, the
 * HTTP replies and the events speak of a queue by its label; only the broker speaks `amq.gen-…`.
 */
export class ServerNamedQueues {
  private readonly byLabel = new Map<string, string>();
  private readonly byBrokerName = new Map<string, string>();

  set(label: string, brokerName: string): void {
    this.forget(label);
    this.byLabel.set(label, brokerName);
    this.byBrokerName.set(brokerName, label);
  }

  forget(label: string): void {
    const brokerName = this.byLabel.get(label);
    if (brokerName !== undefined) this.byBrokerName.delete(brokerName);
    this.byLabel.delete(label);
  }

  /** The broker's name for a label, when the broker has named it. */
  brokerNameOf(label: string): string | undefined {
    return this.byLabel.get(label);
  }

  /** The label of a broker name, if it is one of ours. */
  labelOf(brokerName: string): string | undefined {
    return this.byBrokerName.get(brokerName);
  }

  /** A broker name as the diagram says it: the label of a server-named queue, else itself. */
  toDiagram(brokerName: string): string {
    return this.byBrokerName.get(brokerName) ?? brokerName;
  }

  entries(): [label: string, brokerName: string][] {
    return [...this.byLabel.entries()];
  }
}

/**
 * Diff keys keep a server-named queue and a named queue with the same label apart, so turning
 * one into the other deletes the old queue and declares the new one. A NUL never occurs in a
 * name a person types.
 */
const SERVER_NAMED_KEY = '\u0000server-named:';

export function serverNamedKey(label: string): string {
  return `${SERVER_NAMED_KEY}${label}`;
}

/** The label inside a diff key, or undefined for a named queue. */
export function labelOfKey(key: string): string | undefined {
  return key.startsWith(SERVER_NAMED_KEY) ? key.slice(SERVER_NAMED_KEY.length) : undefined;
}

/** The name a learner reads for a queue diff key. */
export function displayName(key: string): string {
  return labelOfKey(key) ?? key;
}

/** The topology with every server-named queue (and bindings to it) renamed to its diff key. */
export function withDiffKeys(topology: Topology): Topology {
  const serverNamed = new Set(
    topology.queues.filter((q) => q.serverNamed === true).map((q) => q.name),
  );
  if (serverNamed.size === 0) return topology;
  const queue = (q: Queue): Queue =>
    serverNamed.has(q.name) ? { ...q, name: serverNamedKey(q.name) } : q;
  const binding = (b: Binding): Binding =>
    b.destinationType === 'queue' && serverNamed.has(b.destination)
      ? { ...b, destination: serverNamedKey(b.destination) }
      : b;
  return {
    ...topology,
    queues: topology.queues.map(queue),
    bindings: topology.bindings.map(binding),
  };
}
