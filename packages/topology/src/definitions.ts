import {
  EXCHANGE_TYPES,
  isBuiltInExchange,
  POLICY_TARGETS,
  TOPOLOGY_VERSION,
  type ArgumentTable,
  type Binding,
  type Exchange,
  type ExchangeType,
  type Policy,
  type PolicyTarget,
  type Queue,
  type Topology,
} from './model';
import { canonicalJson } from './diff';
import { documentSizeIssue } from './document-size';
import { layoutTopology } from './layout';

/** The parts of a RabbitMQ definitions.json that Warren reads and writes. */
export interface Definitions {
  rabbit_version?: string;
  vhosts?: { name: string }[];
  exchanges?: DefinitionExchange[];
  queues?: DefinitionQueue[];
  bindings?: DefinitionBinding[];
  policies?: DefinitionPolicy[];
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
  /** RabbitMQ never writes it and ignores it on import; Warren writes it to keep its own round trip. */
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

export interface DefinitionPolicy {
  vhost?: string;
  name: string;
  pattern: string;
  'apply-to'?: string;
  definition: Record<string, unknown>;
  priority?: number;
}

export type ImportResult =
  | { ok: true; topology: Topology; vhost: string | undefined; notImported: string[] }
  | { ok: false; message: string; vhosts?: string[] };

export interface ImportOptions {
  /** Which vhost to take from a full export (one naming several vhosts). */
  vhost?: string;
  /**
   * Give the imported nodes positions (the default). A caller that only compares the result
   * with another topology, never draws it, can skip the layout's cost.
   */
  layout?: boolean;
}

export interface ExportOptions {
  /** Tag every object with this vhost and list it under `vhosts`, as a full export does. */
  vhost?: string;
}

export interface DefinitionsExport {
  definitions: Definitions;
  /** What the diagram holds that the definitions file cannot, one sentence each. */
  notExported: string[];
}

/** The string fields each list item must have for the import to read it at all. */
const REQUIRED_STRINGS = {
  vhosts: ['name'],
  exchanges: ['name', 'type'],
  queues: ['name'],
  bindings: ['source', 'destination', 'destination_type'],
  policies: ['name', 'pattern'],
} as const;

/** Keys that describe the export itself and hold nothing a broker could lose. */
const METADATA_KEYS = new Set([
  'rabbit_version',
  'rabbitmq_version',
  'product_name',
  'product_version',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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
      if (!isRecord(item)) return `${key}[${i}] must be an object.`;
      for (const field of fields) {
        if (typeof item[field] !== 'string') return `${key}[${i}].${field} must be a string.`;
      }
      if (item.vhost !== undefined && typeof item.vhost !== 'string')
        return `${key}[${i}].vhost must be a string.`;
      if (item.arguments !== undefined && !isRecord(item.arguments))
        return `${key}[${i}].arguments must be an object.`;
      if (key === 'policies') {
        if (!isRecord(item.definition)) return `policies[${i}].definition must be an object.`;
        if (item.priority !== undefined && !Number.isInteger(item.priority))
          return `policies[${i}].priority must be a whole number.`;
      }
    }
  }
  return undefined;
}

/** Lists whose items live inside a vhost (permissions only refer to one). */
const VHOST_CONTENT_KEYS = [
  'exchanges',
  'queues',
  'bindings',
  'policies',
  'parameters',
  'operator_policies',
];

/** Every vhost the file holds: in `vhosts`, or as the `vhost` of an object inside one. */
function vhostsOf(definitions: Definitions): string[] {
  const named = new Set<string>();
  for (const v of definitions.vhosts ?? []) named.add(v.name);
  for (const key of VHOST_CONTENT_KEYS) {
    const list = definitions[key];
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      if (isRecord(item) && typeof item.vhost === 'string') named.add(item.vhost);
    }
  }
  return [...named];
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;
const quoted = (names: string[], max = 5) =>
  names
    .slice(0, max)
    .map((n) => `'${n}'`)
    .join(', ') + (names.length > max ? ', …' : '');

function withArguments<T extends object>(item: T, args: Record<string, unknown> | undefined) {
  return args && Object.keys(args).length > 0 ? { ...item, arguments: args } : item;
}

function bindingLabel(b: DefinitionBinding): string {
  const key = b.routing_key ?? '';
  return `binding from '${b.source}' to ${b.destination_type} '${b.destination}'${key === '' ? '' : ` (routing key '${key}')`}`;
}

/**
 * Turns a definitions file (a one-vhost export, or a full export with `vhost` picked) into a
 * topology document. Anything the model cannot hold is listed in `notImported`, never dropped
 * silently.
 */
export function definitionsToTopology(
  definitions: Definitions,
  options: ImportOptions = {},
): ImportResult {
  if (!isRecord(definitions)) {
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
  const inVhost = (item: unknown) =>
    !isRecord(item) || item.vhost === undefined || item.vhost === vhost;
  const notImported: string[] = [];

  const exchanges: Exchange[] = [];
  const exchangeNames = new Set<string>();
  for (const x of (definitions.exchanges ?? []).filter(inVhost)) {
    // The default and amq.* exchanges exist in every vhost; a diagram refers to them by name.
    if (isBuiltInExchange(x.name)) continue;
    if (!(EXCHANGE_TYPES as readonly string[]).includes(x.type)) {
      notImported.push(
        `exchange '${x.name}' has type '${x.type}', which a diagram cannot draw (it draws ${EXCHANGE_TYPES.join(', ')}).`,
      );
      continue;
    }
    if (exchangeNames.has(x.name)) {
      notImported.push(`exchange '${x.name}' is listed twice; only the first is imported.`);
      continue;
    }
    exchangeNames.add(x.name);
    exchanges.push(
      withArguments(
        {
          id: `exchange:${x.name}`,
          name: x.name,
          type: x.type as ExchangeType,
          durable: x.durable ?? true,
          autoDelete: x.auto_delete ?? false,
          internal: x.internal ?? false,
        },
        x.arguments,
      ),
    );
  }

  const queues: Queue[] = [];
  const queueNames = new Set<string>();
  for (const q of (definitions.queues ?? []).filter(inVhost)) {
    const type = q.arguments?.['x-queue-type'];
    if (type === 'stream') {
      notImported.push(
        `queue '${q.name}' is a stream, which a diagram cannot draw (it draws classic and quorum queues).`,
      );
      continue;
    }
    if (queueNames.has(q.name)) {
      notImported.push(`queue '${q.name}' is listed twice; only the first is imported.`);
      continue;
    }
    queueNames.add(q.name);
    const serverNamed = q.name.startsWith('amq.');
    if (serverNamed) {
      notImported.push(
        `queue '${q.name}' was named by the broker: it is imported as a server-named queue, and the broker will pick a new name when the diagram is applied.`,
      );
    }
    queues.push(
      withArguments(
        {
          id: `queue:${q.name}`,
          name: q.name,
          durable: q.durable ?? true,
          exclusive: q.exclusive ?? false,
          autoDelete: q.auto_delete ?? false,
          ...(serverNamed ? { serverNamed: true } : {}),
        },
        q.arguments,
      ),
    );
  }

  const exchangeExists = (name: string) => exchangeNames.has(name) || isBuiltInExchange(name);
  const missing = (kind: string, name: string, list: { name: string; vhost?: string }[] = []) =>
    list.some((item) => item.name === name && inVhost(item))
      ? `its ${kind} '${name}' was not imported`
      : `its ${kind} '${name}' is not in these definitions`;
  const bindings: Binding[] = [];
  (definitions.bindings ?? []).filter(inVhost).forEach((b, i) => {
    // Every queue is bound to the default exchange implicitly; there is nothing to draw.
    if (b.source === '') return;
    if (b.destination_type !== 'queue' && b.destination_type !== 'exchange') {
      notImported.push(
        `${bindingLabel(b)}: destination type '${b.destination_type}' is neither queue nor exchange.`,
      );
      return;
    }
    let why: string | undefined;
    if (!exchangeExists(b.source)) why = missing('exchange', b.source, definitions.exchanges);
    else if (b.destination_type === 'queue' && !queueNames.has(b.destination))
      why = missing('queue', b.destination, definitions.queues);
    else if (b.destination_type === 'exchange' && !exchangeExists(b.destination))
      why = missing('exchange', b.destination, definitions.exchanges);
    if (why !== undefined) {
      notImported.push(`${bindingLabel(b)} is left out: ${why}.`);
      return;
    }
    bindings.push(
      withArguments(
        {
          id: `binding:${i}`,
          source: b.source,
          destination: b.destination,
          destinationType: b.destination_type,
          routingKey: b.routing_key ?? '',
        },
        b.arguments,
      ),
    );
  });

  const policies: Policy[] = [];
  for (const p of (definitions.policies ?? []).filter(inVhost)) {
    const applyTo = p['apply-to'] ?? 'all';
    if (!(POLICY_TARGETS as readonly string[]).includes(applyTo)) {
      notImported.push(
        `policy '${p.name}' applies to ${typeof applyTo === 'string' ? `'${applyTo}'` : JSON.stringify(applyTo)}, which a diagram cannot hold (it knows ${POLICY_TARGETS.join(', ')}).`,
      );
      continue;
    }
    policies.push({
      id: `policy:${p.name}`,
      name: p.name,
      pattern: p.pattern,
      applyTo: applyTo as PolicyTarget,
      priority: p.priority ?? 0,
      definition: p.definition,
    });
  }

  notImported.push(...brokerWideNotes(definitions, vhost, inVhost));
  const topology: Topology = {
    version: TOPOLOGY_VERSION,
    exchanges,
    queues,
    bindings,
    producers: [],
    ...(policies.length > 0 ? { policies } : {}),
  };
  const tooBig = documentSizeIssue(topology);
  if (tooBig !== undefined) return { ok: false, message: `definitions: ${tooBig.message}` };
  return {
    ok: true,
    topology: options.layout === false ? topology : layoutTopology(topology),
    vhost,
    notImported,
  };
}

const LIST_WORDS: Record<string, [string, string]> = {
  exchanges: ['exchange', 'exchanges'],
  queues: ['queue', 'queues'],
  bindings: ['binding', 'bindings'],
  policies: ['policy', 'policies'],
  parameters: ['parameter', 'parameters'],
  operator_policies: ['operator policy', 'operator policies'],
  permissions: ['permission', 'permissions'],
  topic_permissions: ['topic permission', 'topic permissions'],
};

/** Sentences for the parts of a file that are about the broker or other vhosts. */
function brokerWideNotes(
  definitions: Definitions,
  vhost: string | undefined,
  inVhost: (item: unknown) => boolean,
): string[] {
  const notes: string[] = [];
  const here = (key: string): unknown[] => {
    const list = definitions[key];
    return Array.isArray(list) ? (list as unknown[]).filter(inVhost) : [];
  };
  const names = (list: unknown[], field = 'name') =>
    list.flatMap((item) =>
      isRecord(item) && typeof item[field] === 'string' ? [item[field]] : [],
    );

  for (const [key, value] of Object.entries(definitions)) {
    if (METADATA_KEYS.has(key) || value === undefined) continue;
    if (['vhosts', 'exchanges', 'queues', 'bindings', 'policies'].includes(key)) continue;
    const list = here(key);
    switch (key) {
      case 'users':
        if (list.length > 0)
          notes.push(
            `${plural(list.length, 'user')} (${quoted(names(list))}): users are broker-wide accounts, not part of a diagram.`,
          );
        break;
      case 'permissions':
      case 'topic_permissions':
        if (list.length > 0)
          notes.push(
            `${plural(list.length, key === 'permissions' ? 'permission' : 'topic permission')} (for ${quoted([...new Set(names(list, 'user'))])}): access control is not part of a diagram.`,
          );
        break;
      case 'parameters': {
        const described = list.map((item) =>
          isRecord(item) ? `${String(item.component)} '${String(item.name)}'` : 'one unreadable',
        );
        if (list.length > 0)
          notes.push(
            `${plural(list.length, 'parameter')} (${described.slice(0, 5).join(', ')}${described.length > 5 ? ', …' : ''}): runtime parameters (shovels, federation, vhost limits) are not part of a diagram.`,
          );
        break;
      }
      case 'global_parameters':
        if (list.length > 0)
          notes.push(
            `${plural(list.length, 'global parameter')} (${quoted(names(list))}): broker-wide settings are not part of a diagram.`,
          );
        break;
      case 'operator_policies':
        if (list.length > 0)
          notes.push(
            `${plural(list.length, 'operator policy', 'operator policies')} (${quoted(names(list))}): operator policies cap what user policies set and are not part of a diagram.`,
          );
        break;
      default:
        if (Array.isArray(value)) {
          if (list.length > 0)
            notes.push(`'${key}' (${list.length}) is not something a diagram can hold.`);
        } else {
          notes.push(`'${key}' is not something a diagram can hold.`);
        }
    }
  }

  // Everything tagged with another vhost, counted per vhost so nothing vanishes unnoticed.
  if (vhost !== undefined) {
    const others = new Map<string, Map<string, number>>();
    for (const v of definitions.vhosts ?? []) if (v.name !== vhost) others.set(v.name, new Map());
    for (const [key, list] of Object.entries(definitions)) {
      if (key === 'vhosts' || !Array.isArray(list)) continue;
      for (const item of list as unknown[]) {
        if (!isRecord(item) || typeof item.vhost !== 'string' || item.vhost === vhost) continue;
        const counts = others.get(item.vhost) ?? new Map<string, number>();
        counts.set(key, (counts.get(key) ?? 0) + 1);
        others.set(item.vhost, counts);
      }
    }
    for (const [name, counts] of others) {
      const content = [...counts]
        .map(([key, n]) => {
          const [one, many] = LIST_WORDS[key] ?? [key, key];
          return plural(n, one, many);
        })
        .join(', ');
      notes.push(
        `vhost '${name}' (${content === '' ? 'empty' : content}) is not imported: a diagram shows one vhost; import it on its own.`,
      );
    }
  }
  return notes;
}

/** Null is a valid AMQP field value, but the broker refuses it in definitions (null_not_allowed). */
function exportableArguments(
  args: ArgumentTable | undefined,
  owner: string,
  notExported: string[],
): Record<string, unknown> {
  const kept = Object.entries(args ?? {}).filter(([key, value]) => {
    if (value !== null && value !== undefined) return true;
    notExported.push(
      `${owner}: argument '${key}' has no value, which RabbitMQ refuses in definitions; it is left out.`,
    );
    return false;
  });
  // fromEntries keeps a key such as '__proto__' as an own property, as JSON.parse does.
  return Object.fromEntries(kept);
}

/**
 * Writes a topology as a definitions file that `rabbitmqctl import_definitions` and the
 * management API (`POST /api/definitions[/<vhost>]`) accept, and says what it had to leave out.
 */
export function exportDefinitions(
  topology: Topology,
  options: ExportOptions = {},
): DefinitionsExport {
  const notExported: string[] = [];
  const vhost = options.vhost === undefined ? {} : { vhost: options.vhost };
  const serverNamed = new Set(
    topology.queues.filter((q) => q.serverNamed === true).map((q) => q.name),
  );

  const exchanges = topology.exchanges.map((x) => ({
    name: x.name,
    ...vhost,
    type: x.type,
    durable: x.durable,
    auto_delete: x.autoDelete,
    internal: x.internal,
    arguments: exportableArguments(x.arguments, `exchange '${x.name}'`, notExported),
  }));

  const queues: DefinitionQueue[] = [];
  for (const q of topology.queues) {
    if (q.serverNamed === true) {
      notExported.push(
        `queue '${q.name}' is server-named: the broker picks its name when a client declares it, so a definitions file cannot create it (its bindings are left out too).`,
      );
      continue;
    }
    if (q.exclusive) {
      notExported.push(
        `queue '${q.name}' is exclusive: RabbitMQ ignores 'exclusive' in definitions and creates an ordinary queue that outlives connections.`,
      );
    }
    queues.push({
      name: q.name,
      ...vhost,
      durable: q.durable,
      auto_delete: q.autoDelete,
      exclusive: q.exclusive,
      arguments: exportableArguments(q.arguments, `queue '${q.name}'`, notExported),
    });
  }

  const bindings: DefinitionBinding[] = [];
  for (const b of topology.bindings) {
    if (b.destinationType === 'queue' && serverNamed.has(b.destination)) continue;
    const definition = {
      source: b.source,
      ...vhost,
      destination: b.destination,
      destination_type: b.destinationType,
      routing_key: b.routingKey,
      arguments: {},
    };
    definition.arguments = exportableArguments(b.arguments, bindingLabel(definition), notExported);
    bindings.push(definition);
  }

  const policies: DefinitionPolicy[] = (topology.policies ?? []).map((p) => ({
    ...vhost,
    name: p.name,
    pattern: p.pattern,
    'apply-to': p.applyTo,
    definition: p.definition,
    priority: p.priority,
  }));

  const consumers = topology.consumers ?? [];
  if (topology.producers.length > 0 || consumers.length > 0) {
    const parts = [
      ...(topology.producers.length > 0 ? [plural(topology.producers.length, 'producer')] : []),
      ...(consumers.length > 0 ? [plural(consumers.length, 'consumer')] : []),
    ];
    notExported.push(
      `${parts.join(' and ')}: they are applications, not broker objects, so a definitions file has no place for them (code export does).`,
    );
  }

  return {
    definitions: {
      ...(options.vhost === undefined ? {} : { vhosts: [{ name: options.vhost }] }),
      exchanges,
      queues,
      bindings,
      ...(policies.length > 0 ? { policies } : {}),
    },
    notExported,
  };
}

/** The definitions file alone; see `exportDefinitions` for what it leaves out. */
export function topologyToDefinitions(
  topology: Topology,
  options: ExportOptions = {},
): Definitions {
  return exportDefinitions(topology, options).definitions;
}

const byName = (a: { name: string }, b: { name: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
const withoutEmpty = (args: ArgumentTable | undefined) =>
  args !== undefined && Object.keys(args).length > 0 ? { arguments: args } : {};

/**
 * What a broker holds of a topology, in one canonical order: no ids, positions, producers or
 * consumers; an empty argument table counts as none. Two topologies the broker cannot tell
 * apart give equal results (compare them with a deep equality).
 */
export function brokerSideOf(topology: Topology): {
  exchanges: Omit<Exchange, 'id' | 'position'>[];
  queues: Omit<Queue, 'id' | 'position'>[];
  bindings: Omit<Binding, 'id'>[];
  policies: Omit<Policy, 'id'>[];
} {
  return {
    exchanges: topology.exchanges
      .map(({ id: _id, position: _position, arguments: args, ...x }) => ({
        ...x,
        ...withoutEmpty(args),
      }))
      .sort(byName),
    queues: topology.queues
      .map(({ id: _id, position: _position, arguments: args, ...q }) => ({
        ...q,
        ...withoutEmpty(args),
      }))
      .sort(byName),
    bindings: topology.bindings
      .map(({ id: _id, arguments: args, ...b }) => ({ ...b, ...withoutEmpty(args) }))
      .sort((a, b) => {
        const [ka, kb] = [canonicalJson(a), canonicalJson(b)];
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      }),
    policies: (topology.policies ?? []).map(({ id: _id, ...p }) => p).sort(byName),
  };
}
