import {
  canonicalJson,
  newId,
  type Binding,
  type Exchange,
  type Policy,
  type Queue,
  type Topology,
} from '@warren/topology';

/**
 * Objects that clients outside Warren declare on the session's vhost join the server's copy of
 * the diagram, their `kind:name` listed in `outsideNames`; objects they delete leave it. While
 * the user has edits the server has not seen, the local document is kept instead of that copy,
 * so the same changes are carried into it here: Apply sends the whole document and deletes on
 * the broker whatever it lacks, so without them it would delete what a pika script just
 * declared, and declare again what it just deleted.
 *
 * Only what changed outside since the last copy is carried over. An outside object the user
 * deleted on the canvas stays deleted (Apply deletes it on the broker: the user's choice), and
 * a local object of the same name wins over one declared outside.
 */

/** `outsideNames` before and after the server's copy changed. */
export interface OutsideNamesChange {
  before: readonly string[];
  after: readonly string[];
}

type Kind = 'exchange' | 'queue' | 'binding' | 'policy';

/** The name a binding goes by in `outsideNames`: `source -> destination (key)`, then any arguments. */
export function outsideBindingName(b: Binding): string {
  const args =
    b.arguments !== undefined && Object.keys(b.arguments).length > 0
      ? ` ${canonicalJson(b.arguments)}`
      : '';
  return `${b.source} -> ${b.destination} (${b.routingKey})${args}`;
}

interface Entry {
  kind: Kind;
  object: Exchange | Queue | Binding | Policy;
}

/** The document's exchanges, queues, bindings and policies by `kind:name`, as the server keys them. */
function entries(topology: Topology): Map<string, Entry> {
  const all = new Map<string, Entry>();
  const add = (kind: Kind, name: string, object: Entry['object']) => {
    const key = `${kind}:${name}`;
    if (!all.has(key)) all.set(key, { kind, object });
  };
  for (const x of topology.exchanges) add('exchange', x.name, x);
  for (const q of topology.queues) add('queue', q.name, q);
  for (const b of topology.bindings) add('binding', outsideBindingName(b), b);
  for (const p of topology.policies ?? []) add('policy', p.name, p);
  return all;
}

function allIds(topology: Topology): Set<string> {
  return new Set(
    [
      ...topology.exchanges,
      ...topology.queues,
      ...topology.bindings,
      ...topology.producers,
      ...(topology.consumers ?? []),
      ...(topology.policies ?? []),
    ].map((item) => item.id),
  );
}

/**
 * Drops objects by id, and the bindings of dropped exchanges and queues (the broker deleted
 * them with it). Producers and consumers naming them are left as they are, as the server does.
 */
function without(topology: Topology, ids: ReadonlySet<string>): Topology {
  const exchanges = new Set(topology.exchanges.filter((x) => ids.has(x.id)).map((x) => x.name));
  const queues = new Set(topology.queues.filter((q) => ids.has(q.id)).map((q) => q.name));
  const next: Topology = {
    ...topology,
    exchanges: topology.exchanges.filter((x) => !ids.has(x.id)),
    queues: topology.queues.filter((q) => !ids.has(q.id)),
    bindings: topology.bindings.filter(
      (b) =>
        !ids.has(b.id) &&
        !exchanges.has(b.source) &&
        !(b.destinationType === 'exchange' ? exchanges : queues).has(b.destination),
    ),
  };
  if (topology.policies) next.policies = topology.policies.filter((p) => !ids.has(p.id));
  return next;
}

/**
 * `local` with the outside changes that turned `previous` (the server's copy the local edits
 * were made against) into `server`. Returns `local` itself when there is nothing to carry over.
 */
export function followOutsideChanges(
  local: Topology,
  previous: Topology,
  server: Topology,
  names: OutsideNamesChange,
): Topology {
  const before = new Set(names.before);
  const after = new Set(names.after);
  const onServer = entries(server);

  // Deleted outside: it was the outside object of the previous copy, and the user still has
  // that very object (by id, so a new one they drew under the same name stays).
  const wasThere = entries(previous);
  const mine = entries(local);
  const gone = new Set<string>();
  for (const key of before) {
    if (after.has(key) || onServer.has(key)) continue;
    const was = wasThere.get(key)?.object;
    const have = mine.get(key)?.object;
    if (was !== undefined && have !== undefined && was.id === have.id) gone.add(have.id);
  }
  let next = gone.size > 0 ? without(local, gone) : local;

  // Declared outside since the previous copy, and not drawn locally under that name.
  const present = gone.size > 0 ? entries(next) : mine;
  const adopted = [...after]
    .filter((key) => !before.has(key) && !present.has(key))
    .map((key) => onServer.get(key))
    .filter((entry): entry is Entry => entry !== undefined);
  if (adopted.length === 0) return next;

  const ids = allIds(next);
  const fresh = <T extends Entry['object']>(object: T, prefix: string): T => {
    const id = ids.has(object.id) ? newId(prefix) : object.id;
    ids.add(id);
    return id === object.id ? object : { ...object, id };
  };
  const of = <T extends Entry['object']>(kind: Kind, prefix: string): T[] =>
    adopted.filter((e) => e.kind === kind).map((e) => fresh(e.object as T, prefix));

  const exchanges = of<Exchange>('exchange', 'x');
  const queues = of<Queue>('queue', 'q');
  const policies = of<Policy>('policy', 'pol');
  next = {
    ...next,
    exchanges: [...next.exchanges, ...exchanges],
    queues: [...next.queues, ...queues],
  };
  if (policies.length > 0) next.policies = [...(next.policies ?? []), ...policies];

  // A binding needs both ends. An end the server's copy does not draw either (`amq.topic`, the
  // default exchange) is the broker's own; one it draws but the document lacks was deleted or
  // renamed by the user, and the binding goes with it as the broker will take it on Apply.
  const drawnExchanges = new Set(next.exchanges.map((x) => x.name));
  const drawnQueues = new Set(next.queues.map((q) => q.name));
  const serverExchanges = new Set(server.exchanges.map((x) => x.name));
  const serverQueues = new Set(server.queues.map((q) => q.name));
  const reachable = (name: string, type: 'exchange' | 'queue') =>
    type === 'exchange'
      ? drawnExchanges.has(name) || !serverExchanges.has(name)
      : drawnQueues.has(name) || !serverQueues.has(name);
  const bindings = of<Binding>('binding', 'b').filter(
    (b) => reachable(b.source, 'exchange') && reachable(b.destination, b.destinationType),
  );
  if (bindings.length > 0) next = { ...next, bindings: [...next.bindings, ...bindings] };
  return next;
}
