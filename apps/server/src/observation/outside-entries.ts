import { createHash } from 'node:crypto';
import {
  canonicalJson,
  isServerGeneratedQueueName,
  type Binding,
  type Exchange,
  type Policy,
  type Queue,
  type Topology,
} from '@warren/topology';
import type { OutsideChangeEvent } from '@warren/protocol';

/** A topology's objects as outside-objects.ts compares them: by `kind:name`. */

export type ObjectKind = OutsideChangeEvent['kind'];

export interface Entry {
  kind: ObjectKind;
  /** What events and `outsideNames` call it. */
  name: string;
  object: Exchange | Queue | Binding | Policy;
}

/** The name a binding goes by in events: `source -> destination (key)`, arguments if any. */
export function bindingName(b: Binding): string {
  const args =
    b.arguments !== undefined && Object.keys(b.arguments).length > 0
      ? ` ${canonicalJson(b.arguments)}`
      : '';
  return `${b.source} -> ${b.destination} (${b.routingKey})${args}`;
}

export const keyOf = (kind: ObjectKind, name: string) => `${kind}:${name}`;

/**
 * Broker machinery and names the diagram cannot own. A queue the broker named for a client
 * (`amq.gen-…`) is the client's, and shown as such.
 */
export const reserved = (name: string) =>
  name.startsWith('amq.') && !isServerGeneratedQueueName(name);

export function entries(topology: Topology): Map<string, Entry> {
  const all = new Map<string, Entry>();
  const add = (kind: ObjectKind, name: string, object: Entry['object']) =>
    all.set(keyOf(kind, name), { kind, name, object });
  for (const x of topology.exchanges) if (!reserved(x.name)) add('exchange', x.name, x);
  for (const q of topology.queues) if (!reserved(q.name)) add('queue', q.name, q);
  for (const b of topology.bindings) {
    if (b.destinationType === 'queue' && reserved(b.destination)) continue;
    add('binding', bindingName(b), b);
  }
  for (const p of topology.policies ?? []) add('policy', p.name, p);
  return all;
}

/** Ids of objects added for outside clients: stable, and apart from any id a person types. */
export function outsideId(key: string): string {
  return `outside:${createHash('sha1').update(key).digest('hex').slice(0, 16)}`;
}

/** A queue a client owns (server-named for it, or exclusive to it), or a binding to one. */
export function isClientOwned(
  entry: Entry,
  ownerOf: (queue: string) => string | undefined,
): boolean {
  const queue =
    entry.kind === 'queue'
      ? (entry.object as Queue).name
      : entry.kind === 'binding' && (entry.object as Binding).destinationType === 'queue'
        ? (entry.object as Binding).destination
        : undefined;
  return queue !== undefined && (isServerGeneratedQueueName(queue) || ownerOf(queue) !== undefined);
}
