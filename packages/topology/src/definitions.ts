import {
  isBuiltInExchange,
  TOPOLOGY_VERSION,
  type Binding,
  type Exchange,
  type Queue,
  type Topology,
} from './model';
import { layoutTopology } from './layout';

/** The parts of a RabbitMQ definitions.json that Warren reads and writes. */
export interface Definitions {
  rabbit_version?: string;
  vhosts?: { name: string }[];
  exchanges?: DefinitionExchange[];
  queues?: DefinitionQueue[];
  bindings?: DefinitionBinding[];
  [other: string]: unknown;
}

export interface DefinitionExchange {
  name: string;
  vhost?: string;
  type: string;
  durable?: boolean;
  auto_delete?: boolean;
  internal?: boolean;
  arguments?: Record<string, unknown>;
}

export interface DefinitionQueue {
  name: string;
  vhost?: string;
  durable?: boolean;
  auto_delete?: boolean;
  exclusive?: boolean;
  arguments?: Record<string, unknown>;
}

export interface DefinitionBinding {
  source: string;
  vhost?: string;
  destination: string;
  destination_type: string;
  routing_key?: string;
  arguments?: Record<string, unknown>;
}

export type ImportResult =
  | { ok: true; topology: Topology; vhost: string | undefined; notImported: string[] }
  | { ok: false; message: string; vhosts?: string[] };

/** Keys of a definitions file that describe the broker rather than one vhost's topology. */
const BROKER_WIDE_KEYS = new Set([
  'rabbit_version',
  'rabbitmq_version',
  'product_name',
  'product_version',
  'vhosts',
  'users',
  'permissions',
  'topic_permissions',
  'global_parameters',
]);

/** The string fields each list item must have for the import to read it at all. */
const REQUIRED_STRINGS = {
  vhosts: ['name'],
  exchanges: ['name', 'type'],
  queues: ['name'],
  bindings: ['source', 'destination', 'destination_type'],
} as const;

/**
 * Definitions arrive from users, so check the parts the import reads before trusting their
 * types. Returns a sentence naming the first field at fault.
 */
function shapeProblem(definitions: Record<string, unknown>): string | undefined {
  for (const [key, fields] of Object.entries(REQUIRED_STRINGS)) {
    const list = definitions[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `'${key}' must be a list.`;
    for (const [i, item] of (list as unknown[]).entries()) {
      if (typeof item !== 'object' || item === null) return `${key}[${i}] must be an object.`;
      const record = item as Record<string, unknown>;
      for (const field of fields) {
        if (typeof record[field] !== 'string') return `${key}[${i}].${field} must be a string.`;
      }
      if (record.vhost !== undefined && typeof record.vhost !== 'string')
        return `${key}[${i}].vhost must be a string.`;
    }
  }
  return undefined;
}

function vhostsOf(definitions: Definitions): string[] {
  const named = new Set<string>();
  for (const v of definitions.vhosts ?? []) named.add(v.name);
  for (const list of [definitions.exchanges, definitions.queues, definitions.bindings]) {
    for (const item of list ?? []) if (item.vhost !== undefined) named.add(item.vhost);
  }
  return [...named];
}

/**
 * Turns a definitions file (a one-vhost export, or a full export with `vhost` picked) into a
 * topology document. Anything the model cannot hold is listed in `notImported`, never dropped
 * silently.
 */
export function definitionsToTopology(
  definitions: Definitions,
  options: { vhost?: string } = {},
): ImportResult {
  if (typeof definitions !== 'object' || definitions === null || Array.isArray(definitions)) {
    return { ok: false, message: 'definitions must be a JSON object, as exported by RabbitMQ.' };
  }
  const problem = shapeProblem(definitions);
  if (problem !== undefined) return { ok: false, message: `definitions: ${problem}` };
  const vhosts = vhostsOf(definitions);
  let vhost = options.vhost;
  if (vhost === undefined && vhosts.length > 1) {
    return {
      ok: false,
      message: `These definitions hold ${vhosts.length} vhosts; pick one with "vhost".`,
      vhosts,
    };
  }
  if (vhost === undefined) vhost = vhosts[0];
  // A one-vhost export names no vhost at all, so any choice of vhost fits it.
  if (options.vhost !== undefined && vhosts.length > 0 && !vhosts.includes(options.vhost)) {
    return { ok: false, message: `vhost '${vhost}' is not in these definitions.`, vhosts };
  }
  const inVhost = <T extends { vhost?: string }>(item: T) =>
    item.vhost === undefined || item.vhost === vhost;
  const notImported: string[] = [];

  const exchanges: Exchange[] = [];
  for (const x of (definitions.exchanges ?? []).filter(inVhost)) {
    if (isBuiltInExchange(x.name)) continue;
    const type = x.type as Exchange['type'];
    if (!['direct', 'fanout', 'topic', 'headers', 'x-consistent-hash'].includes(type)) {
      notImported.push(`exchange '${x.name}': type '${x.type}' is not supported`);
      continue;
    }
    exchanges.push({
      id: `exchange:${x.name}`,
      name: x.name,
      type,
      durable: x.durable ?? true,
      autoDelete: x.auto_delete ?? false,
      internal: x.internal ?? false,
      ...(x.arguments && Object.keys(x.arguments).length > 0 ? { arguments: x.arguments } : {}),
    });
  }
  const queues: Queue[] = (definitions.queues ?? []).filter(inVhost).map((q) => ({
    id: `queue:${q.name}`,
    name: q.name,
    durable: q.durable ?? true,
    exclusive: q.exclusive ?? false,
    autoDelete: q.auto_delete ?? false,
    ...(q.arguments && Object.keys(q.arguments).length > 0 ? { arguments: q.arguments } : {}),
  }));
  const bindings: Binding[] = [];
  (definitions.bindings ?? []).filter(inVhost).forEach((b, i) => {
    if (b.destination_type !== 'queue' && b.destination_type !== 'exchange') {
      notImported.push(`binding ${i}: destination type '${b.destination_type}' is not supported`);
      return;
    }
    bindings.push({
      id: `binding:${i}`,
      source: b.source,
      destination: b.destination,
      destinationType: b.destination_type,
      routingKey: b.routing_key ?? '',
      ...(b.arguments && Object.keys(b.arguments).length > 0 ? { arguments: b.arguments } : {}),
    });
  });
  for (const [key, value] of Object.entries(definitions)) {
    if (BROKER_WIDE_KEYS.has(key) || ['exchanges', 'queues', 'bindings'].includes(key)) continue;
    if (Array.isArray(value)) {
      // A full export lists every vhost's policies, parameters, ...: only this vhost's count.
      const here = (value as unknown[]).filter(
        (item) =>
          typeof item !== 'object' ||
          item === null ||
          !('vhost' in item) ||
          item.vhost === undefined ||
          item.vhost === vhost,
      );
      if (here.length === 0) continue;
      notImported.push(`'${key}' (${here.length}) is not part of a diagram yet`);
      continue;
    }
    notImported.push(`'${key}' is not part of a diagram yet`);
  }
  const topology = layoutTopology({
    version: TOPOLOGY_VERSION,
    exchanges,
    queues,
    bindings,
    producers: [],
  });
  return { ok: true, topology, vhost, notImported };
}

/** Writes a topology as a one-vhost definitions file (`rabbitmqctl import_definitions` accepts it). */
export function topologyToDefinitions(
  topology: Topology,
  options: { vhost?: string } = {},
): Definitions {
  const vhost = options.vhost === undefined ? {} : { vhost: options.vhost };
  return {
    ...(options.vhost === undefined ? {} : { vhosts: [{ name: options.vhost }] }),
    exchanges: topology.exchanges.map((x) => ({
      name: x.name,
      ...vhost,
      type: x.type,
      durable: x.durable,
      auto_delete: x.autoDelete,
      internal: x.internal,
      arguments: x.arguments ?? {},
    })),
    queues: topology.queues.map((q) => ({
      name: q.name,
      ...vhost,
      durable: q.durable,
      auto_delete: q.autoDelete,
      exclusive: q.exclusive,
      arguments: q.arguments ?? {},
    })),
    bindings: topology.bindings.map((b) => ({
      source: b.source,
      ...vhost,
      destination: b.destination,
      destination_type: b.destinationType,
      routing_key: b.routingKey,
      arguments: b.arguments ?? {},
    })),
  };
}
