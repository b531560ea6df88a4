import { Outbox, type OutboxCounts, type Producer } from '@warren/topology';
import type { ProducerOutboxResponse } from '@warren/protocol';
import type { OpenChannel } from './publish-channel';
import type { Publication } from './publication';

/** What the outbox needs of its producer to send a message again. */
export interface ResendHost {
  /** The producer's channel now; throws when the broker cannot be reached. */
  channel: () => Promise<OpenChannel>;
  /** Sends once more; `full` when the channel's buffer should drain first. */
  transmit: (open: OpenChannel, publication: Publication) => { full: boolean };
  drained: (open: OpenChannel, goOn: () => boolean) => Promise<void>;
  commit: (open: OpenChannel) => Promise<void>;
  stateChanged: () => void;
}

/** How long a resend waits after it could not get a channel. */
const RESEND_PAUSE_MS = 200;

/**
 * A reliable producer's outbox: every message is kept until the broker confirms it, and sent
 * again when it is nacked, lost with its channel, or unconfirmed past the timeout, up to the
 * producer's attempts.
 */
export class ReliableOutbox {
  private outbox: Outbox | undefined;
  /** Messages still sending, kept to be sent again. */
  private readonly unsettled = new Map<string, Publication>();
  private readonly resendQueue: Publication[] = [];
  private resending: Promise<void> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly host: ResendHost) {}

  get enabled(): boolean {
    return this.outbox !== undefined;
  }

  configure(settings: Producer['outbox']): void {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    if (settings === undefined) {
      this.outbox = undefined;
      this.unsettled.clear();
      this.resendQueue.length = 0;
      return;
    }
    const next = { timeoutMs: settings.timeoutMs, maxAttempts: settings.maxAttempts };
    if (this.outbox) this.outbox.configure(next);
    else this.outbox = new Outbox(next);
    // Deadlines are checked often enough to re-send close to the timeout, without a timer each.
    const every = Math.min(250, Math.max(5, Math.floor(settings.timeoutMs / 4)));
    this.sweepTimer = setInterval(() => this.sweep(), every);
    this.sweepTimer.unref();
  }

  counts(): OutboxCounts | undefined {
    return this.outbox?.counts();
  }

  table(producerId: string): ProducerOutboxResponse {
    return {
      producerId,
      reliable: this.outbox !== undefined,
      counts: this.outbox?.counts() ?? { sending: 0, confirmed: 0, failed: 0 },
      entries: (this.outbox?.entries() ?? []).map((e) => ({
        messageId: e.messageId,
        status: e.status,
        attempts: e.attempts,
        ...(e.lastError === undefined ? {} : { lastError: e.lastError }),
        updatedAt: new Date(e.updatedAt).toISOString(),
      })),
    };
  }

  /** A new message is about to be sent for the first time. */
  add(publication: Publication): void {
    if (!this.outbox) return;
    this.outbox.add(publication.messageId, Date.now());
    this.unsettled.set(publication.messageId, publication);
  }

  confirmed(messageId: string): void {
    if (this.outbox?.confirm(messageId, Date.now())) this.unsettled.delete(messageId);
  }

  /** A send that brought no confirm: the message goes again, or is given up. */
  notConfirmed(publication: Publication, attempt: number, reason: string): void {
    if (!this.outbox) return;
    // Only the latest send decides; an earlier one already timed out and was sent again.
    if (attempt !== publication.attempts) return;
    const decision = this.outbox.fail(publication.messageId, reason, Date.now());
    if (decision === 'resend') this.queueResend(publication);
    else if (decision === 'failed') this.unsettled.delete(publication.messageId);
  }

  private sweep(): void {
    if (!this.outbox || this.closed || this.outbox.counts().sending === 0) return;
    const timeout = this.outbox.timeoutMs;
    const overdue = this.outbox.overdue(Date.now());
    for (const messageId of overdue) {
      const publication = this.unsettled.get(messageId);
      if (!publication) continue;
      this.notConfirmed(publication, publication.attempts, `no confirm within ${timeout} ms`);
    }
    if (overdue.length > 0) this.host.stateChanged();
  }

  private queueResend(publication: Publication): void {
    if (this.closed) return;
    this.resendQueue.push(publication);
    this.resending ??= this.resend().finally(() => (this.resending = undefined));
  }

  private async resend(): Promise<void> {
    // Sent from a fresh turn of the event loop, so a refusal can close the channel first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.resendQueue.length > 0 && !this.closed && this.outbox) {
      const outbox = this.outbox;
      const batch = this.resendQueue.splice(0);
      let open: OpenChannel;
      try {
        open = await this.host.channel();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        for (const publication of batch) {
          publication.attempts += 1;
          outbox.resent(publication.messageId, Date.now());
          this.notConfirmed(publication, publication.attempts, reason);
        }
        this.host.stateChanged();
        await new Promise((resolve) => setTimeout(resolve, RESEND_PAUSE_MS));
        continue;
      }
      for (const publication of batch) {
        if (outbox.get(publication.messageId)?.status !== 'sending') continue;
        outbox.resent(publication.messageId, Date.now());
        const { full } = this.host.transmit(open, publication);
        if (full) await this.host.drained(open, () => !this.closed);
      }
      if (open.mode === 'transactions') await this.host.commit(open);
    }
  }

  /** Stops sending again; waits for a resend under way. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.resendQueue.length = 0;
    await this.resending;
  }
}
