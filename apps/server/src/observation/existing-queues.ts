/**
 * Which of the queues the firehose lists as routed exist. The broker's default-exchange route
 * returns the routing key as a queue without checking that there is one, so a message sent to
 * `no-such-queue` is traced as routed there although the broker dropped it (and returned it,
 * when mandatory). Names the session knows (its topology, clients' queues included) are taken
 * as they are, and so are queues the broker's events said it created: a client's own queue may
 * be gone by the time its record is read (an RPC client exits as soon as its reply arrived), so
 * a queue deleted a moment ago still counts for the records read just after. Others are asked of
 * the broker with a passive declare (an answer that the queue is there is remembered briefly).
 */

/** How long the broker's answer that a queue the topology does not have exists is trusted. */
const EXISTS_MS = 2000;
/**
 * "No such queue" holds only for the records waiting while it was asked: the queue may be
 * declared the next moment (an RPC server starting), and a message published after that
 * declaration must be asked about again.
 */
const MISSING_MS = 0;
/** How long a queue the broker deleted still counts for records read after its deletion. */
const DELETED_GRACE_MS = 3000;
/** Queues remembered from the broker's events at most. */
const MAX_SEEN = 10_000;

export interface ExistingQueuesDeps {
  /** Broker names of the queues the session's topology has. */
  known(): ReadonlySet<string>;
  /** Asks the broker: false only when it says there is no such queue. */
  exists(brokerName: string): Promise<boolean>;
}

export class ExistingQueues {
  private readonly answers = new Map<string, { exists: Promise<boolean>; until: number }>();
  /** Queues the broker's events said it created: until when each counts (∞ while it lives). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly deps: ExistingQueuesDeps) {}

  /** A queue the broker's event exchange reported created or deleted. */
  event(change: 'created' | 'deleted', name: string, now = Date.now()): void {
    if (change === 'created') {
      if (this.seen.size >= MAX_SEEN) this.pruneSeen(now);
      this.seen.set(name, Number.POSITIVE_INFINITY);
    } else if (this.seen.has(name)) {
      this.seen.set(name, now + DELETED_GRACE_MS);
    }
  }

  private pruneSeen(now: number): void {
    for (const [name, until] of this.seen) if (until <= now) this.seen.delete(name);
    if (this.seen.size >= MAX_SEEN) this.seen.clear();
  }

  /** The names that exist: at once when the session knows them all, else once the broker said. */
  filter(names: string[], now = Date.now()): string[] | Promise<string[]> {
    if (names.length === 0) return names;
    const known = this.deps.known();
    let unknown: string[] | undefined;
    for (const name of names) {
      if (!known.has(name) && (this.seen.get(name) ?? Number.NEGATIVE_INFINITY) <= now)
        (unknown ??= []).push(name);
    }
    // Runs for every traced publish: the same list when all are known, no copy.
    if (unknown === undefined) return names;
    const asking = unknown;
    return Promise.all(asking.map((name) => this.ask(name, now))).then((answers) => {
      const missing = new Set(asking.filter((_, i) => answers[i] === false));
      return names.filter((name) => !missing.has(name));
    });
  }

  private ask(name: string, now: number): Promise<boolean> {
    const cached = this.answers.get(name);
    if (cached && cached.until > now) return cached.exists;
    // Unsure means routed: the filter only takes out what the broker says is not there.
    const exists = this.deps.exists(name).catch(() => true);
    const entry = { exists, until: Number.POSITIVE_INFINITY };
    this.answers.set(name, entry);
    void exists.then((yes) => {
      entry.until = Date.now() + (yes ? EXISTS_MS : MISSING_MS);
    });
    if (this.answers.size > 1000) this.prune(now);
    return exists;
  }

  private prune(now: number): void {
    for (const [name, entry] of this.answers) if (entry.until <= now) this.answers.delete(name);
  }
}
