import type {
  OutsideChangeEvent,
  OutsideClient,
  OutsideClientEvent,
  OutsideObjectChange as OutsideObject,
} from '@warren/protocol';

/**
 * What clients outside Warren (a pika script, an amqplib service) do on the session's vhost:
 * their connections, and the objects they declare or delete behind the diagram's back.
 */

export type OutsideObjectKind = OutsideChangeEvent['kind'];

/** An object an outside client created or deleted, as last reported. */
export type { OutsideObject };

export type OutsideObjectKey = `${OutsideObjectKind}:${string}`;

export const outsideKey = (kind: OutsideObjectKind, name: string): OutsideObjectKey =>
  `${kind}:${name}`;

export function withOutsideClient(
  clients: Record<string, OutsideClient>,
  event: Pick<OutsideClientEvent, 'client' | 'gone'>,
): Record<string, OutsideClient> {
  if (event.gone) {
    if (!(event.client.id in clients)) return clients;
    const { [event.client.id]: _gone, ...rest } = clients;
    return rest;
  }
  return { ...clients, [event.client.id]: event.client };
}

export function withOutsideChange(
  objects: Record<string, OutsideObject>,
  event: Pick<OutsideChangeEvent, 'change' | 'kind' | 'name' | 'source'>,
): Record<string, OutsideObject> {
  const { change, kind, name, source } = event;
  return { ...objects, [outsideKey(kind, name)]: { kind, name, change, source } };
}

/**
 * Outside objects once the server sent its new copy of the diagram. That copy speaks for every
 * object declared outside so far: one still on the broker is in it (and marked by
 * `outsideNames`), one it lacks was deleted by an Apply. Reports of creation are dropped, so
 * nothing is drawn apart from the diagram for them, nor for one the user deleted on the canvas;
 * reports of deletion stay, as they say what is gone.
 */
export function withServerCopy(
  objects: Record<string, OutsideObject>,
): Record<string, OutsideObject> {
  const settled = Object.entries(objects).filter(([, o]) => o.change !== 'created');
  return settled.length === Object.keys(objects).length ? objects : Object.fromEntries(settled);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** An outside client from an HTTP reply, or undefined when the value is not one. */
export function readOutsideClient(value: unknown): OutsideClient | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string') return undefined;
  const queues = strings(v.queues);
  const exchanges = strings(v.exchanges);
  const role =
    v.role === 'producer' || v.role === 'consumer' || v.role === 'both' || v.role === 'declarer'
      ? v.role
      : queues.length > 0 && exchanges.length > 0
        ? 'both'
        : queues.length > 0
          ? 'consumer'
          : 'producer';
  return {
    id: v.id,
    role,
    queues,
    exchanges,
    label: typeof v.label === 'string' ? v.label : v.id,
    ...(typeof v.product === 'string' ? { product: v.product } : {}),
    ...(typeof v.runs === 'number' ? { runs: v.runs } : {}),
    ...(Array.isArray(v.connections) ? { connections: strings(v.connections) } : {}),
    ...(Array.isArray(v.declared) ? { declared: strings(v.declared) } : {}),
  };
}

/** An outside object from an HTTP reply (a list of changes), or undefined. */
export function readOutsideObject(value: unknown): OutsideObject | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const kinds: readonly unknown[] = ['exchange', 'queue', 'binding', 'policy'];
  if (!kinds.includes(v.kind) || typeof v.name !== 'string') return undefined;
  return {
    kind: v.kind as OutsideObjectKind,
    name: v.name,
    change: v.change === 'deleted' ? 'deleted' : 'created',
    source: v.source === 'event-exchange' || v.source === 'fault' ? v.source : 'polling',
  };
}
