import type { MessageProperties, PayloadPreview, WarrenEvent, XDeathEntry } from '@warren/protocol';
import { RingBuffer } from './ring-buffer';

/**
 * The recent messages the broker reported, one entry per message: where it was published and
 * routed (`routed`), and what happened next (`delivered`, a return, a consumer's ack or reject,
 * dead-lettering). Pure: events in, entries out; the message inspector reads it.
 */

export const MESSAGE_OUTCOMES = [
  'routed',
  'unroutable',
  'returned',
  'delivered',
  'acked',
  'rejected',
  'requeued',
  'dead-lettered',
  'expired',
  'dropped',
] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];

export interface Delivery {
  at: number;
  queue: string;
  redelivered: boolean;
  consumerId?: string;
  outsideClientId?: string;
}

export interface DeadLettering {
  at: number;
  queue: string;
  reason: string;
  exchange: string;
  routingKey: string;
  count: number;
  inferred: boolean;
}

/** What a consumer did with a delivery. */
export interface Settlement {
  at: number;
  kind: 'acked' | 'rejected' | 'requeued';
  queue: string;
  consumerId: string;
  method: string;
  reason?: string;
}

export interface TimelineEntry {
  /** Increases with every new entry: a stable key for rows and selection. */
  id: number;
  /** When it was first seen (ms since the epoch). */
  at: number;
  messageKey: string | undefined;
  messageId: string | null;
  /** Undefined when the message was only seen leaving a queue (its publish is not known). */
  exchange: string | undefined;
  routingKey: string | undefined;
  /** The queues the broker routed it to, from its firehose. */
  routedQueues: readonly string[];
  producerId?: string;
  /** The outside client that published it. */
  outsideClientId?: string;
  properties?: MessageProperties;
  payload?: PayloadPreview;
  /** The latest x-death history seen on the message (publish or a later delivery). */
  xDeath?: readonly XDeathEntry[];
  returned?: { replyCode: number; replyText: string };
  deliveries: readonly Delivery[];
  settlements: readonly Settlement[];
  deadLetterings: readonly DeadLettering[];
  /** Each outcome once, in the order it first happened. */
  outcomes: readonly MessageOutcome[];
}

export const TIMELINE_SIZE = 500;

/** How far back an ack or reject without a message id looks for the delivery it settles. */
const SETTLE_LOOKBACK = 64;

function withOutcome(
  outcomes: readonly MessageOutcome[],
  outcome: MessageOutcome,
): readonly MessageOutcome[] {
  return outcomes.includes(outcome) ? outcomes : [...outcomes, outcome];
}

/**
 * The bounded timeline. Entries are immutable: an event that changes a message replaces its
 * entry, so a view can tell a changed row by identity.
 */
export class MessageTimeline {
  /** Entry ids, oldest first; the entries themselves are in `byId`. */
  private readonly order: RingBuffer<number>;
  private readonly byId = new Map<number, TimelineEntry>();
  private readonly byKey = new Map<string, number>();
  private readonly byMessageId = new Map<string, number>();
  private nextId = 1;
  private cached: readonly TimelineEntry[] | undefined;
  /** Bumped on every change. */
  version = 0;

  constructor(readonly capacity = TIMELINE_SIZE) {
    this.order = new RingBuffer(capacity);
  }

  get size(): number {
    return this.order.size;
  }

  /** Every entry, newest first. The same array until something changes. */
  entries(): readonly TimelineEntry[] {
    if (this.cached === undefined) {
      const ids = this.order.toArray();
      const out: TimelineEntry[] = [];
      for (let i = ids.length - 1; i >= 0; i -= 1) {
        const entry = this.byId.get(ids[i] as number);
        if (entry) out.push(entry);
      }
      this.cached = out;
    }
    return this.cached;
  }

  get(id: number): TimelineEntry | undefined {
    return this.byId.get(id);
  }

  clear(): void {
    this.order.clear();
    this.byId.clear();
    this.byKey.clear();
    this.byMessageId.clear();
    this.changed();
  }

  /** Takes events in stream order; returns whether any entry changed. */
  record(events: readonly WarrenEvent[]): boolean {
    const before = this.version;
    for (const event of events) this.take(event);
    return this.version !== before;
  }

  private take(event: WarrenEvent): void {
    switch (event.type) {
      case 'routed': {
        // A return may come first; the broker's route then completes its entry.
        const earlier = this.findByMessageId(event.messageId);
        const merge = earlier?.returned !== undefined && earlier.messageKey === undefined;
        const base = merge ? earlier : this.blank(event.at, event.messageId);
        const queues = event.routedQueues;
        let outcomes = base.outcomes;
        if (queues.length > 0) outcomes = withOutcome(outcomes, 'routed');
        else if (event.directReplyTo !== undefined) outcomes = withOutcome(outcomes, 'routed');
        else outcomes = withOutcome(outcomes, 'unroutable');
        const entry: TimelineEntry = {
          ...base,
          messageKey: event.messageKey,
          exchange: event.exchange,
          routingKey: event.routingKey,
          routedQueues: queues,
          ...(event.producerId === undefined ? {} : { producerId: event.producerId }),
          ...(event.outsideClientId === undefined
            ? {}
            : { outsideClientId: event.outsideClientId }),
          ...(event.properties === undefined ? {} : { properties: event.properties }),
          ...(event.properties?.xDeath === undefined ? {} : { xDeath: event.properties.xDeath }),
          ...(event.payload === undefined ? {} : { payload: event.payload }),
          outcomes,
        };
        this.put(entry, !merge);
        return;
      }
      case 'returned': {
        const found = this.findByMessageId(event.messageId);
        const base =
          found && found.exchange === event.exchange
            ? found
            : this.blank(event.at, event.messageId);
        this.put(
          {
            ...base,
            exchange: event.exchange,
            routingKey: event.routingKey,
            ...(event.producerId === undefined ? {} : { producerId: event.producerId }),
            returned: { replyCode: event.replyCode, replyText: event.replyText },
            outcomes: withOutcome(base.outcomes, 'returned'),
          },
          base !== found,
        );
        return;
      }
      case 'delivered': {
        const found = this.byKeyOrId(event.messageKey, event.messageId);
        const base = found ?? {
          ...this.blank(event.at, event.messageId),
          messageKey: event.messageKey,
        };
        const delivery: Delivery = {
          at: event.at,
          queue: event.queue,
          redelivered: event.redelivered,
          ...(event.consumerId === undefined ? {} : { consumerId: event.consumerId }),
          ...(event.outsideClientId === undefined
            ? {}
            : { outsideClientId: event.outsideClientId }),
        };
        const xDeath = event.properties?.xDeath;
        this.put(
          {
            ...base,
            ...(base.properties === undefined && event.properties !== undefined
              ? { properties: event.properties }
              : {}),
            ...(xDeath === undefined ? {} : { xDeath }),
            deliveries: [...base.deliveries, delivery],
            outcomes: withOutcome(base.outcomes, 'delivered'),
          },
          found === undefined,
        );
        return;
      }
      case 'acked':
      case 'rejected':
      case 'requeued': {
        const found =
          this.findByMessageId(event.messageId) ??
          this.lastDeliveredTo(event.queue, event.consumerId);
        if (!found) return;
        const settlement: Settlement = {
          at: event.at,
          kind: event.type,
          queue: event.queue,
          consumerId: event.consumerId,
          method: event.method,
          ...(event.reason === undefined ? {} : { reason: event.reason }),
        };
        this.put(
          {
            ...found,
            settlements: [...found.settlements, settlement],
            outcomes: withOutcome(found.outcomes, event.type),
          },
          false,
        );
        return;
      }
      case 'dead-lettered': {
        const found = this.findByMessageId(event.messageId);
        if (!found) return;
        const dead: DeadLettering = {
          at: event.at,
          queue: event.queue,
          reason: event.reason,
          exchange: event.exchange,
          routingKey: event.routingKey,
          count: event.count,
          inferred: event.inferred,
        };
        this.put(
          {
            ...found,
            deadLetterings: [...found.deadLetterings, dead],
            outcomes: withOutcome(found.outcomes, 'dead-lettered'),
          },
          false,
        );
        return;
      }
      case 'expired':
      case 'dropped': {
        const found = this.findByMessageId(event.messageId ?? null);
        if (!found) return;
        this.put({ ...found, outcomes: withOutcome(found.outcomes, event.type) }, false);
        return;
      }
      default:
        return;
    }
  }

  private blank(at: number, messageId: string | null): TimelineEntry {
    return {
      id: 0,
      at,
      messageKey: undefined,
      messageId,
      exchange: undefined,
      routingKey: undefined,
      routedQueues: [],
      deliveries: [],
      settlements: [],
      deadLetterings: [],
      outcomes: [],
    };
  }

  /** Stores an entry: a new one (`fresh`) gets an id and may push the oldest out. */
  private put(entry: TimelineEntry, fresh: boolean): void {
    let stored = entry;
    if (fresh) {
      stored = { ...entry, id: this.nextId };
      this.nextId += 1;
      const evicted = this.order.push(stored.id);
      if (evicted !== undefined) this.forget(evicted);
    }
    this.byId.set(stored.id, stored);
    if (stored.messageKey !== undefined) this.byKey.set(stored.messageKey, stored.id);
    if (stored.messageId !== null) this.byMessageId.set(stored.messageId, stored.id);
    this.changed();
  }

  private forget(id: number): void {
    const entry = this.byId.get(id);
    this.byId.delete(id);
    if (!entry) return;
    if (entry.messageKey !== undefined && this.byKey.get(entry.messageKey) === id)
      this.byKey.delete(entry.messageKey);
    if (entry.messageId !== null && this.byMessageId.get(entry.messageId) === id)
      this.byMessageId.delete(entry.messageId);
  }

  private findByMessageId(messageId: string | null): TimelineEntry | undefined {
    if (messageId === null) return undefined;
    const id = this.byMessageId.get(messageId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /**
   * A delivery's message: by its key, else by its message id (a dead-lettered copy carries new
   * headers, so its key differs from its publish's).
   */
  private byKeyOrId(messageKey: string, messageId: string | null): TimelineEntry | undefined {
    const id = this.byKey.get(messageKey);
    if (id !== undefined) return this.byId.get(id);
    return this.findByMessageId(messageId);
  }

  /** The newest entry delivered from `queue` to `consumerId` and not settled there yet. */
  private lastDeliveredTo(queue: string, consumerId: string): TimelineEntry | undefined {
    const limit = Math.min(SETTLE_LOOKBACK, this.order.size);
    for (let age = 0; age < limit; age += 1) {
      const id = this.order.fromNewest(age);
      const entry = id === undefined ? undefined : this.byId.get(id);
      if (!entry) continue;
      const delivered = entry.deliveries.some(
        (d) => d.queue === queue && d.consumerId === consumerId,
      );
      const settled = entry.settlements.some(
        (s) => s.queue === queue && s.consumerId === consumerId && s.kind !== 'requeued',
      );
      if (delivered && !settled) return entry;
    }
    return undefined;
  }

  private changed(): void {
    this.version += 1;
    this.cached = undefined;
  }
}

// ---------- filters ----------

export interface TimelineFilter {
  /** Part of the routing key, any case. */
  routingKey?: string;
  /** A queue the message was routed to or delivered from. */
  queue?: string;
  /** A producer, consumer or outside client id that sent or received it. */
  client?: string;
  outcome?: MessageOutcome;
}

/** The queues a message reached: routed to, and delivered from. */
export function queuesOf(entry: TimelineEntry): string[] {
  const queues = new Set(entry.routedQueues);
  for (const d of entry.deliveries) queues.add(d.queue);
  return [...queues];
}

/** Every producer, consumer and outside client that sent or received the message. */
export function clientsOf(entry: TimelineEntry): string[] {
  const clients = new Set<string>();
  if (entry.producerId !== undefined) clients.add(entry.producerId);
  if (entry.outsideClientId !== undefined) clients.add(entry.outsideClientId);
  for (const d of entry.deliveries) {
    if (d.consumerId !== undefined) clients.add(d.consumerId);
    if (d.outsideClientId !== undefined) clients.add(d.outsideClientId);
  }
  return [...clients];
}

export function matchesFilter(entry: TimelineEntry, filter: TimelineFilter): boolean {
  const key = filter.routingKey?.trim().toLowerCase();
  if (key && !(entry.routingKey ?? '').toLowerCase().includes(key)) return false;
  if (filter.queue && !queuesOf(entry).includes(filter.queue)) return false;
  if (filter.client && !clientsOf(entry).includes(filter.client)) return false;
  if (filter.outcome && !entry.outcomes.includes(filter.outcome)) return false;
  return true;
}

export function filterEntries(
  entries: readonly TimelineEntry[],
  filter: TimelineFilter,
): readonly TimelineEntry[] {
  const active =
    !!filter.routingKey?.trim() || !!filter.queue || !!filter.client || !!filter.outcome;
  return active ? entries.filter((e) => matchesFilter(e, filter)) : entries;
}

/** The choices the filters offer: what the entries held have. */
export function filterChoices(entries: readonly TimelineEntry[]): {
  queues: string[];
  clients: string[];
  outcomes: MessageOutcome[];
} {
  const queues = new Set<string>();
  const clients = new Set<string>();
  const outcomes = new Set<MessageOutcome>();
  for (const entry of entries) {
    for (const q of queuesOf(entry)) queues.add(q);
    for (const c of clientsOf(entry)) clients.add(c);
    for (const o of entry.outcomes) outcomes.add(o);
  }
  return {
    queues: [...queues].sort(),
    clients: [...clients].sort(),
    outcomes: MESSAGE_OUTCOMES.filter((o) => outcomes.has(o)),
  };
}

/** The outcome a row shows: how far the message got, the last thing that happened to it. */
export function latestOutcome(entry: TimelineEntry): MessageOutcome | undefined {
  return entry.outcomes.at(-1);
}
