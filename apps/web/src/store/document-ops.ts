import {
  consumerEdgeId,
  policyFor,
  policyRegExp,
  producerEdgeId,
  queueTypeOf,
  type ArgumentTable,
  type Binding,
  type Consumer,
  type Exchange,
  type ExchangeType,
  type Policy,
  type Position,
  type Producer,
  type Queue,
  type Topology,
} from '@warren/topology';

/**
 * Pure edits of the topology document. Every canvas gesture and inspector field ends up as
 * one of these; the store only decides when to call them.
 */

export type NodeKind = 'producer' | 'exchange' | 'queue' | 'consumer';

export type Element =
  | { kind: 'exchange'; item: Exchange }
  | { kind: 'queue'; item: Queue }
  | { kind: 'producer'; item: Producer }
  | { kind: 'consumer'; item: Consumer }
  | { kind: 'binding'; item: Binding }
  | { kind: 'publish'; item: Producer }
  | { kind: 'consume'; item: Consumer };

/** The id of the canvas edge from a queue to a consumer (shared with the server's counters). */
export { consumerEdgeId };

let idCounter = 0;

/** Ids only need to be unique within a document; crypto.randomUUID is missing on plain http. */
export function newId(prefix: string): string {
  idCounter += 1;
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${Date.now().toString(36)}${idCounter.toString(36)}${random}`;
}

/** `queue-1`, `queue-2`, ...: the smallest number no object of that kind uses yet. */
export function nextName(taken: Iterable<string>, base: string): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const name = `${base}-${n}`;
    if (!used.has(name)) return name;
  }
}

export function findElement(topology: Topology, id: string): Element | undefined {
  const exchange = topology.exchanges.find((x) => x.id === id);
  if (exchange) return { kind: 'exchange', item: exchange };
  const queue = topology.queues.find((q) => q.id === id);
  if (queue) return { kind: 'queue', item: queue };
  const producer = topology.producers.find((p) => p.id === id);
  if (producer) return { kind: 'producer', item: producer };
  const binding = topology.bindings.find((b) => b.id === id);
  if (binding) return { kind: 'binding', item: binding };
  const publisher = topology.producers.find((p) => producerEdgeId(p.id) === id);
  if (publisher) return { kind: 'publish', item: publisher };
  const consumer = topology.consumers?.find((c) => c.id === id);
  if (consumer) return { kind: 'consumer', item: consumer };
  const reader = topology.consumers?.find((c) => consumerEdgeId(c.id) === id);
  if (reader?.queue) return { kind: 'consume', item: reader };
  return undefined;
}

function roundPosition(position: Position): Position {
  return { x: Math.round(position.x), y: Math.round(position.y) };
}

export function addNode(
  topology: Topology,
  kind: NodeKind,
  position: Position,
  exchangeType: ExchangeType = 'direct',
): { topology: Topology; id: string } {
  const at = roundPosition(position);
  switch (kind) {
    case 'exchange': {
      const id = newId('x');
      const name = nextName(
        topology.exchanges.map((x) => x.name),
        'exchange',
      );
      const exchange: Exchange = {
        id,
        name,
        type: exchangeType,
        durable: true,
        autoDelete: false,
        internal: false,
        position: at,
      };
      return { id, topology: { ...topology, exchanges: [...topology.exchanges, exchange] } };
    }
    case 'queue': {
      const id = newId('q');
      const name = nextName(
        topology.queues.map((q) => q.name),
        'queue',
      );
      const queue: Queue = {
        id,
        name,
        durable: true,
        exclusive: false,
        autoDelete: false,
        position: at,
      };
      return { id, topology: { ...topology, queues: [...topology.queues, queue] } };
    }
    case 'producer': {
      const id = newId('p');
      const name = nextName(
        topology.producers.map((p) => p.name),
        'producer',
      );
      const producer: Producer = {
        id,
        name,
        exchange: '',
        routingKey: '',
        payload: 'hello',
        mandatory: false,
        position: at,
      };
      return { id, topology: { ...topology, producers: [...topology.producers, producer] } };
    }
    case 'consumer': {
      const id = newId('c');
      const consumers = topology.consumers ?? [];
      const name = nextName(
        consumers.map((c) => c.name),
        'consumer',
      );
      // Manual acks, one message at a time and a visible processing time: the settings of a
      // work-queue worker, so a learner sees messages being taken, worked on and acked.
      const consumer: Consumer = {
        id,
        name,
        queue: '',
        prefetch: 1,
        autoAck: false,
        processingMs: { min: 500, max: 500 },
        position: at,
      };
      return { id, topology: { ...topology, consumers: [...consumers, consumer] } };
    }
  }
}

/**
 * Why `name` cannot be given to the object `id` right now, or undefined when it can. Renames
 * are refused while they collide, because references are by name: two exchanges briefly
 * sharing one would merge their bindings for good.
 */
export function nameProblem(topology: Topology, id: string, name: string): string | undefined {
  const element = findElement(topology, id);
  if (!element) return undefined;
  if (element.kind === 'producer')
    return name.trim() === '' ? 'A producer needs a name.' : undefined;
  if (element.kind === 'consumer') {
    if (name.trim() === '') return 'A consumer needs a name.';
    // Its controls and counters are found by name, so two consumers must not share one.
    if (topology.consumers?.some((c) => c.id !== id && c.name === name))
      return `Another consumer is named '${name}'.`;
    return undefined;
  }
  if (name === '')
    return element.kind === 'exchange' ? 'An exchange needs a name.' : 'A queue needs a name.';
  if (element.kind === 'exchange') {
    if (name.startsWith('amq.')) return "Names starting with 'amq.' are reserved by the broker.";
    if (topology.exchanges.some((x) => x.id !== id && x.name === name))
      return `Another exchange is named '${name}'.`;
  }
  if (element.kind === 'queue') {
    if (name.startsWith('amq.')) return "Names starting with 'amq.' are reserved by the broker.";
    if (topology.queues.some((q) => q.id !== id && q.name === name))
      return `Another queue is named '${name}'.`;
  }
  return undefined;
}

/**
 * `item` with `item[table][key]` changed from `old` to `name`: dead-letter and alternate
 * exchanges are named in argument tables, and must follow a rename like bindings do.
 */
function renameReference<T extends Partial<Record<F, ArgumentTable>>, F extends string>(
  item: T,
  table: F,
  key: string,
  old: string,
  name: string,
): T {
  const args = item[table];
  if (args?.[key] !== old) return item;
  return { ...item, [table]: { ...args, [key]: name } };
}

/**
 * Renames a node and rewrites what refers to it by name: bindings, producers, and the
 * dead-letter and alternate exchanges named in arguments and policies.
 */
export function rename(topology: Topology, id: string, name: string): Topology {
  const element = findElement(topology, id);
  if (!element) return topology;
  switch (element.kind) {
    case 'exchange': {
      const old = element.item.name;
      if (old === name) return topology;
      return {
        ...topology,
        exchanges: topology.exchanges.map((x) =>
          x.id === id
            ? { ...x, name }
            : renameReference(x, 'arguments', 'alternate-exchange', old, name),
        ),
        queues: topology.queues.map((q) =>
          renameReference(q, 'arguments', 'x-dead-letter-exchange', old, name),
        ),
        ...(topology.policies && {
          policies: topology.policies.map((p) =>
            renameReference(
              renameReference(p, 'definition', 'dead-letter-exchange', old, name),
              'definition',
              'alternate-exchange',
              old,
              name,
            ),
          ),
        }),
        bindings: topology.bindings.map((b) => {
          const source = b.source === old ? name : b.source;
          const destination =
            b.destinationType === 'exchange' && b.destination === old ? name : b.destination;
          return source === b.source && destination === b.destination
            ? b
            : { ...b, source, destination };
        }),
        producers: topology.producers.map((p) =>
          p.exchange === old ? { ...p, exchange: name } : p,
        ),
      };
    }
    case 'queue': {
      const old = element.item.name;
      if (old === name) return topology;
      return {
        ...topology,
        queues: topology.queues.map((q) => (q.id === id ? { ...q, name } : q)),
        bindings: topology.bindings.map((b) =>
          b.destinationType === 'queue' && b.destination === old ? { ...b, destination: name } : b,
        ),
        ...(topology.consumers && {
          consumers: topology.consumers.map((c) => (c.queue === old ? { ...c, queue: name } : c)),
        }),
      };
    }
    case 'consumer':
      return {
        ...topology,
        consumers: (topology.consumers ?? []).map((c) => (c.id === id ? { ...c, name } : c)),
      };
    case 'producer':
      return {
        ...topology,
        producers: topology.producers.map((p) => (p.id === id ? { ...p, name } : p)),
      };
    default:
      return topology;
  }
}

type Patch<T> = Partial<Omit<T, 'id' | 'name'>>;

export function updateExchange(topology: Topology, id: string, patch: Patch<Exchange>): Topology {
  return {
    ...topology,
    exchanges: topology.exchanges.map((x) => (x.id === id ? { ...x, ...patch } : x)),
  };
}

export function updateQueue(topology: Topology, id: string, patch: Patch<Queue>): Topology {
  return {
    ...topology,
    queues: topology.queues.map((q) => (q.id === id ? { ...q, ...patch } : q)),
  };
}

export function updateProducer(topology: Topology, id: string, patch: Patch<Producer>): Topology {
  return {
    ...topology,
    producers: topology.producers.map((p) => (p.id === id ? { ...p, ...patch } : p)),
  };
}

export function updateConsumer(topology: Topology, id: string, patch: Patch<Consumer>): Topology {
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

export function moveNode(topology: Topology, id: string, position: Position): Topology {
  const at = roundPosition(position);
  const same = (p: Position | undefined) => p !== undefined && p.x === at.x && p.y === at.y;
  const move = <T extends { id: string; position?: Position }>(item: T): T =>
    item.id === id && !same(item.position) ? { ...item, position: at } : item;
  return {
    ...topology,
    exchanges: topology.exchanges.map(move),
    queues: topology.queues.map(move),
    producers: topology.producers.map(move),
    ...(topology.consumers && { consumers: topology.consumers.map(move) }),
  };
}

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

/** Applies a drag between two nodes; returns the id of the edge it made, if any. */
export function connect(
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

/** The id of the node or edge a JSON pointer into `topology` lands in, e.g. `/bindings/2/routingKey`. */
export function elementAtPath(topology: Topology, path: string): string | undefined {
  const [, collection, index] = path.split('/');
  if (index === undefined) return undefined;
  const i = Number(index);
  switch (collection) {
    case 'exchanges':
      return topology.exchanges[i]?.id;
    case 'queues':
      return topology.queues[i]?.id;
    case 'bindings':
      return topology.bindings[i]?.id;
    case 'producers':
      return topology.producers[i]?.id;
    case 'consumers':
      return topology.consumers?.[i]?.id;
    case 'policies':
      return topology.policies?.[i]?.id;
    default:
      return undefined;
  }
}

/** The JSON pointer of an exchange, queue, binding, producer, consumer or policy: `/queues/2`. */
export function pathOfElement(topology: Topology, id: string): string | undefined {
  const lists: [string, readonly { id: string }[]][] = [
    ['exchanges', topology.exchanges],
    ['queues', topology.queues],
    ['bindings', topology.bindings],
    ['producers', topology.producers],
    ['consumers', topology.consumers ?? []],
    ['policies', topology.policies ?? []],
  ];
  for (const [collection, list] of lists) {
    const index = list.findIndex((item) => item.id === id);
    if (index >= 0) return `/${collection}/${index}`;
  }
  return undefined;
}

/**
 * Problems inside one object, by the field they point at: `/queues/2/arguments/x-message-ttl`
 * under `/queues/2` is field `x-message-ttl`, `/queues/2/durable` is `durable`. Problems with
 * the object as a whole are under `''`.
 */
export function fieldProblems(
  problems: readonly { path?: string; message: string }[],
  objectPath: string,
): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const problem of problems) {
    const path = problem.path;
    if (path === undefined) continue;
    if (path !== objectPath && !path.startsWith(`${objectPath}/`)) continue;
    const rest = path.slice(objectPath.length).split('/').slice(1);
    const last = rest.at(-1);
    const field = last === undefined ? '' : last.replace(/~1/g, '/').replace(/~0/g, '~');
    const list = result.get(field) ?? [];
    if (!list.includes(problem.message)) list.push(problem.message);
    result.set(field, list);
  }
  return result;
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

export function addPolicy(topology: Topology): { topology: Topology; id: string } {
  const id = newId('pol');
  const policies = topology.policies ?? [];
  const policy: Policy = {
    id,
    name: nextName(
      policies.map((p) => p.name),
      'policy',
    ),
    pattern: '.*',
    applyTo: 'queues',
    priority: 0,
    definition: {},
  };
  return { id, topology: { ...topology, policies: [...policies, policy] } };
}

export function updatePolicy(
  topology: Topology,
  id: string,
  patch: Partial<Omit<Policy, 'id'>>,
): Topology {
  if (!topology.policies) return topology;
  return {
    ...topology,
    policies: topology.policies.map((p) => (p.id === id ? { ...p, ...patch } : p)),
  };
}

export function deletePolicy(topology: Topology, id: string): Topology {
  if (!topology.policies?.some((p) => p.id === id)) return topology;
  const policies = topology.policies.filter((p) => p.id !== id);
  if (policies.length > 0) return { ...topology, policies };
  const { policies: _gone, ...rest } = topology;
  return rest;
}

/** Why a policy cannot be called `name`, or undefined when it can. */
export function policyNameProblem(
  topology: Topology,
  id: string,
  name: string,
): string | undefined {
  if (name.trim() === '') return 'A policy needs a name.';
  if ((topology.policies ?? []).some((p) => p.id !== id && p.name === name))
    return `Another policy is named '${name}'.`;
  return undefined;
}

export interface PolicyTarget {
  kind: 'queue' | 'exchange';
  id: string;
  name: string;
}

/**
 * Which objects of the diagram a policy is in force on, and which it matches but loses to
 * another policy (the broker applies only the one with the highest priority).
 */
export function policyTargets(
  topology: Topology,
  policyId: string,
): { applied: PolicyTarget[]; outranked: (PolicyTarget & { by: string })[] } {
  const policy = topology.policies?.find((p) => p.id === policyId);
  const applied: PolicyTarget[] = [];
  const outranked: (PolicyTarget & { by: string })[] = [];
  if (!policy) return { applied, outranked };
  const pattern = policyRegExp(policy.pattern);
  if (!pattern) return { applied, outranked };
  // A policy on its own tells whether the pattern and apply-to reach an object at all.
  const alone: Topology = { ...topology, policies: [policy] };
  const consider = (target: PolicyTarget, queueType?: string) => {
    if (policyFor(alone, target.kind, target.name, queueType)?.id !== policy.id) return;
    const winner = policyFor(topology, target.kind, target.name, queueType);
    if (winner?.id === policy.id) applied.push(target);
    else if (winner) outranked.push({ ...target, by: winner.name });
  };
  for (const q of topology.queues)
    consider({ kind: 'queue', id: q.id, name: q.name }, queueTypeOf(q));
  for (const x of topology.exchanges) consider({ kind: 'exchange', id: x.id, name: x.name });
  return { applied, outranked };
}

function withoutStrategy(producer: Producer): Producer {
  const { routingKeyStrategy: _strategy, ...rest } = producer;
  return rest;
}
