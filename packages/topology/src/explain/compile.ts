import {
  effectiveExchangeArguments,
  effectiveQueueArguments,
  policyFor,
  queueTypeOf,
  type EffectiveSetting,
} from '../arguments';
import {
  BUILT_IN_EXCHANGES,
  type Exchange,
  type ExchangeType,
  type Queue,
  type Topology,
} from '../model';
import type {
  CompiledBinding,
  CompiledExchange,
  CompiledQueue,
  CompiledTopology,
  OverflowMode,
  QueueSettings,
} from './compiled';
import { routerOf } from './exchange-types';

/** The broker's firehose exchange: in every vhost, internal, never drawn. */
export const TRACE_EXCHANGE = 'amq.rabbitmq.trace';

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
    if (exchange.arguments) compiled.arguments = exchange.arguments;
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
    if (destinationExists) routerOf(source).prepareBinding?.(compiled);
    else
      compiled.refused = `the ${binding.destinationType} '${binding.destination}' does not exist, so the broker has no such binding`;
    source.bindings.push(compiled);
  }

  for (const exchange of exchanges.values()) routerOf(exchange).prepareExchange?.(exchange);
  return { topology, exchanges, queues, walks: 0 };
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
