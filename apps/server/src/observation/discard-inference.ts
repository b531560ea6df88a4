/**
 * Messages that expire, or that overflow drops, from a queue WITHOUT a dead-letter exchange
 * leave no per-message trace anywhere: the firehose has no "expired" or "dropped" record, the
 * management API has no such counter, and no x-death is written. So they are inferred, and every
 * event this produces says `inferred: true`.
 *
 * How the inference works, per queue (by its broker name):
 *
 *   unexplained = routed − delivered + redelivered − removed − ready
 *
 * - `routed`: publishes the firehose reported routed to the queue (exact, every client).
 * - `delivered`: deliveries (basic.deliver and basic.get) the firehose reported from the queue;
 *   a delivery takes a message out of "ready", whatever the consumer does with it afterwards
 *   (ack, reject without requeue, connection loss), so acks need not be known.
 * - `redelivered`: deliveries flagged redelivered: each one was preceded by a requeue, which put
 *   a delivered message back into "ready".
 * - `removed`: messages Warren knows left "ready" otherwise: its own purges (the broker says how
 *   many), and dead-letterings for expiry or overflow that the dead-letter taps saw.
 * - `ready`: the queue's ready messages, read with a passive queue.declare (real time, unlike the
 *   management API whose counters lag by up to 5 s and come from different processes).
 *
 * Whatever `unexplained` grows by is messages that left "ready" unseen: expired or dropped. A
 * growth is reported only once it has lasted a whole settle window (min over the readings of the
 * last SETTLE_MS), because the firehose reaches Warren a few milliseconds after the queue itself
 * changed, in either direction. The baseline (taken when the queue is first read, after an
 * apply, a purge or a delete) is the max over its first settle window, so a transient at that
 * moment can only hide a loss, never invent one.
 *
 * Whether the loss is "dropped" or "expired": a queue at its x-max-length is dropping (drop-head
 * removes the oldest; reject-publish refuses the new one: both are "dropped by overflow"); else a
 * queue with a TTL (x-message-ttl, a policy's message-ttl, or messages published with an
 * expiration) is expiring; else a queue with only a length limit in bytes is dropping. Queues
 * with neither a TTL nor a length limit are not watched: they cannot lose ready messages, so a
 * drop there would be a purge by someone else, which must not be reported as an expiry.
 *
 * Known limits, all of which under-count rather than invent: messages dead-lettered INTO a queue
 * are not traced, so they lower `unexplained` for as long as they stay (and hide losses of the
 * same amount); a message requeued and then expired before its redelivery is not counted; a purge
 * by an outside client would be reported as expired or dropped.
 */

/** How long a loss must persist before it is reported. */
export const SETTLE_MS = 400;

export interface QueueLimits {
  /** A TTL applies: queue or policy TTL, or messages that carried an expiration. */
  ttl: boolean;
  /** x-max-length (queue or policy). */
  maxLength?: number;
  /** x-max-length-bytes (queue or policy). */
  maxLengthBytes?: number;
}

export interface Discard {
  queue: string;
  type: 'expired' | 'dropped';
  count: number;
}

interface Reading {
  at: number;
  unexplained: number;
}

class QueueLedger {
  routed = 0;
  delivered = 0;
  redelivered = 0;
  removed = 0;
  expirationSeen = false;
  /** Readings of the last settle window (and the one just before it). */
  readings: Reading[] = [];
  /** The unexplained count already reported (or taken as the baseline). */
  reported: number | undefined;
  baselineUntil = 0;

  unexplained(ready: number): number {
    return this.routed - this.delivered + this.redelivered - this.removed - ready;
  }
}

export class DiscardInference {
  private readonly ledgers = new Map<string, QueueLedger>();

  private ledger(queue: string): QueueLedger {
    let ledger = this.ledgers.get(queue);
    if (!ledger) {
      ledger = new QueueLedger();
      this.ledgers.set(queue, ledger);
    }
    return ledger;
  }

  routed(queue: string, withExpiration: boolean): void {
    const ledger = this.ledger(queue);
    ledger.routed += 1;
    if (withExpiration) ledger.expirationSeen = true;
  }

  delivered(queue: string, redelivered: boolean): void {
    const ledger = this.ledger(queue);
    ledger.delivered += 1;
    if (redelivered) ledger.redelivered += 1;
  }

  /** Messages that left "ready" in a way Warren saw (its purge, a dead-lettering it observed). */
  removed(queue: string, count: number): void {
    this.ledger(queue).removed += count;
  }

  expirationSeen(queue: string): boolean {
    return this.ledgers.get(queue)?.expirationSeen === true;
  }

  /** Starts over for one queue (or all): the next reading sets a new baseline. */
  reset(queue?: string): void {
    const ledgers = queue === undefined ? [...this.ledgers.values()] : [this.ledgers.get(queue)];
    for (const ledger of ledgers) {
      if (!ledger) continue;
      ledger.readings = [];
      ledger.reported = undefined;
    }
  }

  /** Forgets a queue that no longer exists. */
  forget(queue: string): void {
    this.ledgers.delete(queue);
  }

  /** One reading of the queue's ready count at `at`; what it proves was lost, if anything. */
  reading(queue: string, ready: number, at: number, limits: QueueLimits): Discard | undefined {
    const ledger = this.ledger(queue);
    const unexplained = ledger.unexplained(ready);
    if (ledger.reported === undefined) {
      ledger.reported = unexplained;
      ledger.baselineUntil = at + SETTLE_MS;
      ledger.readings = [{ at, unexplained }];
      return undefined;
    }
    if (at <= ledger.baselineUntil) {
      ledger.reported = Math.max(ledger.reported, unexplained);
      ledger.readings.push({ at, unexplained });
      return undefined;
    }
    ledger.readings.push({ at, unexplained });
    // Keep the readings of the window plus the last one before it: together they span it.
    const start = at - SETTLE_MS;
    let firstInWindow = ledger.readings.findIndex((r) => r.at >= start);
    if (firstInWindow > 0) firstInWindow -= 1;
    if (firstInWindow > 0) ledger.readings = ledger.readings.slice(firstInWindow);
    const oldest = ledger.readings[0];
    if (oldest === undefined || oldest.at > start) return undefined;
    const settled = Math.min(...ledger.readings.map((r) => r.unexplained));
    const count = settled - ledger.reported;
    if (count <= 0) return undefined;
    ledger.reported = settled;
    return { queue, count, type: classify(ready, limits, ledger.expirationSeen) };
  }
}

function classify(ready: number, limits: QueueLimits, expirationSeen: boolean): Discard['type'] {
  if (limits.maxLength !== undefined && ready >= limits.maxLength) return 'dropped';
  if (limits.ttl || expirationSeen) return 'expired';
  return 'dropped';
}

/** Whether a queue can lose ready messages by itself at all (see the comment at the top). */
export function canDiscard(limits: QueueLimits, expirationSeen: boolean): boolean {
  return (
    limits.ttl ||
    expirationSeen ||
    limits.maxLength !== undefined ||
    limits.maxLengthBytes !== undefined
  );
}
