import {
  effectiveExchangeArguments,
  effectiveQueueArguments,
  policyFor,
  queueTypeOf,
  type EffectiveSetting,
  type SettingSource,
} from '../arguments';
import {
  BUILT_IN_EXCHANGES,
  type Binding,
  type Exchange,
  type ExchangeType,
  type Queue,
  type Topology,
} from '../model';
import { compileHeadersPattern, type HeadersPattern } from './headers';
import { compileTopicPattern, type TopicPattern } from './topic';

/** The broker's firehose exchange: in every vhost, internal, never drawn. */
export const TRACE_EXCHANGE = 'amq.rabbitmq.trace';

export interface CompiledBinding {
  binding: Binding;
  /** Why the broker would not have this binding at all; such a binding routes nothing. */
  refused?: string;
  topic?: TopicPattern;
  headers?: HeadersPattern;
  /** Consistent-hash: the weight (the binding key as a whole number). */
  weight?: number;
  /** Consistent-hash: its destination is already on the ring through an earlier binding. */
  duplicateOnRing?: boolean;
}

export interface CompiledExchange {
  name: string;
  id?: string;
  type: ExchangeType | 'default';
  internal: boolean;
  builtIn: boolean;
  alternate?: { name: string; source: SettingSource };
  bindings: CompiledBinding[];
  /** Consistent-hash exchanges: the destinations on the ring, one binding each, in order. */
  ring?: CompiledBinding[];
  /** The ring as explanations show it (shared by every explanation; read-only). */
  candidates?: { destination: string; destinationType: 'queue' | 'exchange'; weight: number }[];
  /** Consistent-hash exchanges: what the broker hashes, in words. */
  hashOn?: string;
  /**
   * Scratch space of the walk in progress (walks never overlap): the walk's number when this
   * exchange was decided or visited, so that a walk needs no maps or sets of its own.
   */
  decidedIn: number;
  decision?: unknown;
  visitedIn: number;
  /**
   * What this exchange decided for the messages seen so far, by what it looks at (routing
   * keys, or the header values its bindings compare); the verdicts in it are shared, frozen.
   */
  decisions: Map<string, unknown>;
  /** Headers exchanges: every header name a binding compares, for the decision cache key. */
  headerKeys?: string[];
}

export type OverflowMode = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';

/** What a queue does with messages once policies are applied, as the queue process reads it. */
export interface QueueSettings {
  type: string;
  ttl?: { ms: number; source: SettingSource };
  maxLength?: { value: number; source: SettingSource };
  maxBytes?: { value: number; source: SettingSource };
  overflow: { mode: OverflowMode; source?: SettingSource; note?: string };
  deadLetterExchange?: { name: string; source: SettingSource };
  deadLetterRoutingKey?: { key: string; source: SettingSource };
}

export interface CompiledQueue {
  queue: Queue;
  settings: QueueSettings;
  /** Scratch space of the walk in progress: when it reached this queue, and as which. */
  reachedIn: number;
  reachIndex: number;
}

export interface CompiledTopology {
  topology: Topology;
  exchanges: Map<string, CompiledExchange>;
  queues: Map<string, CompiledQueue>;
  /** Counts walks; see CompiledExchange.decidedIn. */
  walks: number;
}

function builtInExchange(name: string, type: ExchangeType, internal: boolean): Exchange {
  return { id: '', name, type, durable: true, autoDelete: false, internal };
}

/** Prepares everything about a topology that does not depend on the message. */
export function compileTopology(topology: Topology): CompiledTopology {
  const exchanges = new Map<string, CompiledExchange>();
  const queues = new Map<string, CompiledQueue>();

  exchanges.set('', {
    name: '',
    type: 'default',
    internal: false,
    builtIn: true,
    bindings: [],
    decidedIn: 0,
    visitedIn: 0,
    decisions: new Map(),
  });
  const declare = (exchange: Exchange, builtIn: boolean) => {
    const compiled: CompiledExchange = {
      name: exchange.name,
      type: exchange.type,
      internal: exchange.internal,
      builtIn,
      bindings: [],
      decidedIn: 0,
      visitedIn: 0,
      decisions: new Map(),
    };
    if (!builtIn) compiled.id = exchange.id;
    const alternate = effectiveExchangeArguments(topology, exchange).get('alternate-exchange');
    if (alternate && typeof alternate.value === 'string')
      compiled.alternate = { name: alternate.value, source: alternate.source };
    if (exchange.type === 'x-consistent-hash') compiled.hashOn = hashSubject(exchange);
    exchanges.set(exchange.name, compiled);
  };
  for (const [name, type] of Object.entries(BUILT_IN_EXCHANGES))
    if (name !== '') declare(builtInExchange(name, type, false), true);
  declare(builtInExchange(TRACE_EXCHANGE, 'topic', true), true);
  for (const exchange of topology.exchanges) {
    // Drawn exchanges with a reserved name are refused by the broker; the built-in one stays.
    if (exchange.name === '' || (exchanges.get(exchange.name)?.builtIn ?? false)) continue;
    declare(exchange, false);
  }

  for (const queue of topology.queues) {
    if (!queues.has(queue.name))
      queues.set(queue.name, {
        queue,
        settings: queueSettings(topology, queue),
        reachedIn: 0,
        reachIndex: 0,
      });
  }

  for (const binding of topology.bindings) {
    const source = exchanges.get(binding.source);
    // The broker refuses bindings to or from the default exchange, and from missing ones.
    if (!source || source.type === 'default') continue;
    const compiled: CompiledBinding = { binding };
    const destinationExists =
      binding.destinationType === 'queue'
        ? queues.has(binding.destination)
        : binding.destination !== '' && exchanges.has(binding.destination);
    if (!destinationExists) {
      compiled.refused = `the ${binding.destinationType} '${binding.destination}' does not exist, so the broker has no such binding`;
    } else if (source.type === 'topic') {
      compiled.topic = compileTopicPattern(binding.routingKey);
    } else if (source.type === 'headers') {
      compiled.headers = compileHeadersPattern(binding.arguments);
      if (compiled.headers.invalid !== undefined) compiled.refused = compiled.headers.invalid;
    } else if (source.type === 'x-consistent-hash') {
      const weight = hashWeight(binding.routingKey);
      if (weight === undefined)
        compiled.refused = `the binding key '${binding.routingKey}' of a consistent-hash exchange must be a whole number of at least 1 (its weight), so the broker refuses this binding`;
      else compiled.weight = weight;
    }
    source.bindings.push(compiled);
  }

  for (const exchange of exchanges.values()) {
    if (exchange.type === 'headers') {
      const keys = new Set<string>();
      for (const b of exchange.bindings) for (const k of b.headers?.keys ?? []) keys.add(k.key);
      exchange.headerKeys = [...keys].sort();
    } else if (exchange.type === 'x-consistent-hash') {
      // The ring holds each destination once: a second binding to it adds no buckets.
      const seen = new Set<string>();
      const ring: CompiledBinding[] = [];
      for (const b of exchange.bindings) {
        if (b.refused !== undefined) continue;
        const key = `${b.binding.destinationType}:${b.binding.destination}`;
        if (seen.has(key)) b.duplicateOnRing = true;
        else {
          seen.add(key);
          ring.push(b);
        }
      }
      exchange.ring = ring;
      if (ring.length > 0)
        exchange.candidates = ring.map((b) => ({
          destination: b.binding.destination,
          destinationType: b.binding.destinationType,
          weight: b.weight ?? 1,
        }));
    }
  }
  return { topology, exchanges, queues, walks: 0 };
}

/** rabbit_exchange_type_consistent_hash validates the key with list_to_integer, then >= 1. */
function hashWeight(key: string): number | undefined {
  if (!/^[+-]?\d+$/.test(key)) return undefined;
  const weight = Number.parseInt(key, 10);
  return weight >= 1 ? weight : undefined;
}

function hashSubject(exchange: Exchange): string {
  const header = exchange.arguments?.['hash-header'];
  const property = exchange.arguments?.['hash-property'];
  if (typeof header === 'string') return `the header '${header}'`;
  if (typeof property === 'string') return `the property ${property}`;
  return 'the routing key';
}

const numberSetting = (setting: EffectiveSetting | undefined) =>
  setting && typeof setting.value === 'number' && Number.isFinite(setting.value)
    ? { value: setting.value, source: setting.source }
    : undefined;

const OVERFLOW_MODES: readonly string[] = ['drop-head', 'reject-publish', 'reject-publish-dlx'];

/**
 * The settings a queue process works with. Classic queues take the lower of argument and
 * policy for TTL and lengths and let the argument win otherwise (rabbit_amqqueue_process);
 * quorum queues let the policy's overflow win and know no reject-publish-dlx
 * (rabbit_quorum_queue).
 */
export function queueSettings(topology: Topology, queue: Queue): QueueSettings {
  const type = queueTypeOf(queue);
  const effective = effectiveQueueArguments(topology, queue);
  const settings: QueueSettings = { type, overflow: { mode: 'drop-head' } };
  const ttl = numberSetting(effective.get('x-message-ttl'));
  if (ttl) settings.ttl = { ms: ttl.value, source: ttl.source };
  const maxLength = numberSetting(effective.get('x-max-length'));
  if (maxLength) settings.maxLength = maxLength;
  const maxBytes = numberSetting(effective.get('x-max-length-bytes'));
  if (maxBytes) settings.maxBytes = maxBytes;

  let overflow = effective.get('x-overflow');
  if (type === 'quorum') {
    const policy = policyFor(topology, 'queue', queue.name, type);
    const fromPolicy = policy?.definition.overflow;
    if (policy && fromPolicy !== undefined)
      overflow = { value: fromPolicy, source: { from: 'policy', policy: policy.name } };
  }
  if (overflow && typeof overflow.value === 'string' && OVERFLOW_MODES.includes(overflow.value)) {
    settings.overflow = { mode: overflow.value as OverflowMode, source: overflow.source };
    if (type === 'quorum' && overflow.value === 'reject-publish-dlx') {
      settings.overflow = {
        mode: 'drop-head',
        source: overflow.source,
        note: 'quorum queues do not support reject-publish-dlx and use drop-head instead',
      };
    }
  }

  const dlx = effective.get('x-dead-letter-exchange');
  if (dlx && typeof dlx.value === 'string')
    settings.deadLetterExchange = { name: dlx.value, source: dlx.source };
  const dlrk = effective.get('x-dead-letter-routing-key');
  if (dlrk && typeof dlrk.value === 'string')
    settings.deadLetterRoutingKey = { key: dlrk.value, source: dlrk.source };
  return settings;
}
