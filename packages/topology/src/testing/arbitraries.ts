import fc from 'fast-check';
import { HEADERS_MATCH_MODES } from '../arguments';
import type { ExplainMessage } from '../explain/types';
import {
  BUILT_IN_EXCHANGES,
  EXCHANGE_TYPES,
  TOPOLOGY_VERSION,
  type Binding,
  type Exchange,
  type ExchangeType,
  type Policy,
  type Queue,
  type Topology,
} from '../model';

/**
 * Random topologies and messages for checking the routing explainer against a real broker.
 * Every generated document passes parseTopology, so Warren applies it as a user's would, and
 * RabbitMQ 3.10 accepts it as is; names and keys come from small vocabularies so that bindings
 * and messages meet often.
 */

/** Words of routing keys; topic patterns use these plus '*' and '#'. */
export const KEY_WORDS = ['a', 'b', 'c'] as const;
/** Header names messages and headers bindings use; 'x-k' only counts in the with-x modes. */
export const HEADER_KEYS = ['k1', 'k2', 'x-k'] as const;
/** Header values of every type amqplib encodes differently: text, integers, a double, booleans, void. */
export const HEADER_VALUES: readonly (string | number | boolean | null)[] = [
  'a',
  'b',
  '1',
  1,
  2,
  1.5,
  true,
  false,
  null,
];
/** An exchange name no topology declares, for publishes that miss. */
export const MISSING_EXCHANGE = 'x.missing';

const BUILT_IN_NAMES = Object.keys(BUILT_IN_EXCHANGES).filter((n) => n !== '');

export interface TopologyShape {
  exchanges: { min: number; max: number };
  queues: { min: number; max: number };
  bindings: { min: number; max: number };
  policies: { min: number; max: number };
  /** Share of bindings that lead to another exchange rather than a queue. */
  exchangeBindings: number;
  /** Share of exchanges declared with an alternate exchange. */
  alternates: number;
}

export const SMALL_SHAPE: TopologyShape = {
  exchanges: { min: 1, max: 5 },
  queues: { min: 1, max: 5 },
  bindings: { min: 2, max: 18 },
  policies: { min: 0, max: 2 },
  exchangeBindings: 0.35,
  alternates: 0.35,
};

/** A topology the size the explainer benchmark measures: 200 bindings over many exchanges. */
export const BENCH_SHAPE: TopologyShape = {
  exchanges: { min: 24, max: 24 },
  queues: { min: 40, max: 40 },
  bindings: { min: 200, max: 200 },
  policies: { min: 1, max: 1 },
  exchangeBindings: 0.03,
  alternates: 0.08,
};

/** True with the given probability (fc.double is not uniform, it favours edge values). */
function chance(probability: number): fc.Arbitrary<boolean> {
  return fc.noBias(fc.integer({ min: 0, max: 999 })).map((n) => n < probability * 1000);
}

const routingKey = fc
  .array(fc.constantFrom(...KEY_WORDS), { minLength: 0, maxLength: 3 })
  .map((words) => words.join('.'));

const topicPattern = fc
  .array(fc.constantFrom(...KEY_WORDS, '*', '#'), { minLength: 0, maxLength: 3 })
  .map((words) => words.join('.'));

/** Message header values lean on a few, so that bindings comparing values match now and then. */
const headerValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<string | number | boolean | null>('a', 1, true) },
  { weight: 2, arbitrary: fc.constantFrom(...HEADER_VALUES) },
);
/**
 * Binding values leave out null (AMQP void, "present with any value"): the management API
 * reports a void argument as the text 'undefined', so such a binding does not survive Warren's
 * read-back of the vhost between two diagrams.
 */
const bindingValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<string | number | boolean>('a', 1, true) },
  { weight: 2, arbitrary: fc.constantFrom(...HEADER_VALUES.filter((v) => v !== null)) },
);

const headersArguments = fc
  .tuple(
    fc.option(fc.constantFrom(...HEADERS_MATCH_MODES), { nil: undefined, freq: 4 }),
    fc.dictionary(fc.constantFrom(...HEADER_KEYS), bindingValue, { maxKeys: 3 }),
  )
  .map(([mode, values]) => (mode === undefined ? { ...values } : { 'x-match': mode, ...values }));

interface Names {
  exchanges: { name: string; type: ExchangeType }[];
  queues: string[];
}

function bindingFor(
  names: Names,
  allExchanges: { name: string; type: ExchangeType }[],
  exchangeShare: number,
) {
  const builtIn = allExchanges.filter((x) => x.name.startsWith('amq.'));
  // Mostly the drawn exchanges, so that bindings meet the messages aimed at them.
  const source =
    names.exchanges.length > 0
      ? fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom(...names.exchanges) },
          { weight: 1, arbitrary: fc.constantFrom(...builtIn) },
        )
      : fc.constantFrom(...builtIn);
  return fc
    .tuple(
      source,
      chance(exchangeShare),
      fc.nat(),
      fc.nat(),
      routingKey,
      topicPattern,
      headersArguments,
      fc.integer({ min: 1, max: 3 }),
    )
    .map(([source, toExchange, queuePick, exchangePick, key, pattern, headers, weight]) => {
      const destinationType: 'queue' | 'exchange' =
        toExchange || names.queues.length === 0 ? 'exchange' : 'queue';
      const destination =
        destinationType === 'queue'
          ? (names.queues[queuePick % names.queues.length] as string)
          : (allExchanges[exchangePick % allExchanges.length]?.name as string);
      const binding: Omit<Binding, 'id'> = {
        source: source.name,
        destination,
        destinationType,
        routingKey: '',
      };
      switch (source.type) {
        case 'topic':
          binding.routingKey = pattern;
          break;
        case 'headers':
          binding.arguments = headers;
          break;
        case 'x-consistent-hash':
          binding.routingKey = String(weight);
          break;
        default:
          binding.routingKey = key;
      }
      return binding;
    });
}

/** Bindings the broker would keep only once (same ends, key and arguments) are dropped. */
function distinctBindings(bindings: Omit<Binding, 'id'>[]): Binding[] {
  const seen = new Set<string>();
  const result: Binding[] = [];
  for (const b of bindings) {
    const key = JSON.stringify([
      b.source,
      b.destinationType,
      b.destination,
      b.routingKey,
      b.arguments ?? {},
    ]);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ id: `b${result.length + 1}`, ...b });
  }
  return result;
}

/** Random topologies: every exchange type, built-in exchanges, exchange-to-exchange cycles, alternate exchanges by argument and by policy, internal exchanges. */
export function topologyArbitrary(shape: TopologyShape = SMALL_SHAPE): fc.Arbitrary<Topology> {
  return fc
    .tuple(
      fc.array(fc.constantFrom(...EXCHANGE_TYPES), {
        minLength: shape.exchanges.min,
        maxLength: shape.exchanges.max,
      }),
      fc.integer({ min: shape.queues.min, max: shape.queues.max }),
    )
    .chain(([exchangeDrafts, queueCount]) => {
      const drawn = exchangeDrafts.map((type, i) => ({ name: `x${i + 1}`, type }));
      const queues = Array.from({ length: queueCount }, (_, i) => `q${i + 1}`);
      const builtIn = BUILT_IN_NAMES.map((name) => ({
        name,
        type: BUILT_IN_EXCHANGES[name] as ExchangeType,
      }));
      const all = [...drawn, ...builtIn];
      const names: Names = { exchanges: drawn, queues };
      // Warren refuses an alternate exchange the diagram does not have, by argument or policy.
      const alternateNames = [...drawn.map((x) => x.name), ...BUILT_IN_NAMES];
      return fc
        .record({
          exchanges: fc.tuple(
            ...drawn.map((x) =>
              fc
                .record({
                  internal: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
                  alternate: fc
                    .tuple(chance(shape.alternates), fc.constantFrom(...alternateNames))
                    .map(([yes, name]) => (yes ? name : undefined)),
                })
                .map(({ internal, alternate }): Exchange => ({
                  id: `e-${x.name}`,
                  name: x.name,
                  type: x.type,
                  durable: true,
                  autoDelete: false,
                  internal,
                  ...(alternate === undefined
                    ? {}
                    : { arguments: { 'alternate-exchange': alternate } }),
                })),
            ),
          ),
          bindings: fc
            .array(bindingFor(names, all, shape.exchangeBindings), {
              minLength: shape.bindings.min,
              maxLength: shape.bindings.max,
            })
            .map(distinctBindings),
          policies: fc
            .array(
              fc.record({
                targets: fc.uniqueArray(
                  fc.constantFrom(...drawn.map((x) => x.name), ...BUILT_IN_NAMES),
                  {
                    minLength: 1,
                    maxLength: 3,
                  },
                ),
                alternate: fc.constantFrom(...alternateNames),
                applyTo: fc.constantFrom('exchanges' as const, 'all' as const),
              }),
              { minLength: shape.policies.min, maxLength: shape.policies.max },
            )
            .map((drafts) =>
              drafts.map((d, i): Policy => ({
                id: `p${i + 1}`,
                name: `ae-policy-${i + 1}`,
                pattern: `^(${d.targets.map(escapeRegExp).join('|')})$`,
                applyTo: d.applyTo,
                // Distinct priorities: with a tie the broker's pick is not defined.
                priority: drafts.length - i,
                definition: { 'alternate-exchange': d.alternate },
              })),
            ),
        })
        .map(({ exchanges, bindings, policies }): Topology => {
          const queueList: Queue[] = queues.map((name) => ({
            id: `q-${name}`,
            name,
            durable: true,
            exclusive: false,
            autoDelete: false,
          }));
          const topology: Topology = {
            version: TOPOLOGY_VERSION,
            exchanges,
            queues: queueList,
            bindings,
            producers: [],
          };
          if (policies.length > 0) topology.policies = policies;
          return topology;
        });
    });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Messages aimed at a topology: its exchanges, built-in ones, the default exchange, and a missing one. */
export function messageArbitrary(topology: Topology): fc.Arbitrary<ExplainMessage> {
  const drawn = topology.exchanges.map((x) => x.name);
  const queueNames = topology.queues.map((q) => q.name);
  const queueName = queueNames.length > 0 ? fc.constantFrom(...queueNames) : routingKey;
  const exchange = fc.oneof(
    { weight: drawn.length > 0 ? 10 : 0, arbitrary: fc.constantFrom(...drawn, '') },
    { weight: 3, arbitrary: fc.constantFrom(...BUILT_IN_NAMES) },
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constant(MISSING_EXCHANGE) },
  );
  return fc
    .record({
      exchange,
      routingKey: routingKey,
      queueName,
      byName: fc.boolean(),
      headers: fc.dictionary(fc.constantFrom(...HEADER_KEYS), headerValue, { maxKeys: 3 }),
      mandatory: fc.boolean(),
    })
    .map(({ exchange: x, routingKey: k, queueName: q, byName, headers, mandatory }) => {
      // The default exchange is mostly asked for a queue by name; a direct binding key may be one too.
      const useName = x === '' ? k === '' || byName : byName && k === 'a';
      const message: ExplainMessage = { exchange: x, routingKey: useName ? q : k, mandatory };
      if (Object.keys(headers).length > 0) message.headers = headers;
      return message;
    });
}

export interface RoutingCase {
  topology: Topology;
  messages: ExplainMessage[];
}

/** A topology and a batch of messages published into it. */
export function routingCaseArbitrary(
  options: { messages?: number; shape?: TopologyShape } = {},
): fc.Arbitrary<RoutingCase> {
  const count = options.messages ?? 20;
  return topologyArbitrary(options.shape).chain((topology) =>
    fc.record({
      topology: fc.constant(topology),
      messages: fc.array(messageArbitrary(topology), { minLength: count, maxLength: count }),
    }),
  );
}
