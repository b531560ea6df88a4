import Compile from 'typebox/compile';
import Value from 'typebox/value';
import { amqpLimitIssues } from './amqp-limits';
import { nestingIssue } from './document-depth';
import { documentSizeIssue } from './document-size';
import {
  EXCHANGE_ARGUMENTS,
  HEADERS_MATCH_MODES,
  POLICY_KEYS,
  QUEUE_ARGUMENTS,
  argumentValueProblem,
  effectiveQueueArguments,
  policyRegExp,
  queueTypeOf,
  type ArgumentSpec,
} from './arguments';
import {
  exchangeTypeOf,
  isBuiltInExchange,
  isServerGeneratedQueueName,
  TOPOLOGY_VERSION,
  TopologySchema,
  type Topology,
} from './model';

/** One problem in a topology document, located by a JSON pointer into the document. */
export interface TopologyIssue {
  /** JSON pointer to the field at fault, e.g. `/bindings/2/routingKey`. */
  path: string;
  /** The id of the node or edge at fault, when the path lies inside one. */
  nodeId?: string;
  /** A sentence a learner understands. */
  message: string;
}

export type ParseResult = { ok: true; topology: Topology } | { ok: false; issues: TopologyIssue[] };

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** Names a location for a sentence: `The document`, `/exchanges/0/type`. */
function where(path: string): string {
  return path === '' ? 'The document' : path;
}

/**
 * Turns one schema error into issues. Missing and unknown fields get one issue each, located
 * at the field itself, so an editor can mark exactly that field.
 */
function describeSchemaError(error: SchemaError): { path: string; message: string }[] {
  const { params, instancePath: at } = error;
  const one = (text: string) => [{ path: at, message: `${where(at)} ${text}` }];
  switch (error.keyword) {
    case 'required': {
      const names = (params.requiredProperties as string[] | undefined) ?? [];
      return names.map((name) => ({
        path: `${at}${pointer(name)}`,
        message: `${where(at)} is missing '${name}'.`,
      }));
    }
    case 'additionalProperties': {
      const names = (params.additionalProperties as string[] | undefined) ?? [];
      return names.map((name) => ({
        path: `${at}${pointer(name)}`,
        message: `${where(at)} has an unknown field '${name}'.`,
      }));
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [];
      return one(`must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}.`);
    }
    case 'const':
      return one(`must be ${JSON.stringify(params.allowedValue)}.`);
    case 'type':
      return one(`must be ${String((params.type as string | undefined) ?? 'of another type')}.`);
    case 'maxLength':
      return one(`is too long (at most ${String(params.limit)} characters).`);
    case 'minLength':
      return one(
        params.limit === 1
          ? 'must not be empty.'
          : `needs at least ${String(params.limit)} characters.`,
      );
    case 'boolean':
      // Reported again, more helpfully, by the enclosing `additionalProperties` error.
      return [];
    default:
      return one(`${error.message}.`);
  }
}

/** `/exchanges/3/name` → the id of exchanges[3], when the document has one there. */
function nodeIdAt(doc: unknown, path: string): string | undefined {
  const [, collection, index] = path.split('/');
  if (!collection || index === undefined || typeof doc !== 'object' || doc === null)
    return undefined;
  const list = (doc as Record<string, unknown>)[collection];
  if (!Array.isArray(list)) return undefined;
  const item: unknown = list[Number(index)];
  if (
    typeof item === 'object' &&
    item !== null &&
    'id' in item &&
    typeof item.id === 'string' &&
    item.id !== ''
  ) {
    return item.id;
  }
  return undefined;
}

function issue(doc: unknown, path: string, message: string): TopologyIssue {
  const nodeId = nodeIdAt(doc, path);
  return nodeId === undefined ? { path, message } : { path, nodeId, message };
}

function pointer(...parts: (string | number)[]): string {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Checks that need the whole document: names, references, duplicates, patterns. */
export function semanticIssues(topology: Topology): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const add = (path: string, message: string) => issues.push(issue(topology, path, message));

  const ids = new Map<string, string>();
  const checkId = (id: string, path: string) => {
    const first = ids.get(id);
    if (first !== undefined)
      add(path, `id '${id}' is already used at ${first}; ids must be unique.`);
    else ids.set(id, path);
  };

  const exchangeNames = new Set<string>();
  topology.exchanges.forEach((exchange, i) => {
    checkId(exchange.id, pointer('exchanges', i, 'id'));
    const at = pointer('exchanges', i, 'name');
    if (exchange.name === '') add(at, 'An exchange needs a name.');
    else if (isBuiltInExchange(exchange.name))
      add(at, `'${exchange.name}': names starting with 'amq.' are reserved by the broker.`);
    else if (exchangeNames.has(exchange.name))
      add(at, `There are two exchanges named '${exchange.name}'; names must be unique.`);
    exchangeNames.add(exchange.name);
  });

  const queueNames = new Set<string>();
  topology.queues.forEach((queue, i) => {
    checkId(queue.id, pointer('queues', i, 'id'));
    const at = pointer('queues', i, 'name');
    if (queue.name === '') add(at, 'A queue needs a name.');
    else if (
      queue.name.startsWith('amq.') &&
      queue.serverNamed !== true &&
      !isServerGeneratedQueueName(queue.name)
    )
      add(at, `'${queue.name}': queue names starting with 'amq.' are reserved by the broker.`);
    else if (queueNames.has(queue.name))
      add(at, `There are two queues named '${queue.name}'; names must be unique.`);
    queueNames.add(queue.name);
  });

  const exchangeKnown = (name: string) => exchangeNames.has(name) || isBuiltInExchange(name);
  const typeOf = (name: string) => exchangeTypeOf(topology, name);
  const seen = new Set<string>();
  topology.bindings.forEach((binding, i) => {
    checkId(binding.id, pointer('bindings', i, 'id'));
    if (binding.source === '')
      add(pointer('bindings', i, 'source'), 'The default exchange cannot be bound explicitly.');
    else if (!exchangeKnown(binding.source))
      add(
        pointer('bindings', i, 'source'),
        `The binding's exchange '${binding.source}' does not exist in this diagram.`,
      );
    const destinationKnown =
      binding.destinationType === 'queue'
        ? queueNames.has(binding.destination)
        : exchangeKnown(binding.destination);
    if (binding.destinationType === 'exchange' && binding.destination === '')
      add(
        pointer('bindings', i, 'destination'),
        'Nothing can be bound to the default exchange; pick a named exchange.',
      );
    else if (!destinationKnown)
      add(
        pointer('bindings', i, 'destination'),
        `The binding's ${binding.destinationType} '${binding.destination}' does not exist in this diagram.`,
      );
    if (typeOf(binding.source) === 'topic') {
      const words = binding.routingKey.split('.');
      if (binding.routingKey !== '' && words.some((w) => w === ''))
        add(
          pointer('bindings', i, 'routingKey'),
          `Topic pattern '${binding.routingKey}' has an empty word; words are separated by single dots.`,
        );
      else if (words.some((w) => w.length > 1 && (w.includes('*') || w.includes('#'))))
        add(
          pointer('bindings', i, 'routingKey'),
          `Topic pattern '${binding.routingKey}': '*' and '#' only act as wildcards when they are a whole word.`,
        );
    }
    const key = JSON.stringify([
      binding.source,
      binding.destinationType,
      binding.destination,
      binding.routingKey,
      binding.arguments ?? {},
    ]);
    if (seen.has(key))
      add(
        pointer('bindings', i),
        `This binding repeats another one; the broker keeps only one of them.`,
      );
    seen.add(key);
  });

  topology.producers.forEach((producer, i) => {
    checkId(producer.id, pointer('producers', i, 'id'));
    if (!exchangeKnown(producer.exchange))
      add(
        pointer('producers', i, 'exchange'),
        `Producer '${producer.name}' publishes to exchange '${producer.exchange}', which does not exist in this diagram.`,
      );
    else if (topology.exchanges.find((x) => x.name === producer.exchange)?.internal === true)
      add(
        pointer('producers', i, 'exchange'),
        `Producer '${producer.name}' publishes to '${producer.exchange}', an internal exchange: only other exchanges can send to it (the broker refuses with 403). Bind it from another exchange and publish there.`,
      );
  });

  (topology.consumers ?? []).forEach((consumer, i) => {
    checkId(consumer.id, pointer('consumers', i, 'id'));
    if (consumer.queue === '')
      add(
        pointer('consumers', i, 'queue'),
        `Consumer '${consumer.name}' reads from no queue yet; connect a queue to it.`,
      );
    else if (!queueNames.has(consumer.queue))
      add(
        pointer('consumers', i, 'queue'),
        `Consumer '${consumer.name}' reads from queue '${consumer.queue}', which does not exist in this diagram.`,
      );
  });

  issues.push(...argumentIssues(topology, exchangeKnown));
  for (const found of amqpLimitIssues(topology)) add(found.path, found.message);
  const policyNames = new Set<string>();
  (topology.policies ?? []).forEach((policy, i) => {
    checkId(policy.id, pointer('policies', i, 'id'));
    if (policyNames.has(policy.name))
      add(
        pointer('policies', i, 'name'),
        `There are two policies named '${policy.name}'; names must be unique.`,
      );
    policyNames.add(policy.name);
  });
  return issues;
}

/** A sentence for a value that breaks its argument's rule, or undefined when it is fine. */
function argumentMessage(
  owner: string,
  spec: ArgumentSpec,
  value: unknown,
  exchangeKnown: (name: string) => boolean,
): string | undefined {
  const problem = argumentValueProblem(spec, value);
  if (problem !== undefined) return `${owner}: ${spec.label} (${spec.key}) ${problem}.`;
  if (spec.value.kind === 'exchange' && typeof value === 'string' && !exchangeKnown(value))
    return `${owner}: ${spec.label.toLowerCase()} '${value}' does not exist in this diagram; add it or pick another.`;
  return undefined;
}

/** Checks every known argument of queues, exchanges, bindings and policies. */
function argumentIssues(
  topology: Topology,
  exchangeKnown: (name: string) => boolean,
): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const add = (path: string, message: string) => issues.push(issue(topology, path, message));

  topology.queues.forEach((queue, i) => {
    const args = queue.arguments ?? {};
    const owner = `Queue '${queue.name}'`;
    for (const spec of QUEUE_ARGUMENTS) {
      if (!(spec.key in args)) continue;
      const message = argumentMessage(owner, spec, args[spec.key], exchangeKnown);
      if (message !== undefined) add(pointer('queues', i, 'arguments', spec.key), message);
    }
    const effective = effectiveQueueArguments(topology, queue);
    if (effective.has('x-dead-letter-routing-key') && !effective.has('x-dead-letter-exchange'))
      add(
        pointer('queues', i, 'arguments', 'x-dead-letter-routing-key'),
        `${owner} has a dead-letter routing key but no dead-letter exchange; set x-dead-letter-exchange too (the broker refuses the key alone).`,
      );
    if (queueTypeOf(queue) === 'quorum') {
      if (!queue.durable)
        add(
          pointer('queues', i, 'durable'),
          `${owner} is a quorum queue; those are always durable.`,
        );
      if (queue.exclusive)
        add(
          pointer('queues', i, 'exclusive'),
          `${owner} is a quorum queue; those cannot be exclusive.`,
        );
      if (queue.autoDelete)
        add(
          pointer('queues', i, 'autoDelete'),
          `${owner} is a quorum queue; those cannot be auto-delete.`,
        );
      if (queue.serverNamed === true)
        add(
          pointer('queues', i, 'serverNamed'),
          `${owner} is a quorum queue; those need a name chosen by you, not by the broker.`,
        );
      if ('x-max-priority' in args)
        add(
          pointer('queues', i, 'arguments', 'x-max-priority'),
          `${owner} is a quorum queue; priorities (x-max-priority) need a classic queue.`,
        );
    }
  });

  topology.exchanges.forEach((exchange, i) => {
    const args = exchange.arguments ?? {};
    const owner = `Exchange '${exchange.name}'`;
    for (const spec of EXCHANGE_ARGUMENTS) {
      if (!(spec.key in args)) continue;
      const message = argumentMessage(owner, spec, args[spec.key], exchangeKnown);
      if (message !== undefined) add(pointer('exchanges', i, 'arguments', spec.key), message);
    }
    if (exchange.type !== 'x-consistent-hash' && ('hash-header' in args || 'hash-property' in args))
      add(
        pointer(
          'exchanges',
          i,
          'arguments',
          'hash-header' in args ? 'hash-header' : 'hash-property',
        ),
        `${owner}: hash-header and hash-property only mean something on a consistent-hash exchange.`,
      );
  });

  topology.bindings.forEach((binding, i) => {
    const type = exchangeTypeOf(topology, binding.source);
    const args = binding.arguments ?? {};
    if (type === 'headers' && 'x-match' in args) {
      const mode = args['x-match'];
      if (typeof mode !== 'string' || !(HEADERS_MATCH_MODES as readonly string[]).includes(mode))
        add(
          pointer('bindings', i, 'arguments', 'x-match'),
          `x-match must be one of ${HEADERS_MATCH_MODES.map((m) => `'${m}'`).join(', ')}: 'all' needs every header to match, 'any' needs one.`,
        );
    }
    if (type === 'x-consistent-hash' && !/^[1-9][0-9]{0,8}$/.test(binding.routingKey))
      add(
        pointer('bindings', i, 'routingKey'),
        `On a consistent-hash exchange the routing key of a binding is its weight: a whole number of at least 1 (got '${binding.routingKey}').`,
      );
  });

  (topology.policies ?? []).forEach((policy, i) => {
    const owner = `Policy '${policy.name}'`;
    if (policyRegExp(policy.pattern) === undefined)
      add(
        pointer('policies', i, 'pattern'),
        `${owner}: pattern '${policy.pattern}' is not a valid regular expression.`,
      );
    if (Object.keys(policy.definition).length === 0)
      add(pointer('policies', i, 'definition'), `${owner} sets nothing; add at least one key.`);
    for (const [key, value] of Object.entries(policy.definition)) {
      const spec = POLICY_KEYS.get(key);
      if (spec === undefined) continue;
      const message = argumentMessage(owner, spec, value, exchangeKnown);
      if (message !== undefined)
        add(
          pointer('policies', i, 'definition', key),
          message.replace(`(${spec.key})`, `(${key})`),
        );
    }
  });
  return issues;
}

function bestEffortSemanticIssues(doc: unknown): TopologyIssue[] {
  const d = doc as Record<string, unknown>;
  const lists = ['exchanges', 'queues', 'bindings', 'producers'];
  if (
    !lists.every(
      (k) =>
        Array.isArray(d[k]) &&
        (d[k] as unknown[]).every((i) => typeof i === 'object' && i !== null),
    )
  ) {
    return [];
  }
  try {
    return semanticIssues(doc as Topology);
  } catch {
    return [];
  }
}

let checker: ReturnType<typeof Compile<typeof TopologySchema>> | undefined;
function topologyChecker() {
  checker ??= Compile(TopologySchema);
  return checker;
}

/**
 * Reads an untrusted topology document: fills defaults, checks its shape and its meaning,
 * and returns either a well-formed Topology or every issue found, each with its path.
 */
/**
 * Why a document of another version cannot be read, in words a person can act on; undefined for
 * the version this Warren reads. Version 1 is the first: there is nothing older to migrate yet,
 * and a document from a newer Warren is refused rather than guessed at.
 */
export function documentVersionIssue(version: unknown): TopologyIssue | undefined {
  if (version === TOPOLOGY_VERSION) return undefined;
  const at = '/version';
  if (typeof version === 'number' && Number.isInteger(version) && version > TOPOLOGY_VERSION) {
    return {
      path: at,
      message: `This document was saved by a newer Warren (document version ${version}); this Warren reads version ${TOPOLOGY_VERSION}. Open it with a newer Warren.`,
    };
  }
  if (version === undefined) {
    return {
      path: at,
      message: `This is not a Warren document: it has no "version" (Warren documents say "version": ${TOPOLOGY_VERSION}). A RabbitMQ definitions.json is imported with Import definitions.`,
    };
  }
  return {
    path: at,
    message: `"version" must be ${TOPOLOGY_VERSION}, the document version this Warren reads; this document says ${JSON.stringify(version)}.`,
  };
}

export function parseTopology(input: unknown): ParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      issues: [{ path: '', message: 'A topology document must be a JSON object.' }],
    };
  }
  const depthIssue = nestingIssue(input);
  if (depthIssue !== undefined) return { ok: false, issues: [depthIssue] };
  const sizeIssue = documentSizeIssue(input);
  if (sizeIssue !== undefined) return { ok: false, issues: [sizeIssue] };
  const versionIssue = documentVersionIssue((input as { version?: unknown }).version);
  if (versionIssue !== undefined) return { ok: false, issues: [versionIssue] };
  const doc = Value.Default(TopologySchema, Value.Clone(input));
  const schemaIssues: TopologyIssue[] = [];
  // Listing errors walks the whole schema slowly; a compiled check first keeps the usual case
  // (a valid document on every edit) fast.
  const errors = topologyChecker().Check(doc) ? [] : Value.Errors(TopologySchema, doc);
  for (const error of errors as unknown as SchemaError[]) {
    for (const found of describeSchemaError(error)) {
      schemaIssues.push(issue(doc, found.path, found.message));
    }
  }
  if (schemaIssues.length > 0) {
    // Report meaning problems too (an empty name, a missing queue) so one round trip lists them all.
    const semantic = bestEffortSemanticIssues(doc);
    const seen = new Set(schemaIssues.map((i) => i.path));
    return { ok: false, issues: [...schemaIssues, ...semantic.filter((i) => !seen.has(i.path))] };
  }
  const topology = doc as Topology;
  const issues = semanticIssues(topology);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, topology };
}
