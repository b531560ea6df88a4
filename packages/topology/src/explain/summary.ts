import { formatValue } from './field-values';
import type { BindingVerdict, ExchangeHop, Explanation, LaterFate } from './types';

const quote = (s: string) => `'${s}'`;
/** Hops told one by one in the summary; the rest are counted. */
const TOLD_HOPS = 5;
const TOLD_FATES = 3;

function exchangeName(name: string): string {
  return name === '' ? 'the default exchange' : quote(name);
}

function list(items: string[], word = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

function typeWord(hop: ExchangeHop): string {
  switch (hop.type) {
    case 'default':
      return 'the default exchange';
    case 'x-consistent-hash':
      return `consistent-hash exchange ${quote(hop.exchange)}`;
    default:
      return `${hop.type} exchange ${quote(hop.exchange)}`;
  }
}

function why(hop: ExchangeHop, verdict: BindingVerdict): string {
  switch (hop.type) {
    case 'topic':
      return `pattern ${quote(verdict.routingKey)}`;
    case 'direct':
      return `key ${quote(verdict.routingKey)}`;
    case 'headers':
      return `its headers match`;
    default:
      return '';
  }
}

function target(verdict: BindingVerdict): string {
  return `${verdict.destinationType} ${quote(verdict.destination)}`;
}

/**
 * What one exchange did, without the lead-in. Exchanges decide the same way for the same
 * routing keys and share their verdicts, so the sentence is kept with those.
 */
const sentences = new WeakMap<readonly BindingVerdict[], string>();

function hopSentence(hop: ExchangeHop): string {
  const lead =
    hop.viaHashChoice === undefined
      ? `At ${typeWord(hop)}`
      : `If ${quote(hop.viaHashChoice)} picks that way, at ${typeWord(hop)}`;
  // Notes a walk adds (an exchange already visited) do not change the sentence; the alternate does.
  const shared = hop.alternate === undefined && Object.isFrozen(hop.bindings);
  let rest = shared ? sentences.get(hop.bindings) : undefined;
  if (rest === undefined) {
    rest = hopOutcome(hop);
    if (shared) sentences.set(hop.bindings, rest);
  }
  return lead + rest;
}

function hopOutcome(hop: ExchangeHop): string {
  const matched: BindingVerdict[] = [];
  const candidates: BindingVerdict[] = [];
  for (const b of hop.bindings) {
    if (b.matched) matched.push(b);
    else if (b.candidate === true) candidates.push(b);
  }
  const others = hop.bindings.length - matched.length - candidates.length;
  if (hop.type === 'default') {
    if (matched.length === 0) return ' no queue is named by the routing key, so it goes nowhere.';
    return ` it goes to the queue named by the routing key, ${list(matched.map((m) => quote(m.destination)))}.`;
  }
  if (candidates.length > 0) {
    return ` the broker hashes the message and sends it to exactly one of ${list(candidates.map(target), 'or')}.`;
  }
  if (matched.length > 0) {
    const parts = matched.map((m) => {
      const reason = why(hop, m);
      return reason === '' ? target(m) : `${target(m)} (${reason})`;
    });
    const rest =
      others > 0 ? `; ${others} other binding${others === 1 ? ' does' : 's do'} not match` : '';
    return ` it goes to ${list(parts)}${rest}.`;
  }
  if (hop.alternate !== undefined) {
    const none = hop.bindings.length === 0 ? 'there are no bindings' : 'no binding matches';
    return ` ${none}, so it goes to the alternate exchange ${quote(hop.alternate)}.`;
  }
  return hop.bindings.length === 0
    ? ' there are no bindings, so it goes nowhere from there.'
    : ' no binding matches, so it goes nowhere from there.';
}

/** One paragraph telling the whole route in words. */
export function summarize(explanation: Explanation): string {
  const { message } = explanation;
  if (explanation.error) return `${explanation.error.message} Nothing is routed.`;
  const key =
    message.routingKey === '' ? 'an empty routing key' : `routing key ${quote(message.routingKey)}`;
  let headers = '';
  if (message.headers && explanation.hops.some((h) => h.type === 'headers')) {
    const shown = Object.keys(message.headers).filter((k) => !k.startsWith('x-death'));
    if (shown.length > 0)
      headers = ` and headers ${list(shown.map((h) => `${h}=${formatValue(message.headers?.[h])}`))}`;
  }
  let text = `The message goes to ${exchangeName(message.exchange)} with ${key}${headers}.`;
  const hops = explanation.hops;
  for (let i = 0; i < hops.length && i < TOLD_HOPS; i++)
    text += ` ${hopSentence(hops[i] as ExchangeHop)}`;
  if (hops.length > TOLD_HOPS)
    text += ` It passes ${hops.length - TOLD_HOPS} more exchanges after that.`;
  const sentences: string[] = [text];

  const choices = explanation.hashChoices;
  if (explanation.unroutable) {
    sentences.push(
      explanation.returned
        ? 'It reaches no queue; because it was published as mandatory, the broker returns it to the publisher (312 NO_ROUTE).'
        : 'It reaches no queue, so the broker drops it (publish it as mandatory to have it returned).',
    );
  } else if (choices.length > 0) {
    const sure =
      explanation.queues.length > 0 ? `${list(explanation.queues.map(quote))}, plus ` : '';
    const picks = choices.map((c) => {
      const options = c.options ?? [];
      return options.length > 0 && options.every((o) => o.destinationType === 'queue')
        ? `one of ${list(
            options.map((o) => quote(o.destination)),
            'or',
          )} (picked by ${quote(c.exchange)})`
        : `whatever ${quote(c.exchange)} picks`;
    });
    sentences.push(`It ends up in ${sure}${list(picks)}.`);
  } else {
    const n = explanation.queues.length;
    sentences.push(
      `It ends up in ${n === 1 ? 'queue' : `${n} queues:`} ${list(explanation.queues.map(quote))}.`,
    );
  }

  let told = 0;
  for (const fate of explanation.fates) {
    if (told >= TOLD_FATES) break;
    let expiry: LaterFate | undefined;
    let overflow: LaterFate | undefined;
    for (const l of fate.later) {
      if (l.kind === 'expires') expiry = l;
      else if (l.kind === 'overflow') overflow = l;
    }
    if (!expiry && !overflow) continue;
    const parts: string[] = [];
    if (expiry?.afterMs !== undefined)
      parts.push(
        `expires after ${expiry.afterMs} ms unless consumed${expiry.deadLetter ? ` and is dead-lettered to ${exchangeName(expiry.deadLetter.exchange)}` : ''}`,
      );
    if (overflow) parts.push('may be pushed out or refused when the queue is full');
    if (parts.length === 0) continue;
    told++;
    sentences.push(`In ${quote(fate.queue)} it ${list(parts)}.`);
  }
  return sentences.join(' ');
}
