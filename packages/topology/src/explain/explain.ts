import type { Topology } from '../model';
import { compileTopology } from './compile';
import type { ExplainContext, ExplainLevel, PendingRoute, RouteWork } from './context';
import { followRoute, isDeadLetterCycle } from './dead-letter';
import type { RoutingMessage } from './exchange-types';
import { queueFates } from './fates';
import { messageProblem, routingKeysOf } from './message';
import { summarize } from './summary';
import type { ExplainMessage, ExplainOptions, Explanation } from './types';
import { walk } from './walk';

const DEFAULT_DEAD_LETTER_DEPTH = 3;
const DEFAULT_DEAD_LETTER_ROUTES = 6;

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
    explainCopy: (copy, level, work, cycle) => explainAt(context, copy, level, work, cycle),
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
function explainAt(
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
  if (route.unknownQueues)
    explanation.routedQueues = [...new Set([...route.queues, ...route.unknownQueues])].sort();
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
