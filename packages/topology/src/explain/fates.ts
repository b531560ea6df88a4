import type { CompiledQueue, QueueSettings } from './compiled';
import type { ExplainContext, ExplainLevel, QueueReach, RouteWork } from './context';
import { attach, deadLetterTarget, fromPolicy } from './dead-letter';
import { messageTtl } from './message';
import type { ExplainMessage, Explanation, LaterFate, QueueFate } from './types';

/**
 * What may happen to the message later, in each queue it reaches: expiry by TTL, overflow past
 * a length limit, rejection by a consumer, each with where dead-lettering would take it.
 */

const quote = (s: string) => `'${s}'`;

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
        ? `the message TTL of ${name}${fromPolicy(settings.ttl?.source)}`
        : `the message TTL of ${name}${fromPolicy(settings.ttl?.source)}, lower than its own expiration of ${own} ms`;
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
      `${settings.maxLength.value} message${settings.maxLength.value === 1 ? '' : 's'} (x-max-length${fromPolicy(settings.maxLength.source)})`,
    );
  if (settings.maxBytes)
    parts.push(
      `${settings.maxBytes.value} bytes of message bodies (x-max-length-bytes${fromPolicy(settings.maxBytes.source)})`,
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
  const modeText = `overflow ${mode.mode}${fromPolicy(mode.source)}${mode.note ? `; ${mode.note}` : ''}`;
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
