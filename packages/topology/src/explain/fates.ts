import type { SettingSource } from '../arguments';
import type { CompiledQueue, QueueSettings } from './compile';
import {
  explainAt,
  messageTtl,
  routingKeysOf,
  type ExplainContext,
  type ExplainLevel,
  type RouteWork,
} from './explain';
import type { QueueReach } from './route';
import type { ExplainMessage, Explanation, LaterFate, QueueFate } from './types';

type Reason = LaterFate['reason'];

/** One dead-lettering, as the broker records it in the `x-death` header. */
export interface Death {
  queue: string;
  reason: Reason;
  count: number;
  exchange: string;
  routingKeys: string[];
  originalExpiration?: string;
}

export interface DeadLetterContext {
  deaths: Death[];
}

const quote = (s: string) => `'${s}'`;

function from(source: SettingSource | undefined): string {
  return source?.from === 'policy' ? ` from policy ${quote(source.policy)}` : '';
}

/** What may happen to the message in each queue it reaches. */
export function queueFates(
  context: ExplainContext,
  explanation: Explanation,
  reached: QueueReach[],
  level: ExplainLevel,
  work: RouteWork,
): QueueFate[] {
  const fates: QueueFate[] = [];
  const own = level.depth === 0 ? messageTtl(explanation.message) : undefined;
  for (const reach of reached) {
    const queue = context.compiled.queues.get(reach.queue);
    const fate: QueueFate = { queue: reach.queue, path: reach.path, later: [] };
    if (reach.queueId !== undefined) fate.queueId = reach.queueId;
    if (reach.viaHashChoice !== undefined) fate.viaHashChoice = reach.viaHashChoice;
    // A copy that comes back to a queue it was dead-lettered from: the same fates apply again.
    let again = false;
    for (const d of level.deaths) if (d.queue === reach.queue) again = true;
    if (queue && !again)
      fate.later = laterFates(context, explanation.message, own, queue, level, work);
    fates.push(fate);
  }
  return fates;
}

function laterFates(
  context: ExplainContext,
  message: ExplainMessage,
  own: number | undefined,
  queue: CompiledQueue,
  level: ExplainLevel,
  work: RouteWork,
): LaterFate[] {
  const { settings } = queue;
  const name = quote(queue.queue.name);
  const later: LaterFate[] = [];

  const queueTtl = settings.ttl?.ms;
  if (own !== undefined || queueTtl !== undefined) {
    const byMessage = own !== undefined && (queueTtl === undefined || own < queueTtl);
    const afterMs = byMessage ? own : (queueTtl as number);
    const which = byMessage
      ? queueTtl === undefined
        ? `its own expiration`
        : `its own expiration, lower than the queue's message TTL of ${queueTtl} ms`
      : own === undefined
        ? `the message TTL of ${name}${from(settings.ttl?.source)}`
        : `the message TTL of ${name}${from(settings.ttl?.source)}, lower than its own expiration of ${own} ms`;
    const target = deadLetterTarget(context, message, queue, 'expired', level, work);
    const when =
      afterMs === 0
        ? `Its TTL is 0 ms (${which}): unless a consumer is ready to take it at once, it expires immediately`
        : `If no consumer takes it within ${afterMs} ms (${which}), it expires`;
    later.push(
      attach(
        { kind: 'expires', reason: 'expired', afterMs, text: '' },
        target,
        `${when} and `,
        '.',
      ),
    );
  }

  if (settings.maxLength !== undefined || settings.maxBytes !== undefined) {
    later.push(overflowFate(context, message, queue, level, work));
  }

  const rejected = deadLetterTarget(context, message, queue, 'rejected', level, work);
  later.push(
    attach(
      { kind: 'rejected', reason: 'rejected', text: '' },
      rejected,
      'If a consumer rejects it without requeueing (basic.reject, or basic.nack with requeue=false), it ',
      '.',
    ),
  );
  return later;
}

function limitText(settings: QueueSettings): string {
  const parts: string[] = [];
  if (settings.maxLength)
    parts.push(
      `${settings.maxLength.value} message${settings.maxLength.value === 1 ? '' : 's'} (x-max-length${from(settings.maxLength.source)})`,
    );
  if (settings.maxBytes)
    parts.push(
      `${settings.maxBytes.value} bytes of message bodies (x-max-length-bytes${from(settings.maxBytes.source)})`,
    );
  return parts.join(' or ');
}

function overflowFate(
  context: ExplainContext,
  message: ExplainMessage,
  queue: CompiledQueue,
  level: ExplainLevel,
  work: RouteWork,
): LaterFate {
  const { settings } = queue;
  const name = quote(queue.queue.name);
  const limit = limitText(settings);
  const mode = settings.overflow;
  const modeText = `overflow ${mode.mode}${from(mode.source)}${mode.note ? `; ${mode.note}` : ''}`;
  const tooBig =
    settings.maxBytes !== undefined &&
    message.payloadBytes !== undefined &&
    message.payloadBytes > settings.maxBytes.value;
  const empty = settings.maxLength?.value === 0 || tooBig;
  const quorumLag =
    settings.type === 'quorum' && mode.mode === 'reject-publish'
      ? ' A quorum queue starts refusing once it is over the limit, so one message more may get in first.'
      : '';
  if (mode.mode === 'drop-head') {
    const target = deadLetterTarget(context, message, queue, 'maxlen', level, work);
    return attach(
      { kind: 'overflow', reason: 'maxlen', text: '' },
      target,
      empty
        ? `${name} holds at most ${limit} and this message does not fit (${modeText}): unless a consumer takes it at once, it is dropped from the head right away and `
        : `${name} holds at most ${limit} (${modeText}): when newer messages push the queue past that while this one is the oldest, it is dropped from the head and `,
      '.',
    );
  }
  const when = empty
    ? `${name} holds at most ${limit} and this message never fits (${modeText}): the broker refuses it`
    : `If ${name} already holds ${limit} when it arrives (${modeText}), the broker refuses it`;
  if (mode.mode === 'reject-publish') {
    return {
      kind: 'overflow',
      reason: 'maxlen',
      text: `${when}: a publisher using confirms gets a basic.nack, and the message is neither stored nor dead-lettered.${quorumLag}`,
    };
  }
  const target = deadLetterTarget(context, message, queue, 'maxlen', level, work);
  return attach(
    { kind: 'overflow', reason: 'maxlen', text: '' },
    target,
    `${when}: a publisher using confirms gets a basic.nack, and the message `,
    '.',
  );
}

export interface Target {
  /** Follows "it": "is dead-lettered to 'dlx' ...", "is dropped ...". */
  text: string;
  deadLetter?: NonNullable<LaterFate['deadLetter']>;
  /** The dead-letter route still to work out, when there is one to follow. */
  follow?: FollowUp;
}

interface FollowUp {
  context: ExplainContext;
  message: ExplainMessage;
  queue: CompiledQueue;
  reason: Reason;
  level: ExplainLevel;
  work: RouteWork;
  keys: string[];
  override: boolean;
}

/**
 * Sets a fate's text and dead-letter target. A route to follow is worked out later, breadth
 * first and within the explanation's budget; the text then says where it leads.
 */
function attach(fate: LaterFate, target: Target, before: string, after: string): LaterFate {
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

/** A dead-letter route waiting its turn, and the fate whose text it completes. */
export interface PendingRoute {
  fate: LaterFate;
  target: Target;
  before: string;
  after: string;
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
function deadLetterTarget(
  context: ExplainContext,
  message: ExplainMessage,
  queue: CompiledQueue,
  reason: Reason,
  level: ExplainLevel,
  work: RouteWork,
): Target {
  const { settings } = queue;
  const dlx = settings.deadLetterExchange;
  if (!dlx) return { text: `is dropped: ${quote(queue.queue.name)} has no dead-letter exchange` };
  const dlxName = dlx.name === '' ? 'the default exchange' : quote(dlx.name);
  if (!context.compiled.exchanges.has(dlx.name))
    return {
      text: `is dropped: its dead-letter exchange ${dlxName}${from(dlx.source)} does not exist`,
    };
  const override = settings.deadLetterRoutingKey;
  const routingKey = override?.key ?? message.routingKey;
  const keyText = override
    ? `with routing key ${quote(routingKey)} (x-dead-letter-routing-key${from(override.source)})`
    : `with its own routing key ${quote(routingKey)}`;
  const deadLetter: NonNullable<LaterFate['deadLetter']> = { exchange: dlx.name, routingKey };
  const text = `is dead-lettered (reason ${reason}) to ${dlxName}${from(dlx.source)} ${keyText}`;
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
  return explainAt(
    context,
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
