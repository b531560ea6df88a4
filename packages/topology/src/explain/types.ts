import { Type } from 'typebox';
import type { ExchangeType } from '../model';

/** A message as the explainer sees it: where it is published and what it carries. */
export const ExplainMessageSchema = Type.Object(
  {
    exchange: Type.String({
      maxLength: 255,
      description: "Exchange name; '' is the default exchange.",
    }),
    routingKey: Type.String({ maxLength: 255 }),
    headers: Type.Optional(Type.Record(Type.String({ maxLength: 255 }), Type.Unknown())),
    properties: Type.Optional(
      Type.Object(
        {
          /** Per-message TTL in milliseconds, as text (AMQP's `expiration`). */
          expiration: Type.Optional(
            Type.String({ description: 'Per-message TTL in milliseconds, as text.' }),
          ),
          priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
          messageId: Type.Optional(Type.String({ maxLength: 255 })),
          correlationId: Type.Optional(Type.String({ maxLength: 255 })),
          timestamp: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    mandatory: Type.Optional(Type.Boolean()),
    /** Size of the body in bytes, for `x-max-length-bytes`; unknown when absent. */
    payloadBytes: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Size of the body, for x-max-length-bytes.' }),
    ),
  },
  { additionalProperties: false },
);
export type ExplainMessage = Type.Static<typeof ExplainMessageSchema>;

/** How deep the explainer follows dead-lettering, and other knobs. */
export interface ExplainOptions {
  /** How many dead-letter hops are followed before the explanation stops (default 3). */
  maxDeadLetterDepth?: number;
  /**
   * How many dead-letter routes one explanation works out in all, nearest first and queues certain to get the message first (default 6);
   * a diagram where every queue dead-letters into a busy exchange stays quick to explain.
   */
  maxDeadLetterRoutes?: number;
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
  /**
   * Consistent-hash bindings only: this binding's destination may be the one the broker picks
   * (`matched` stays false while more than one destination is possible).
   */
  candidate?: boolean;
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
  /**
   * Set when the message only gets here if this consistent-hash exchange picks the way leading
   * here; the hop is shown because it may happen.
   */
  viaHashChoice?: string;
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
    /**
     * Queues the dead-letter route leads back to that the broker skips: the copy would go round
     * a cycle of dead-lettering with no rejection in it, so the broker drops it there.
     */
    cycle?: string[];
  };
}

export interface QueueFate {
  queue: string;
  queueId?: string;
  /** Exchange names from the publish to this queue. */
  path: string[];
  later: LaterFate[];
  /** Set when the message reaches this queue only if this consistent-hash exchange picks it. */
  viaHashChoice?: string;
}

export interface Explanation {
  message: ExplainMessage;
  /** A problem that stops the publish itself (missing or internal exchange). */
  error?: {
    /** INVALID_MESSAGE: the broker refuses the message itself (406), e.g. a bad `expiration`. */
    code: 'EXCHANGE_NOT_FOUND' | 'EXCHANGE_INTERNAL' | 'INVALID_MESSAGE';
    message: string;
    path: string;
  };
  hops: ExchangeHop[];
  /**
   * Queues the broker will route to (its `routed_queues`), sorted. With a consistent-hash
   * exchange on the way, only the queues certain to receive it; see `hashChoices`.
   */
  queues: string[];
  /** For each consistent-hash exchange on the way: exactly one of these queues also receives it. */
  hashChoices: {
    exchange: string;
    queues: string[];
    /** What each possible pick adds to `queues` (a pick may be an exchange leading further). */
    options?: { destination: string; destinationType: 'queue' | 'exchange'; queues: string[] }[];
  }[];
  /**
   * Every set of queues the broker may route to (sorted, each sorted), when consistent-hash
   * exchanges leave a choice; absent when the route is certain (then it is just `queues`), or
   * when the consistent-hash exchanges on the way make too many combinations to list (then
   * `hashChoices` is not empty and `queues` holds what is reached without any pick).
   */
  outcomes?: string[][];
  /**
   * The broker's own `routed_queues` for this publish, as its firehose reports them, when they
   * differ from `queues`: the default exchange lists the queue each routing key names before it
   * looks the queue up, so a name no queue has is listed although no queue receives the message.
   * Warren filters them by what exists: its publish outcome and `routed` event say `queues`.
   */
  routedQueues?: string[];
  /** True when the message reaches no queue. */
  unroutable: boolean;
  /** True when unroutable and mandatory: the broker returns it (312 NO_ROUTE). */
  returned: boolean;
  fates: QueueFate[];
  /** One paragraph for people: the whole route in words. */
  summary: string;
}
