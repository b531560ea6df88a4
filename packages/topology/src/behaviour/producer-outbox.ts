import { Type } from 'typebox';

/** Status of a message in a reliable producer's outbox (0 sending / 1 confirmed / 2 failed). */
export const OutboxStatusSchema = Type.Enum(['sending', 'confirmed', 'failed']);
export type OutboxStatus = Type.Static<typeof OutboxStatusSchema>;

export interface OutboxEntry {
  messageId: string;
  status: OutboxStatus;
  /** Sends so far, the first one included. */
  attempts: number;
  /** Why the last send was not confirmed: a nack, a timeout, a closed channel. */
  lastError?: string;
  /** Milliseconds since the epoch of the last change. */
  updatedAt: number;
  /** When a message still sending is given up on and sent again (ms since the epoch). */
  deadline?: number;
}

/** Counts of a reliable producer's outbox by status. */
export const OutboxCountsSchema = Type.Object({
  sending: Type.Integer(),
  confirmed: Type.Integer(),
  failed: Type.Integer(),
});
export type OutboxCounts = Type.Static<typeof OutboxCountsSchema>;

export interface OutboxSettings {
  /** Re-send a message not confirmed within this many ms. */
  timeoutMs: number;
  /** Give up after this many sends. */
  maxAttempts: number;
  /** Entries kept for the table; messages still sending are always kept. */
  limit?: number;
}

/** What the producer does after a send of a message was not confirmed. */
export type OutboxDecision = 'resend' | 'failed' | 'ignored';

export const DEFAULT_OUTBOX_LIMIT = 500;

/**
 * The outbox of a reliable producer: every message enters as `sending`; a confirm makes it
 * `confirmed`; a nack, a lost channel or no confirm within the timeout sends it again (same
 * message id) until `maxAttempts` sends, then it is `failed`. Counts cover every message ever
 * sent; the table keeps the newest entries (`limit`), dropping finished ones first.
 */
export class Outbox {
  private readonly table = new Map<string, OutboxEntry>();
  private confirmedTotal = 0;
  private failedTotal = 0;
  private sendingNow = 0;
  private settings: Required<OutboxSettings>;

  constructor(settings: OutboxSettings) {
    this.settings = { limit: DEFAULT_OUTBOX_LIMIT, ...settings };
  }

  configure(settings: OutboxSettings): void {
    this.settings = { limit: this.settings.limit, ...settings };
  }

  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }

  /** A new message, sent for the first time at `now`. */
  add(messageId: string, now: number): OutboxEntry {
    const existing = this.table.get(messageId);
    if (existing?.status === 'sending') return existing;
    if (existing) this.forget(existing);
    const entry: OutboxEntry = {
      messageId,
      status: 'sending',
      attempts: 1,
      updatedAt: now,
      deadline: now + this.settings.timeoutMs,
    };
    this.table.set(messageId, entry);
    this.sendingNow += 1;
    this.trim();
    return entry;
  }

  get(messageId: string): OutboxEntry | undefined {
    return this.table.get(messageId);
  }

  /** The broker confirmed a send of `messageId`; later confirms of earlier sends change nothing. */
  confirm(messageId: string, now: number): boolean {
    const entry = this.table.get(messageId);
    if (entry?.status !== 'sending') return false;
    entry.status = 'confirmed';
    entry.updatedAt = now;
    delete entry.deadline;
    this.sendingNow -= 1;
    this.confirmedTotal += 1;
    this.trim();
    return true;
  }

  /**
   * A send of `messageId` was not confirmed (`error` says why). The answer: send it again, or it
   * has had its `maxAttempts` sends and is now failed.
   */
  fail(messageId: string, error: string, now: number): OutboxDecision {
    const entry = this.table.get(messageId);
    if (entry?.status !== 'sending') return 'ignored';
    entry.lastError = error;
    entry.updatedAt = now;
    if (entry.attempts >= this.settings.maxAttempts) {
      entry.status = 'failed';
      delete entry.deadline;
      this.sendingNow -= 1;
      this.failedTotal += 1;
      this.trim();
      return 'failed';
    }
    return 'resend';
  }

  /** The message is being sent again at `now`. */
  resent(messageId: string, now: number): void {
    const entry = this.table.get(messageId);
    if (entry?.status !== 'sending') return;
    entry.attempts += 1;
    entry.updatedAt = now;
    entry.deadline = now + this.settings.timeoutMs;
  }

  /** Messages still sending whose confirm is overdue at `now`. */
  overdue(now: number): string[] {
    const late: string[] = [];
    for (const entry of this.table.values()) {
      if (entry.status === 'sending' && entry.deadline !== undefined && entry.deadline <= now)
        late.push(entry.messageId);
    }
    return late;
  }

  counts(): OutboxCounts {
    return { sending: this.sendingNow, confirmed: this.confirmedTotal, failed: this.failedTotal };
  }

  /** The table, oldest first, without the internal deadlines. */
  entries(): OutboxEntry[] {
    return [...this.table.values()].map(({ deadline: _deadline, ...entry }) => ({ ...entry }));
  }

  private forget(entry: OutboxEntry): void {
    this.table.delete(entry.messageId);
    if (entry.status === 'sending') this.sendingNow -= 1;
  }

  private trim(): void {
    if (this.table.size <= this.settings.limit) return;
    for (const entry of this.table.values()) {
      if (this.table.size <= this.settings.limit) return;
      if (entry.status !== 'sending') this.table.delete(entry.messageId);
    }
  }
}
