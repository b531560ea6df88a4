import type { Binding, Consumer, Exchange, Position, Producer, Queue, Topology } from '../model';
import { newId } from './ids';
import { renameNode } from './rename-node';

/**
 * A piece of a diagram copied to be pasted: the selected nodes and the bindings among them.
 * Producers and consumers keep the exchange or queue they name even when it was not copied.
 */
export interface DiagramFragment {
  exchanges: Exchange[];
  queues: Queue[];
  bindings: Binding[];
  producers: Producer[];
  consumers: Consumer[];
}

/** The nodes `ids` of `topology`, with the bindings whose both ends are among them. */
export function copySelection(topology: Topology, ids: Iterable<string>): DiagramFragment {
  const chosen = new Set(ids);
  const exchanges = topology.exchanges.filter((x) => chosen.has(x.id));
  const queues = topology.queues.filter((q) => chosen.has(q.id));
  const exchangeNames = new Set(exchanges.map((x) => x.name));
  const queueNames = new Set(queues.map((q) => q.name));
  return {
    exchanges,
    queues,
    bindings: topology.bindings.filter(
      (b) =>
        exchangeNames.has(b.source) &&
        (b.destinationType === 'exchange' ? exchangeNames : queueNames).has(b.destination),
    ),
    producers: topology.producers.filter((p) => chosen.has(p.id)),
    consumers: (topology.consumers ?? []).filter((c) => chosen.has(c.id)),
  };
}

/** How many nodes a fragment holds. */
export function fragmentSize(fragment: DiagramFragment): number {
  return (
    fragment.exchanges.length +
    fragment.queues.length +
    fragment.producers.length +
    fragment.consumers.length
  );
}

/**
 * A name like `name` that `taken` does not hold: `orders` becomes `orders-copy`, then
 * `orders-copy-2`, `orders-copy-3`; a copy of `orders-copy` is numbered rather than copied again.
 */
export function copyName(name: string, taken: ReadonlySet<string>): string {
  const base = `${name.replace(/-copy(-\d+)?$/, '')}-copy`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export interface PasteOptions {
  /** Added to every pasted node's position, so the copies do not cover the originals. */
  offset?: Position;
  /**
   * Names in use besides the document's own, which copies must not take either: objects on
   * the broker that the diagram does not draw.
   */
  taken?: { exchanges?: Iterable<string>; queues?: Iterable<string> };
}

export interface PasteResult {
  topology: Topology;
  /** The new nodes' ids. */
  nodeIds: string[];
  /** The new bindings' ids. */
  bindingIds: string[];
}

const DEFAULT_OFFSET: Position = { x: 40, y: 40 };

/**
 * `fragment` added to `topology` as new objects: new ids, names no object of the same kind
 * uses (exchanges and queues also not in `taken`), positions moved by `offset`. The bindings
 * and references among the pasted objects follow their new names; a producer or consumer
 * keeps an exchange or queue that was not copied if `topology` has it, and otherwise names
 * none.
 */
export function pasteFragment(
  topology: Topology,
  fragment: DiagramFragment,
  options: PasteOptions = {},
): PasteResult {
  const offset = options.offset ?? DEFAULT_OFFSET;
  const exchangeNames = new Set([
    ...topology.exchanges.map((x) => x.name),
    ...(options.taken?.exchanges ?? []),
  ]);
  const queueNames = new Set([
    ...topology.queues.map((q) => q.name),
    ...(options.taken?.queues ?? []),
  ]);
  const producerNames = new Set(topology.producers.map((p) => p.name));
  const consumerNames = new Set((topology.consumers ?? []).map((c) => c.name));
  // Names inside the fragment are taken too while it is being renamed, so that no rename
  // turns one copied object's name into another's.
  for (const x of fragment.exchanges) exchangeNames.add(x.name);
  for (const q of fragment.queues) queueNames.add(q.name);
  for (const p of fragment.producers) producerNames.add(p.name);
  for (const c of fragment.consumers) consumerNames.add(c.name);

  const fresh = new Map<string, string>();
  const idFor = (old: string, prefix: string) => {
    const id = newId(prefix);
    fresh.set(old, id);
    return id;
  };
  const move = (position: Position | undefined): Position | undefined =>
    position && { x: position.x + offset.x, y: position.y + offset.y };
  const withPosition = <T extends { position?: Position }>(item: T): T => {
    const position = move(item.position);
    if (position) return { ...item, position };
    const { position: _none, ...rest } = item;
    return rest as T;
  };

  // The fragment as a document of its own, renamed there so references among it follow.
  let piece: Topology = {
    version: topology.version,
    exchanges: fragment.exchanges.map((x) => withPosition({ ...x, id: idFor(x.id, 'x') })),
    queues: fragment.queues.map((q) => withPosition({ ...q, id: idFor(q.id, 'q') })),
    bindings: fragment.bindings.map((b) => ({ ...b, id: idFor(b.id, 'b') })),
    producers: fragment.producers.map((p) => withPosition({ ...p, id: idFor(p.id, 'p') })),
    consumers: fragment.consumers.map((c) => withPosition({ ...c, id: idFor(c.id, 'c') })),
  };
  const queueRenames = new Map<string, string>();
  const rename = (id: string, name: string, taken: Set<string>) => {
    const next = copyName(name, taken);
    taken.add(next);
    piece = renameNode(piece, id, next);
    return next;
  };
  for (const x of [...piece.exchanges]) rename(x.id, x.name, exchangeNames);
  for (const q of [...piece.queues]) queueRenames.set(q.name, rename(q.id, q.name, queueNames));
  for (const p of [...piece.producers]) rename(p.id, p.name, producerNames);
  for (const c of [...(piece.consumers ?? [])]) rename(c.id, c.name, consumerNames);

  const pastedExchanges = new Set(piece.exchanges.map((x) => x.name));
  const hasExchange = (name: string) =>
    name === '' || pastedExchanges.has(name) || topology.exchanges.some((x) => x.name === name);
  const hasQueue = (name: string) =>
    name === '' ||
    piece.queues.some((q) => q.name === name) ||
    topology.queues.some((q) => q.name === name);
  const producers = piece.producers.map((p) => {
    if (p.exchange === '') {
      // Through the default exchange the key names the queue: a copied queue's new name.
      const renamed = queueRenames.get(p.routingKey);
      return renamed === undefined ? p : { ...p, routingKey: renamed };
    }
    return hasExchange(p.exchange) ? p : { ...p, exchange: '' };
  });
  const consumers = (piece.consumers ?? []).map((c) =>
    hasQueue(c.queue) ? c : { ...c, queue: '' },
  );

  const next: Topology = {
    ...topology,
    exchanges: [...topology.exchanges, ...piece.exchanges],
    queues: [...topology.queues, ...piece.queues],
    bindings: [...topology.bindings, ...piece.bindings],
    producers: [...topology.producers, ...producers],
  };
  if (topology.consumers !== undefined || consumers.length > 0)
    next.consumers = [...(topology.consumers ?? []), ...consumers];
  return {
    topology: next,
    nodeIds: [
      ...piece.exchanges.map((x) => x.id),
      ...piece.queues.map((q) => q.id),
      ...producers.map((p) => p.id),
      ...consumers.map((c) => c.id),
    ],
    bindingIds: piece.bindings.map((b) => b.id),
  };
}

/** A fragment as JSON text, for the system clipboard. */
export function fragmentText(fragment: DiagramFragment): string {
  return JSON.stringify({ warrenFragment: 1, ...fragment }, null, 2);
}
