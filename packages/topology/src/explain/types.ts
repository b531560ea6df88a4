import type { ExchangeType } from '../model';

/** A message as the explainer sees it: where it is published and what it carries. */
export interface ExplainMessage {
  /** '' is the default exchange. */
  exchange: string;
  routingKey: string;
  headers?: Record<string, unknown>;
  properties?: {
    /** Per-message TTL in milliseconds, as text (AMQP's `expiration`). */
    expiration?: string;
    priority?: number;
    messageId?: string;
    correlationId?: string;
    timestamp?: number;
  };
  mandatory?: boolean;
}

/** One word of a topic comparison, pattern against routing key. */
export interface TopicStep {
  /** The pattern word ('*', '#', or a literal), absent when the pattern ran out. */
  pattern?: string;
  /** The routing-key words this pattern word consumed ('#' may take none or several). */
  words: string[];
  ok: boolean;
}

/** One header of a headers-exchange comparison. */
export interface HeaderCheck {
  key: string;
  /** The binding's value; undefined means "present with any value". */
  expected?: unknown;
  /** Whether the message carries the header at all. */
  present: boolean;
  actual?: unknown;
  ok: boolean;
}

/** A binding of an exchange the message visited, matched or not, and why. */
export interface BindingVerdict {
  /** The binding's id in the document; absent for the default exchange's implicit bindings. */
  bindingId?: string;
  source: string;
  destination: string;
  destinationType: 'queue' | 'exchange';
  routingKey: string;
  matched: boolean;
  /** A sentence a learner understands: "'order.#' matches 'order.paid': 'order' = 'order', '#' takes 'paid'". */
  reason: string;
  topic?: TopicStep[];
  headers?: { mode: string; checks: HeaderCheck[] };
}

/** How the message came to an exchange. */
export type HopVia =
  | { kind: 'publish' }
  | { kind: 'binding'; from: string; bindingId?: string }
  | { kind: 'alternate'; from: string };

/** One exchange the message passed through. */
export interface ExchangeHop {
  exchange: string;
  /** 'default' for the nameless default exchange. */
  type: ExchangeType | 'default';
  via: HopVia;
  bindings: BindingVerdict[];
  /** The alternate exchange this exchange handed the message to, because no binding matched. */
  alternate?: string;
  /** Anything else worth saying about this hop (an alternate exchange that does not exist...). */
  notes: string[];
  /** For consistent-hash exchanges: the broker picks exactly one of these by hashing. */
  hashCandidates?: { destination: string; destinationType: 'queue' | 'exchange'; weight: number }[];
}

/** What can happen to the message later, while it sits in a queue. */
export interface LaterFate {
  kind: 'expires' | 'overflow' | 'rejected';
  /** Dead-letter reason the broker writes into x-death: expired, maxlen, rejected. */
  reason: 'expired' | 'maxlen' | 'rejected';
  /** For expiry: after how many ms, and whether the queue's or the message's TTL decides. */
  afterMs?: number;
  /** A sentence: "after 5000 ms (queue TTL) it expires and is dead-lettered to 'dlx' with key 'retry'". */
  text: string;
  /** Where dead-lettering takes it; absent when the message is simply dropped. */
  deadLetter?: {
    exchange: string;
    routingKey: string;
    /** The route from the dead-letter exchange (depth-limited; cycles noted). */
    route?: Explanation;
  };
}

export interface QueueFate {
  queue: string;
  queueId?: string;
  /** Exchange names from the publish to this queue. */
  path: string[];
  later: LaterFate[];
}

export interface Explanation {
  message: ExplainMessage;
  /** A problem that stops the publish itself (missing or internal exchange). */
  error?: { code: 'EXCHANGE_NOT_FOUND' | 'EXCHANGE_INTERNAL'; message: string; path: string };
  hops: ExchangeHop[];
  /**
   * Queues the broker will route to (its `routed_queues`), sorted. With a consistent-hash
   * exchange on the way, only the queues certain to receive it; see `hashChoices`.
   */
  queues: string[];
  /** For each consistent-hash exchange on the way: exactly one of these queues also receives it. */
  hashChoices: { exchange: string; queues: string[] }[];
  /** True when the message reaches no queue. */
  unroutable: boolean;
  /** True when unroutable and mandatory: the broker returns it (312 NO_ROUTE). */
  returned: boolean;
  fates: QueueFate[];
  /** One paragraph for people: the whole route in words. */
  summary: string;
}
