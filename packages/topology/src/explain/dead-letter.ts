import type { SettingSource } from '../arguments';
import type { CompiledQueue } from './compiled';
import type {
  Death,
  DeathReason,
  ExplainContext,
  ExplainLevel,
  FollowUp,
  PendingRoute,
  RouteWork,
  Target,
} from './context';
import { routingKeysOf } from './message';
import type { ExplainMessage, Explanation, LaterFate } from './types';

/**
 * Dead-lettering as rabbit_dead_letter does it: where a queue sends a message it expires,
 * drops or has rejected, the copy's x-death, and the cycles the broker cuts.
 */

const quote = (s: string) => `'${s}'`;

/** " from policy 'p'" when a policy set the value, nothing when the object's own argument did. */
export function fromPolicy(source: SettingSource | undefined): string {
  return source?.from === 'policy' ? ` from policy ${quote(source.policy)}` : '';
}

/**
 * Sets a fate's text and dead-letter target. A route to follow is worked out later, breadth
 * first and within the explanation's budget; the text then says where it leads.
 */
export function attach(fate: LaterFate, target: Target, before: string, after: string): LaterFate {
  const { deadLetter, follow } = target;
  if (deadLetter) fate.deadLetter = deadLetter;
  if (!follow || !deadLetter) {
    fate.text = before + target.text + after;
    return fate;
  }
  fate.text = `${before}${target.text} (not followed further)${after}`;
  follow.work.pending.push({ fate, target, before, after });
  return fate;
}

/** Works out one pending dead-letter route, if the explanation's budget allows. */
export function followRoute(pending: PendingRoute): void {
  const { fate, target, before, after } = pending;
  const { follow, deadLetter } = target;
  if (!follow || !deadLetter || follow.work.budget <= 0) return;
  follow.work.budget--;
  const cycle: string[] = [];
  const route = deadLetterRoute(follow, deadLetter, cycle);
  deadLetter.route = route;
  if (cycle.length > 0) deadLetter.cycle = cycle;
  fate.text = `${before}${target.text}, ${landing(route, cycle)}${after}`;
}

/**
 * Where dead-lettering takes a message (rabbit_dead_letter:publish): to the queue's
 * dead-letter exchange, with its dead-letter routing key or the message's own keys, as a copy
 * with an `x-death` entry and no expiration. A dead-letter exchange that does not exist drops it.
 */
export function deadLetterTarget(
  context: ExplainContext,
  message: ExplainMessage,
  queue: CompiledQueue,
  reason: DeathReason,
  level: ExplainLevel,
  work: RouteWork,
): Target {
  const { settings } = queue;
  const dlx = settings.deadLetterExchange;
  if (!dlx) return { text: `is dropped: ${quote(queue.queue.name)} has no dead-letter exchange` };
  const dlxName = dlx.name === '' ? 'the default exchange' : quote(dlx.name);
  if (!context.compiled.exchanges.has(dlx.name))
    return {
      text: `is dropped: its dead-letter exchange ${dlxName}${fromPolicy(dlx.source)} does not exist`,
    };
  const override = settings.deadLetterRoutingKey;
  const routingKey = override?.key ?? message.routingKey;
  const keyText = override
    ? `with routing key ${quote(routingKey)} (x-dead-letter-routing-key${fromPolicy(override.source)})`
    : `with its own routing key ${quote(routingKey)}`;
  const deadLetter: NonNullable<LaterFate['deadLetter']> = { exchange: dlx.name, routingKey };
  const text = `is dead-lettered (reason ${reason}) to ${dlxName}${fromPolicy(dlx.source)} ${keyText}`;
  if (level.depth >= context.maxDepth)
    return { text: `${text} (not followed further)`, deadLetter };
  const keys = level.routingKeys ?? routingKeysOf(message);
  return {
    text,
    deadLetter,
    follow: {
      context,
      message,
      queue,
      reason,
      level,
      work,
      keys,
      override: override !== undefined,
    },
  };
}

/** The dead-lettered copy, explained from the dead-letter exchange on. */
function deadLetterRoute(
  follow: FollowUp,
  deadLetter: NonNullable<LaterFate['deadLetter']>,
  cycle: string[],
): Explanation {
  const { context, message, queue, reason, level, work, keys, override } = follow;
  const deaths = recordDeath(level.deaths, {
    queue: queue.queue.name,
    reason,
    count: 1,
    exchange: message.exchange,
    routingKeys: keys,
    ...(level.depth === 0 && message.properties?.expiration !== undefined
      ? { originalExpiration: message.properties.expiration }
      : {}),
  });
  const copy: ExplainMessage = {
    exchange: deadLetter.exchange,
    routingKey: deadLetter.routingKey,
    headers: deathHeaders(message, deaths, override, level.deaths.length === 0),
  };
  if (message.payloadBytes !== undefined) copy.payloadBytes = message.payloadBytes;
  if (message.properties) {
    // The copy keeps its properties but loses its expiration.
    const { expiration: _expiration, ...kept } = message.properties;
    if (Object.keys(kept).length > 0) copy.properties = kept;
  }
  return context.explainCopy(
    copy,
    { depth: level.depth + 1, deaths, routingKeys: override ? [deadLetter.routingKey] : keys },
    work,
    cycle,
  );
}

function landing(route: Explanation, cycle: string[]): string {
  const dropped =
    cycle.length > 0
      ? `; the broker drops the copy for ${cycle.map(quote).join(', ')} because it would go round a dead-letter cycle with no rejection in it`
      : '';
  if (route.outcomes && route.hashChoices.length > 0) {
    const sure = route.queues.length > 0 ? `${route.queues.map(quote).join(', ')} and ` : '';
    return `which takes it to ${sure}one queue a consistent-hash exchange picks${dropped}`;
  }
  if (route.queues.length === 0) return `where it reaches no queue and is lost${dropped}`;
  return `which takes it to ${route.queues.map(quote).join(', ')}${dropped}`;
}

/** rabbit_dead_letter:update_x_death_header: a repeated (queue, reason) counts up and moves first. */
function recordDeath(deaths: Death[], death: Death): Death[] {
  const index = deaths.findIndex((d) => d.queue === death.queue && d.reason === death.reason);
  if (index < 0) return [death, ...deaths];
  const previous = deaths[index] as Death;
  const rest = deaths.filter((_, i) => i !== index);
  return [{ ...previous, count: previous.count + 1 }, ...rest];
}

/**
 * rabbit_dead_letter:detect_cycles: a copy dead-lettered for expiry or length is dropped for a
 * queue it already died in, when no rejection happened since.
 */
export function isDeadLetterCycle(queue: string, deaths: Death[]): boolean {
  const index = deaths.findIndex((d) => d.queue === queue);
  if (index < 0) return false;
  for (let i = 0; i <= index; i++) if (deaths[i]?.reason === 'rejected') return false;
  return true;
}

function deathHeaders(
  message: ExplainMessage,
  deaths: Death[],
  dropCc: boolean,
  first: boolean,
): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  if (message.headers)
    for (const key in message.headers)
      if (key !== 'BCC' && !(dropCc && key === 'CC')) headers[key] = message.headers[key];
  const latest = deaths[0];
  if (first && latest && !Object.hasOwn(headers, 'x-death')) {
    headers['x-first-death-reason'] = latest.reason;
    headers['x-first-death-queue'] = latest.queue;
    headers['x-first-death-exchange'] = latest.exchange;
  }
  headers['x-death'] = deaths.map((d) => ({
    count: d.count,
    reason: d.reason,
    queue: d.queue,
    exchange: d.exchange,
    'routing-keys': d.routingKeys,
    ...(d.originalExpiration === undefined ? {} : { 'original-expiration': d.originalExpiration }),
  }));
  return headers;
}
