import type { Exchange, Policy, Queue, Topology } from './model';

/** How an argument's value is read. */
export type ArgumentKind =
  | { kind: 'integer'; min: number; max?: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'string' }
  /** The name of an exchange of the same vhost. */
  | { kind: 'exchange' };

/** One optional argument the broker understands, and how a learner should read it. */
export interface ArgumentSpec {
  /** The key in the object's `arguments` table (`x-message-ttl`, `alternate-exchange`). */
  key: string;
  /** The key in a policy definition that sets the same thing, when policies can. */
  policyKey?: string;
  /**
   * How the broker combines a policy value with the object's own argument: `min` takes the
   * lower of the two, `argument` lets the object's argument win.
   */
  combine: 'min' | 'argument';
  label: string;
  /** One sentence on what it does. */
  help: string;
  value: ArgumentKind;
}

const integer = (min: number, max?: number): ArgumentKind =>
  max === undefined ? { kind: 'integer', min } : { kind: 'integer', min, max };

export const OVERFLOW_BEHAVIOURS = ['drop-head', 'reject-publish', 'reject-publish-dlx'] as const;
export const QUEUE_TYPES = ['classic', 'quorum'] as const;
export const HEADERS_MATCH_MODES = ['all', 'any', 'all-with-x', 'any-with-x'] as const;
export type HeadersMatchMode = (typeof HEADERS_MATCH_MODES)[number];

/** Queue arguments Warren validates, explains and offers in the inspector. */
export const QUEUE_ARGUMENTS: readonly ArgumentSpec[] = [
  {
    key: 'x-message-ttl',
    policyKey: 'message-ttl',
    combine: 'min',
    label: 'Message TTL (ms)',
    help: 'Messages older than this are expired and dead-lettered (reason expired).',
    value: integer(0, 4294967295),
  },
  {
    key: 'x-expires',
    policyKey: 'expires',
    combine: 'min',
    label: 'Queue expires (ms)',
    help: 'The queue deletes itself after being unused (no consumers, no gets) this long.',
    value: integer(1, 4294967295),
  },
  {
    key: 'x-max-length',
    policyKey: 'max-length',
    combine: 'min',
    label: 'Max length (messages)',
    help: 'At most this many ready messages; what happens beyond is set by the overflow behaviour.',
    value: integer(0),
  },
  {
    key: 'x-max-length-bytes',
    policyKey: 'max-length-bytes',
    combine: 'min',
    label: 'Max length (bytes)',
    help: 'At most this many bytes of ready message bodies.',
    value: integer(0),
  },
  {
    key: 'x-overflow',
    policyKey: 'overflow',
    combine: 'argument',
    label: 'Overflow',
    help: 'When full: drop-head dead-letters the oldest message, reject-publish refuses the new one (a nack with confirms), reject-publish-dlx also dead-letters it.',
    value: { kind: 'enum', values: OVERFLOW_BEHAVIOURS },
  },
  {
    key: 'x-dead-letter-exchange',
    policyKey: 'dead-letter-exchange',
    combine: 'argument',
    label: 'Dead-letter exchange',
    help: 'Expired, rejected and overflowing messages are republished to this exchange.',
    value: { kind: 'exchange' },
  },
  {
    key: 'x-dead-letter-routing-key',
    policyKey: 'dead-letter-routing-key',
    combine: 'argument',
    label: 'Dead-letter routing key',
    help: "Replaces the message's routing key when it is dead-lettered (otherwise it keeps its own).",
    value: { kind: 'string' },
  },
  {
    key: 'x-max-priority',
    combine: 'argument',
    label: 'Max priority',
    help: 'Makes a priority queue: messages with a higher priority property are delivered first.',
    value: integer(1, 255),
  },
  {
    key: 'x-single-active-consumer',
    combine: 'argument',
    label: 'Single active consumer',
    help: 'Only one consumer receives at a time; the others wait as standbys.',
    value: { kind: 'boolean' },
  },
  {
    key: 'x-queue-type',
    combine: 'argument',
    label: 'Queue type',
    help: 'Classic queues live on one node; quorum queues are replicated (always durable, never exclusive).',
    value: { kind: 'enum', values: QUEUE_TYPES },
  },
];

/** Exchange arguments Warren validates and explains. */
export const EXCHANGE_ARGUMENTS: readonly ArgumentSpec[] = [
  {
    key: 'alternate-exchange',
    policyKey: 'alternate-exchange',
    combine: 'argument',
    label: 'Alternate exchange',
    help: 'Messages that match no binding of this exchange go to this exchange instead of being dropped.',
    value: { kind: 'exchange' },
  },
  {
    key: 'hash-header',
    combine: 'argument',
    label: 'Hash on header',
    help: 'Consistent-hash exchanges hash this header instead of the routing key.',
    value: { kind: 'string' },
  },
  {
    key: 'hash-property',
    combine: 'argument',
    label: 'Hash on property',
    help: 'Consistent-hash exchanges hash this message property (message_id, correlation_id, timestamp) instead of the routing key.',
    value: { kind: 'enum', values: ['message_id', 'correlation_id', 'timestamp'] },
  },
];

/** Keys a policy definition may hold, beyond the argument ones above, that Warren carries as-is. */
const OTHER_POLICY_KEYS = new Set([
  'queue-mode',
  'queue-master-locator',
  'ha-mode',
  'ha-params',
  'ha-sync-mode',
  'delivery-limit',
  'max-age',
  'federation-upstream',
  'federation-upstream-set',
  'dead-letter-strategy',
  'queue-leader-locator',
]);

export const POLICY_KEYS: ReadonlyMap<string, ArgumentSpec> = new Map(
  [...QUEUE_ARGUMENTS, ...EXCHANGE_ARGUMENTS]
    .filter((spec) => spec.policyKey !== undefined)
    .map((spec) => [spec.policyKey as string, spec]),
);

/** Whether `key` is a policy key the broker knows (Warren validates only some of them). */
export function isKnownPolicyKey(key: string): boolean {
  return POLICY_KEYS.has(key) || OTHER_POLICY_KEYS.has(key);
}

/**
 * Checks one value against its spec. Returns a sentence fragment saying what is wrong
 * (to follow the argument's name), or undefined when the value is fine.
 */
export function argumentValueProblem(spec: ArgumentSpec, value: unknown): string | undefined {
  const rule = spec.value;
  switch (rule.kind) {
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return `must be a whole number${typeof value === 'string' ? ' (a number, not text)' : ''}`;
      if (value < rule.min) return `must be at least ${rule.min}`;
      if (rule.max !== undefined && value > rule.max) return `must be at most ${rule.max}`;
      return undefined;
    }
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value)
        ? undefined
        : `must be one of ${rule.values.map((v) => `'${v}'`).join(', ')}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'string':
    case 'exchange':
      return typeof value === 'string' ? undefined : 'must be text';
  }
}

/** Where an effective setting comes from. */
export type SettingSource = { from: 'argument' } | { from: 'policy'; policy: string };

export interface EffectiveSetting {
  value: unknown;
  source: SettingSource;
}

function policyApplies(policy: Policy, kind: 'queue' | 'exchange', queueType: string): boolean {
  switch (policy.applyTo) {
    case 'all':
      return true;
    case 'exchanges':
      return kind === 'exchange';
    case 'queues':
      return kind === 'queue';
    case 'classic_queues':
      return kind === 'queue' && queueType === 'classic';
    case 'quorum_queues':
      return kind === 'queue' && queueType === 'quorum';
  }
}

/** A policy pattern as a JavaScript regular expression, or undefined when it does not compile. */
export function policyRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/**
 * The one policy the broker applies to an object: the matching policy with the highest
 * priority (RabbitMQ applies at most one user policy per object).
 */
export function policyFor(
  topology: Topology,
  kind: 'queue' | 'exchange',
  name: string,
  queueType = 'classic',
): Policy | undefined {
  let best: Policy | undefined;
  for (const policy of topology.policies ?? []) {
    if (!policyApplies(policy, kind, queueType)) continue;
    if (policyRegExp(policy.pattern)?.test(name) !== true) continue;
    if (best === undefined || policy.priority > best.priority) best = policy;
  }
  return best;
}

function effective(
  specs: readonly ArgumentSpec[],
  args: Record<string, unknown>,
  policy: Policy | undefined,
): Map<string, EffectiveSetting> {
  const result = new Map<string, EffectiveSetting>();
  for (const spec of specs) {
    const own = args[spec.key];
    const fromPolicy =
      policy !== undefined && spec.policyKey !== undefined
        ? policy.definition[spec.policyKey]
        : undefined;
    if (own !== undefined && fromPolicy !== undefined && spec.combine === 'min') {
      const lower = typeof own === 'number' && typeof fromPolicy === 'number' && fromPolicy < own;
      result.set(
        spec.key,
        lower && policy
          ? { value: fromPolicy, source: { from: 'policy', policy: policy.name } }
          : { value: own, source: { from: 'argument' } },
      );
    } else if (own !== undefined) {
      result.set(spec.key, { value: own, source: { from: 'argument' } });
    } else if (fromPolicy !== undefined && policy) {
      result.set(spec.key, { value: fromPolicy, source: { from: 'policy', policy: policy.name } });
    }
  }
  return result;
}

/** The queue type the broker gives a queue: its `x-queue-type`, or classic. */
export function queueTypeOf(queue: Queue): string {
  const type = queue.arguments?.['x-queue-type'];
  return typeof type === 'string' ? type : 'classic';
}

/**
 * The settings in force on a queue once policies are applied, keyed by argument name
 * (`x-message-ttl`, ...), each with where it comes from.
 */
export function effectiveQueueArguments(
  topology: Topology,
  queue: Queue,
): Map<string, EffectiveSetting> {
  const type = queueTypeOf(queue);
  return effective(
    QUEUE_ARGUMENTS,
    queue.arguments ?? {},
    policyFor(topology, 'queue', queue.name, type),
  );
}

/** The settings in force on an exchange once policies are applied (`alternate-exchange`, ...). */
export function effectiveExchangeArguments(
  topology: Topology,
  exchange: Exchange,
): Map<string, EffectiveSetting> {
  return effective(
    EXCHANGE_ARGUMENTS,
    exchange.arguments ?? {},
    policyFor(topology, 'exchange', exchange.name),
  );
}
