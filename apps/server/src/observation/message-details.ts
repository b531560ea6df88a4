import {
  MAX_DETAIL_DEATHS,
  MAX_DETAIL_HEADERS,
  MAX_DETAIL_VALUE,
  MAX_PAYLOAD_PREVIEW,
  type MessageProperties,
  type PayloadPreview,
  type XDeathEntry,
} from '@warren/protocol';

/**
 * What `routed` and `delivered` events tell about a message besides its route: the properties
 * people look at (from the firehose's `properties` table), and a key that pairs a publish with
 * its deliveries even when the message has no id. The firehose's `publish.*` and `deliver.*`
 * records both carry the exchange, routing keys, properties and body the message was published
 * with, so a hash of those, plus how many identical messages came before, names one message.
 * The hash is computed for every record, so it is a cheap one (see `contentHash`).
 */

type HeaderValue = string | number | boolean;

function cut(text: string): string {
  return text.length > MAX_DETAIL_VALUE ? `${text.slice(0, MAX_DETAIL_VALUE - 1)}…` : text;
}

function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function headerValue(value: unknown): HeaderValue {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return cut(value);
  const converted = plain(value);
  if (typeof converted === 'string') return cut(converted);
  return cut(JSON.stringify(converted) ?? String(converted));
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : Buffer.isBuffer(value)
      ? value.toString('utf8')
      : typeof value === 'number'
        ? String(value)
        : undefined;

const integer = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) ? value : undefined;

/**
 * The traced properties of a message (the firehose's `properties` header, AMQP's field names),
 * with at most 16 headers and long values cut; undefined when it has none.
 */
export function traceProperties(raw: Record<string, unknown>): MessageProperties | undefined {
  const props: MessageProperties = {};
  const strings = [
    ['reply_to', 'replyTo'],
    ['correlation_id', 'correlationId'],
    ['message_id', 'messageId'],
    ['content_type', 'contentType'],
    ['content_encoding', 'contentEncoding'],
    ['expiration', 'expiration'],
    ['type', 'type'],
    ['app_id', 'appId'],
    ['user_id', 'userId'],
  ] as const;
  for (const [from, to] of strings) {
    const value = text(raw[from]);
    if (value !== undefined) props[to] = cut(value);
  }
  const deliveryMode = integer(raw.delivery_mode);
  if (deliveryMode !== undefined) props.deliveryMode = deliveryMode;
  const priority = integer(raw.priority);
  if (priority !== undefined) props.priority = priority;
  if (typeof raw.timestamp === 'number') props.timestamp = raw.timestamp;
  const headers = raw.headers;
  if (typeof headers === 'object' && headers !== null && !Buffer.isBuffer(headers)) {
    const entries = Object.entries(headers);
    if (entries.length > 0) {
      props.headers = Object.fromEntries(
        entries.slice(0, MAX_DETAIL_HEADERS).map(([k, v]) => [k, headerValue(v)]),
      );
      if (entries.length > MAX_DETAIL_HEADERS) {
        props.headersOmitted = entries.length - MAX_DETAIL_HEADERS;
      }
    }
    const deaths = xDeath((headers as Record<string, unknown>)['x-death']);
    if (deaths !== undefined) props.xDeath = deaths;
  }
  return Object.keys(props).length > 0 ? props : undefined;
}

/** A timestamp as AMQP tables carry it (seconds), or a Date some decoders make of it. */
function seconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (typeof value === 'object' && value !== null && 'value' in value) return seconds(value.value);
  return undefined;
}

/**
 * The `x-death` header as a table: one entry per queue and reason the message was
 * dead-lettered for, at most 10, fields cut like header values. Undefined when it has none.
 */
export function xDeath(value: unknown): XDeathEntry[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const entries: XDeathEntry[] = [];
  for (const item of value.slice(0, MAX_DETAIL_DEATHS)) {
    if (typeof item !== 'object' || item === null || Buffer.isBuffer(item)) continue;
    const record = item as Record<string, unknown>;
    const count = seconds(record.count);
    const keys = Array.isArray(record['routing-keys']) ? record['routing-keys'] : [];
    const time = seconds(record.time);
    entries.push({
      queue: cut(text(record.queue) ?? ''),
      reason: cut(text(record.reason) ?? ''),
      count: count === undefined ? 0 : Math.trunc(count),
      exchange: cut(text(record.exchange) ?? ''),
      routingKeys: keys.slice(0, MAX_DETAIL_HEADERS).map((k) => cut(text(k) ?? String(k))),
      ...(time === undefined ? {} : { time }),
    });
  }
  return entries.length > 0 ? entries : undefined;
}

/** The start of a body for the message inspector: its first 512 bytes, base64, and its size. */
export function payloadPreview(body: Buffer): PayloadPreview {
  return {
    size: body.length,
    base64: body.subarray(0, MAX_PAYLOAD_PREVIEW).toString('base64'),
  };
}

/** A message's content as the firehose shows it on publish and on every delivery. */
export interface TracedContent {
  exchange: string;
  routingKeys: string[];
  properties: Record<string, unknown>;
  body: Buffer;
}

/** Bytes of a body the hash reads at most (the body's length always counts). */
const HASHED_BODY_BYTES = 4096;

/**
 * Two 32-bit FNV-1a hashes side by side (different seeds and primes), fed in one pass: cheap
 * enough for every traced record, wide enough that two different messages waiting on one queue
 * practically never share one. Not a digest: a message only has to be told from the others
 * waiting beside it, and a queue hands out identical-looking messages in order anyway.
 */
class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x01000193;

  byte(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    this.b = Math.imul(this.b ^ x, 0x5bd1e995);
  }

  text(value: string): void {
    // `byte` by hand, on locals: this runs over every traced record's strings.
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < value.length; i += 1) {
      const c = value.charCodeAt(i);
      const low = c & 0xff;
      a = Math.imul(a ^ low, 0x01000193);
      b = Math.imul(b ^ low, 0x5bd1e995);
      if (c > 0xff) {
        a = Math.imul(a ^ (c >>> 8), 0x01000193);
        b = Math.imul(b ^ (c >>> 8), 0x5bd1e995);
      }
    }
    this.a = Math.imul(a, 0x01000193);
    this.b = Math.imul(b, 0x5bd1e995);
  }

  /** Strings, numbers, booleans and Buffers as such; a table or list by its size only. */
  value(value: unknown): void {
    if (typeof value === 'string') this.text(value);
    else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
      this.text(String(value));
    else if (Buffer.isBuffer(value)) this.bytes(value, value.length);
    else if (Array.isArray(value)) this.text(`[${value.length}]`);
    else if (typeof value === 'object' && value !== null)
      this.text(`{${Object.keys(value).length}}`);
    else this.byte(1);
  }

  bytes(buffer: Buffer, limit: number): void {
    const end = Math.min(buffer.length, limit);
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < end; i += 1) {
      const x = buffer[i] as number;
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x5bd1e995);
    }
    this.a = a;
    this.b = b;
    this.text(String(buffer.length));
  }

  hex(): string {
    return (
      (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0')
    );
  }
}

/** The traced properties a message's hash reads, besides its headers. */
const HASHED_PROPERTIES = [
  'message_id',
  'correlation_id',
  'reply_to',
  'timestamp',
  'type',
  'content_type',
  'expiration',
  'priority',
  'app_id',
] as const;

/**
 * A short hash of what the firehose shows of a message on publish and on every delivery alike:
 * exchange, routing keys, the properties above, its headers' plain values (whatever their
 * order) and its body. 16 hex digits.
 */
export function contentHash(content: TracedContent): string {
  const f = new Fingerprint();
  f.text(content.exchange);
  for (const key of content.routingKeys) f.text(key);
  const props = content.properties;
  for (const name of HASHED_PROPERTIES) {
    const value = props[name];
    if (value !== undefined) {
      f.text(name);
      f.value(value);
    }
  }
  const headers = props.headers;
  if (typeof headers === 'object' && headers !== null && !Buffer.isBuffer(headers)) {
    const table = headers as Record<string, unknown>;
    const names = Object.keys(table);
    if (names.length > 1) names.sort();
    for (const name of names) {
      f.text(name);
      f.value(table[name]);
    }
  }
  f.bytes(content.body, HASHED_BODY_BYTES);
  return f.hex();
}

/** Messages remembered per queue while waiting for their delivery (at most twice this). */
const MAX_PENDING = 10_000;
/**
 * How long a message waiting in a queue stays paired with its publish: one generation of the
 * pending keys spans at most this long, so a key is forgotten after one to two of them.
 */
const PENDING_AGE_MS = 10 * 60_000;
/** Keys delivered per queue and content, to name a redelivery. */
const MAX_DELIVERED = 32;
/**
 * Contents whose deliveries are remembered, per queue (at most twice this). What comes back is
 * what a consumer held unacknowledged (a nack, a consumer gone): the latest deliveries, as many as
 * its prefetch allows, so the latest thousands are enough; every delivery is remembered, so this
 * bounds the memory of a busy queue.
 */
const MAX_CONTENTS = 2000;
/** How long a delivery is remembered for naming its redelivery: one to two of these. */
const REDELIVERY_AGE_MS = 60_000;
/** Queues whose messages are remembered (at most twice this). */
const MAX_QUEUES = 1000;

/**
 * A map that forgets its oldest entries in bulk: entries go into the current generation, which
 * becomes the previous one (the one before it forgotten) once it holds `max` or is `maxAgeMs`
 * old. An entry is kept while its generation is the current or the previous one: by count, at
 * least `max` entries and at most twice that; by age, at most twice `maxAgeMs` past its last
 * `set`. Every operation is O(1). A single Map trimmed from its oldest end one entry at a time
 * is not: V8 keeps deleted entries as holes until it rehashes, and finding the first live entry
 * walks over all of them, which at a thousand messages a second cost more than the rest of
 * observation together.
 */
export class Generations<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();
  private currentSince: number;

  constructor(
    private readonly max: number,
    private readonly maxAgeMs = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
  ) {
    this.currentSince = this.maxAgeMs === Number.POSITIVE_INFINITY ? 0 : now();
  }

  /** Ends the current generation when it is too old; both, when even the previous one is. */
  private age(): void {
    if (this.maxAgeMs === Number.POSITIVE_INFINITY) return;
    const now = this.now();
    const age = now - this.currentSince;
    if (age < this.maxAgeMs) return;
    this.previous = age >= 2 * this.maxAgeMs ? new Map<string, V>() : this.current;
    this.current = new Map();
    this.currentSince = now;
  }

  get(key: string): V | undefined {
    this.age();
    return this.current.get(key) ?? this.previous.get(key);
  }

  set(key: string, value: V): void {
    this.age();
    if (this.current.size >= this.max && !this.current.has(key)) {
      this.previous = this.current;
      this.current = new Map();
      if (this.maxAgeMs !== Number.POSITIVE_INFINITY) this.currentSince = this.now();
    }
    this.current.set(key, value);
  }

  delete(key: string): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  /** Entries remembered now (an entry in both generations counts twice). */
  get size(): number {
    this.age();
    return this.current.size + this.previous.size;
  }
}

/** A message's key, and what was worked out of it when it was published (its properties). */
export interface KeyedMessage<D> {
  key: string;
  detail: D | undefined;
  /** A delivery that matched no publish seen (published before Warren watched, say). */
  unmatched?: true;
}

/**
 * Hands out message keys: `<hash>-<n>` for the n-th message the session saw published, and to
 * each delivery from a queue the key of the oldest message with that content routed there and
 * not yet delivered (queues hand out identical messages in the order they came). A redelivery
 * gets the key the queue delivered before. What it remembers is bounded by count and by age
 * (see the limits above), so memory stays flat however long messages flow. A delivery also gets
 * the `detail` its publish was given (the same content has the same properties), so it need not
 * be worked out again.
 */
export class MessageKeys<D = undefined> {
  /** Messages published so far: numbers each key, so no two messages share one. */
  private publishedCount = 0;
  /** Per queue: content hash → messages routed there, not delivered yet, oldest first. */
  private readonly pending: Generations<Generations<KeyedMessage<D>[]>>;
  /** Per queue: content hash → messages delivered from there, oldest first. */
  private readonly delivered: Generations<Generations<KeyedMessage<D>[]>>;
  private unmatched = 0;
  /** The time of the call in progress: read once per call, not once per map. */
  private clock = 0;
  private readonly callTime = () => this.clock;

  constructor(private readonly now: () => number = Date.now) {
    this.clock = now();
    this.pending = new Generations(MAX_QUEUES, Number.POSITIVE_INFINITY, this.callTime);
    this.delivered = new Generations(MAX_QUEUES, Number.POSITIVE_INFINITY, this.callTime);
  }

  published(hash: string, routedQueues: readonly string[], detail?: D): string {
    this.clock = this.now();
    this.publishedCount += 1;
    const message: KeyedMessage<D> = { key: `${hash}-${this.publishedCount}`, detail };
    for (const queue of routedQueues) {
      const pending = perQueue(this.pending, queue, MAX_PENDING, PENDING_AGE_MS, this.callTime);
      const list = pending.get(hash);
      if (list) {
        list.push(message);
        // Identical messages piling up in a queue nobody reads: the oldest are forgotten.
        if (list.length > MAX_PENDING) list.shift();
        pending.set(hash, list);
      } else pending.set(hash, [message]);
    }
    return message.key;
  }

  /** The message a delivery from `queue` is, with its detail (undefined when not matched). */
  delivery(queue: string, hash: string, redelivered: boolean): KeyedMessage<D> {
    this.clock = this.now();
    const delivered = perQueue(
      this.delivered,
      queue,
      MAX_CONTENTS,
      REDELIVERY_AGE_MS,
      this.callTime,
    );
    const before = delivered.get(hash);
    if (redelivered && before && before.length > 0) {
      // The oldest delivered copy is the likeliest to come back; it goes to the end.
      const message = before.shift() as KeyedMessage<D>;
      before.push(message);
      delivered.set(hash, before);
      return message;
    }
    const pending = this.pending.get(queue);
    const list = pending?.get(hash);
    const message = list?.shift();
    if (list && list.length === 0) pending?.delete(hash);
    if (message === undefined) {
      // Published before Warren watched (or changed on the way): a key of its own.
      this.unmatched += 1;
      return { key: `${hash}-u${this.unmatched}`, detail: undefined, unmatched: true };
    }
    if (before) {
      before.push(message);
      if (before.length > MAX_DELIVERED) before.shift();
      delivered.set(hash, before);
    } else delivered.set(hash, [message]);
    return message;
  }
}

function perQueue<V>(
  all: Generations<Generations<V>>,
  queue: string,
  max: number,
  maxAgeMs: number,
  now: () => number,
): Generations<V> {
  let mine = all.get(queue);
  if (!mine) {
    mine = new Generations<V>(max, maxAgeMs, now);
    all.set(queue, mine);
  }
  return mine;
}
