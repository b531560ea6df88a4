import type { Topology } from '../model';
import { compileTopology, type CompiledTopology } from './compile';
import {
  followRoute,
  isDeadLetterCycle,
  queueFates,
  type DeadLetterContext,
  type PendingRoute,
} from './fates';
import { walk, type RoutingMessage } from './route';
import { summarize } from './summary';
import type { ExplainMessage, ExplainOptions, Explanation } from './types';

const DEFAULT_DEAD_LETTER_DEPTH = 3;
const DEFAULT_DEAD_LETTER_ROUTES = 6;

/** How the explainer got to this message: published by a client, or dead-lettered by a queue. */
export interface ExplainLevel {
  /** 0 for a publish; n for a copy dead-lettered n times. */
  depth: number;
  /** Dead-letter hops so far, most recent first, as the broker keeps them in `x-death`. */
  deaths: DeadLetterContext['deaths'];
  /** The routing keys of a dead-lettered copy (its own, CC and BCC included). */
  routingKeys?: string[];
}

export interface ExplainContext {
  compiled: CompiledTopology;
  maxDepth: number;
  maxRoutes: number;
}

/** Dead-letter routes waiting to be worked out, nearest first, within one explanation. */
export interface RouteWork {
  pending: PendingRoute[];
  budget: number;
}

/**
 * The full route of `message` through `topology`: every exchange hop, every binding with
 * whether and why it matched, the queues reached, and what may happen to it there later.
 */
export function explainRoute(
  topology: Topology,
  message: ExplainMessage,
  options: ExplainOptions = {},
): Explanation {
  return createExplainer(topology, options)(message);
}

/**
 * Prepares the topology once (exchanges by name, patterns split, header bindings read, hash
 * rings laid out, effective arguments and policies resolved) and returns a function explaining
 * one message at a time. Each exchange also remembers its verdicts per routing key (or header
 * values): explanations share those verdicts, frozen, so treat explanations as read-only.
 */
export function createExplainer(
  topology: Topology,
  options: ExplainOptions = {},
): (message: ExplainMessage) => Explanation {
  const context: ExplainContext = {
    compiled: compileTopology(topology),
    maxDepth: options.maxDeadLetterDepth ?? DEFAULT_DEAD_LETTER_DEPTH,
    maxRoutes: options.maxDeadLetterRoutes ?? DEFAULT_DEAD_LETTER_ROUTES,
  };
  return (message) => {
    const work: RouteWork = { pending: [], budget: context.maxRoutes };
    const explanation = explainAt(context, message, { depth: 0, deaths: [] }, work);
    // Breadth first: every queue's first dead-letter hop before any second hop.
    for (let i = 0; i < work.pending.length; i++) followRoute(work.pending[i] as PendingRoute);
    return explanation;
  };
}

/**
 * Explains a publish (depth 0) or a dead-lettered copy (depth > 0). Queues a dead-lettered copy
 * would cycle back to are left out, and listed in `cycle`.
 */
export function explainAt(
  context: ExplainContext,
  message: ExplainMessage,
  level: ExplainLevel,
  work: RouteWork,
  cycle: string[] = [],
): Explanation {
  const { compiled } = context;
  const published = level.depth === 0;
  const exchange = compiled.exchanges.get(message.exchange);
  if (!exchange) {
    return refused(message, {
      code: 'EXCHANGE_NOT_FOUND',
      message: `There is no exchange '${message.exchange}': the broker closes the channel with 404 NOT_FOUND and the message is lost.`,
      path: '/exchange',
    });
  }
  if (published && exchange.internal) {
    return refused(message, {
      code: 'EXCHANGE_INTERNAL',
      message: `'${exchange.name}' is an internal exchange: only other exchanges may send to it, so the broker refuses the publish with 403 ACCESS_REFUSED and closes the channel.`,
      path: '/exchange',
    });
  }
  const problem = published ? messageProblem(message) : undefined;
  if (problem) return refused(message, { code: 'INVALID_MESSAGE', ...problem });

  const routing: RoutingMessage = {
    routingKeys: level.routingKeys ?? routingKeysOf(message),
    headers: message.headers,
  };
  const route = walk(compiled, exchange, routing);
  const latest = level.deaths[0];
  if (latest && latest.reason !== 'rejected') {
    const dropped = new Set<string>();
    for (const r of route.reached)
      if (isDeadLetterCycle(r.queue, level.deaths)) dropped.add(r.queue);
    if (dropped.size > 0) {
      cycle.push(...[...dropped].sort());
      const keep = (q: string) => !dropped.has(q);
      route.reached = route.reached.filter((r) => keep(r.queue));
      route.queues = route.queues.filter(keep);
      if (route.outcomes) {
        const distinct = new Map<string, string[]>();
        for (const o of route.outcomes) {
          const list = o.filter(keep);
          distinct.set(list.join('\u0000'), list);
        }
        route.outcomes = [...distinct.values()];
      }
      const last = route.hops[route.hops.length - 1];
      last?.notes.push(
        `The broker drops this copy for ${[...dropped].map((q) => `'${q}'`).join(', ')}: it was dead-lettered there before with no rejection since, a cycle.`,
      );
    }
  }
  const possible = route.outcomes
    ? route.outcomes.some((o) => o.length > 0)
    : route.queues.length > 0 || route.tooManyOutcomes === true;
  const explanation = explanationOf(
    message,
    route.hops,
    route.queues,
    route.hashChoices,
    !possible,
    !possible && message.mandatory === true,
  );
  if (route.outcomes) explanation.outcomes = route.outcomes;
  // Queues certain to get the message first: their dead-letter routes are followed first.
  const reached = route.outcomes
    ? [
        ...route.reached.filter((r) => r.viaHashChoice === undefined),
        ...route.reached.filter((r) => r.viaHashChoice !== undefined),
      ]
    : route.reached;
  explanation.fates = queueFates(context, explanation, reached, level, work);
  return explanation;
}

function refused(message: ExplainMessage, error: NonNullable<Explanation['error']>): Explanation {
  const explanation = explanationOf(message, [], [], [], true, false);
  explanation.error = error;
  return explanation;
}

/**
 * A new explanation whose `summary` is written when first read. JSON.stringify, spreading and
 * structuredClone read it like any other field; explanations nobody shows (most dead-letter
 * routes) never pay for their paragraph.
 */
function explanationOf(
  message: ExplainMessage,
  hops: Explanation['hops'],
  queues: string[],
  hashChoices: Explanation['hashChoices'],
  unroutable: boolean,
  returned: boolean,
): Explanation {
  // Built without `summary`, then given the one shared accessor: V8 keeps such objects fast.
  const explanation = {
    message,
    hops,
    queues,
    hashChoices,
    unroutable,
    returned,
    fates: [],
  } as unknown as Explanation;
  Object.defineProperty(explanation, 'summary', LAZY_SUMMARY);
  return explanation;
}

const SUMMARY = Symbol('summary');
type WithSummary = Explanation & { [SUMMARY]?: string };

const LAZY_SUMMARY: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: WithSummary): string {
    return (this[SUMMARY] ??= summarize(this));
  },
  set(this: WithSummary, value: string) {
    this[SUMMARY] = value;
  },
};

/** The routing key, then the CC and BCC header keys (rabbit_basic:header_routes). */
export function routingKeysOf(message: ExplainMessage): string[] {
  const keys = [message.routingKey];
  for (const header of ['CC', 'BCC']) {
    const value = message.headers?.[header];
    if (Array.isArray(value)) for (const k of value) if (typeof k === 'string') keys.push(k);
  }
  return keys;
}

/** What makes the broker refuse a message before routing it (406 PRECONDITION_FAILED). */
function messageProblem(message: ExplainMessage): { message: string; path: string } | undefined {
  const expiration = message.properties?.expiration;
  if (expiration !== undefined) {
    const valid = /^[+-]?\d+$/.test(expiration);
    const value = valid ? Number.parseInt(expiration, 10) : NaN;
    if (!valid || value < 0 || value > 315_360_000_000) {
      return {
        message: `The expiration '${expiration}' is not a whole number of milliseconds between 0 and 315360000000 (ten years): the broker closes the channel with 406 PRECONDITION_FAILED.`,
        path: '/properties/expiration',
      };
    }
  }
  for (const header of ['CC', 'BCC']) {
    const value = message.headers?.[header];
    if (value !== undefined && !Array.isArray(value)) {
      return {
        message: `The header '${header}' must be a list of routing keys: the broker refuses the message with 406 PRECONDITION_FAILED.`,
        path: `/headers/${header}`,
      };
    }
  }
  return undefined;
}

/** The per-message TTL in ms from the `expiration` property, when it has one. */
export function messageTtl(message: ExplainMessage): number | undefined {
  const expiration = message.properties?.expiration;
  if (expiration === undefined || !/^[+-]?\d+$/.test(expiration)) return undefined;
  return Number.parseInt(expiration, 10);
}
