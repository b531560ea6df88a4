import { deathRecords, type DeathRecord } from './consumer-decisions';

/**
 * Reading the broker's `x-death` header to tell when, from where and why a message was
 * dead-lettered. RabbitMQ keeps one entry per (queue, reason) with a `count`, and moves the
 * entry of the latest dead-lettering to the front of the list.
 */

export const DEAD_LETTER_REASONS = ['rejected', 'expired', 'maxlen', 'delivery_limit'] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export function isDeadLetterReason(value: string): value is DeadLetterReason {
  return (DEAD_LETTER_REASONS as readonly string[]).includes(value);
}

/** One dead-lettering: the queue the message left, why, and how often it left it for that. */
export interface Death extends DeathRecord {
  reason: DeadLetterReason;
}

function known(record: DeathRecord): record is Death {
  return isDeadLetterReason(record.reason);
}

/** The latest dead-lettering of a message (the first `x-death` entry), if it has one. */
export function latestDeath(headers: Record<string, unknown> | undefined): Death | undefined {
  const first = deathRecords(headers)[0];
  return first !== undefined && known(first) ? first : undefined;
}

/** Every dead-lettering the header records, newest first. */
export function deaths(headers: Record<string, unknown> | undefined): Death[] {
  return deathRecords(headers).filter(known);
}

/**
 * Dead-letterings recorded in `current` that `previous` (the same message's header as seen
 * before) did not have: new (queue, reason) entries and entries whose count went up, each with
 * `times`, by how much. A message that travels work → retry → work between two sightings shows
 * both hops.
 */
export function deathsSince(
  previous: readonly Death[],
  current: readonly Death[],
): (Death & { times: number })[] {
  const before = new Map(previous.map((d) => [`${d.queue}\u0000${d.reason}`, d.count]));
  const added: (Death & { times: number })[] = [];
  for (const death of current) {
    const times = death.count - (before.get(`${death.queue}\u0000${death.reason}`) ?? 0);
    if (times > 0) added.push({ ...death, times });
  }
  return added;
}

/**
 * Identity of one dead-lettering of one message: the same message dead-lettered again from the
 * same queue for the same reason has a higher count, so a different signature.
 */
export function deathSignature(messageId: string | null, death: DeathRecord | undefined): string {
  return JSON.stringify([
    messageId,
    death?.queue ?? null,
    death?.reason ?? null,
    death?.count ?? null,
  ]);
}
