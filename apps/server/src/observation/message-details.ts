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

/** The traced string properties, by their AMQP field name and their name in events. */
const STRING_PROPERTIES = [
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

/**
 * The traced properties of a message (the firehose's `properties` header, AMQP's field names),
 * with at most 16 headers and long values cut; undefined when it has none. Runs for every
 * traced publish: loops, no intermediate arrays.
 */
export function traceProperties(raw: Record<string, unknown>): MessageProperties | undefined {
  const props: MessageProperties = {};
  let any = false;
  for (const [from, to] of STRING_PROPERTIES) {
    const value = text(raw[from]);
    if (value !== undefined) {
      props[to] = cut(value);
      any = true;
    }
  }
  const deliveryMode = integer(raw.delivery_mode);
  if (deliveryMode !== undefined) {
    props.deliveryMode = deliveryMode;
    any = true;
  }
  const priority = integer(raw.priority);
  if (priority !== undefined) {
    props.priority = priority;
    any = true;
  }
  if (typeof raw.timestamp === 'number') {
    props.timestamp = raw.timestamp;
    any = true;
  }
  const headers = raw.headers;
  if (typeof headers === 'object' && headers !== null && !Buffer.isBuffer(headers)) {
    const table = headers as Record<string, unknown>;
    let count = 0;
    let kept: Record<string, HeaderValue> | undefined;
    for (const name in table) {
      if (!Object.hasOwn(table, name)) continue;
      count += 1;
      if (count > MAX_DETAIL_HEADERS) continue;
      kept ??= {};
      kept[name] = headerValue(table[name]);
    }
    if (kept !== undefined) {
      props.headers = kept;
      any = true;
    }
    if (count > MAX_DETAIL_HEADERS) props.headersOmitted = count - MAX_DETAIL_HEADERS;
    const deaths = xDeath(table['x-death']);
    if (deaths !== undefined) props.xDeath = deaths;
  }
  return any ? props : undefined;
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

/**
 * A message's content hash: 53 bits, a whole number (a Map key that costs no string). Its text,
 * in message keys, is `hashText`.
 */
export type ContentHash = number;

/** Bytes of a body the hash reads at most (the body's length always counts). */
const HASHED_BODY_BYTES = 4096;

/**
 * Two 32-bit FNV-1a hashes side by side (different seeds and primes), fed in one pass: cheap
 * enough for every traced record, wide enough that two different messages waiting on one queue
 * practically never share one. Not a digest: a message only has to be told from the others
 * waiting beside it, and a queue hands out identical-looking messages in order anyway. The state
 * is two module variables: one hash is computed at a time, with no object per record.
 */
let hashA = 0;
let hashB = 0;

function mixText(value: string): void {
  let a = hashA;
  let b = hashB;
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
  // A separator after each text, so that "ab","c" and "a","bc" differ.
  hashA = Math.imul(a, 0x01000193);
  hashB = Math.imul(b, 0x5bd1e995);
}

function mixBytes(buffer: Buffer, limit: number): void {
  const end = Math.min(buffer.length, limit);
  let a = hashA;
  let b = hashB;
  for (let i = 0; i < end; i += 1) {
    const x = buffer[i] as number;
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995);
  }
  hashA = a;
  hashB = b;
  mixInt(buffer.length);
}

function mixInt(x: number): void {
  hashA = Math.imul(hashA ^ (x & 0xffff), 0x01000193);
  hashB = Math.imul(hashB ^ (x & 0xffff), 0x5bd1e995);
  hashA = Math.imul(hashA ^ (x >>> 16), 0x01000193);
  hashB = Math.imul(hashB ^ (x >>> 16), 0x5bd1e995);
}

/** 2^32. */
const WORD = 0x100000000;

/**
 * Strings, numbers, booleans and Buffers as such; a table or list by its size only. Each kind
 * mixes a tag first, so that 1 and "1" differ.
 */
function mixValue(value: unknown): void {
  if (typeof value === 'string') {
    mixInt(1);
    mixText(value);
  } else if (typeof value === 'number') {
    // Whole numbers (AMQP's integers, timestamps) by their bits: no text made for them.
    if (Number.isSafeInteger(value)) {
      mixInt(2);
      mixInt(value % WORD);
      mixInt(Math.floor(value / WORD));
    } else {
      mixInt(3);
      mixText(String(value));
    }
  } else if (typeof value === 'boolean') mixInt(value ? 4 : 5);
  else if (typeof value === 'bigint') {
    mixInt(6);
    mixText(String(value));
  } else if (Buffer.isBuffer(value)) {
    mixInt(7);
    mixBytes(value, value.length);
  } else if (Array.isArray(value)) {
    mixInt(8);
    mixInt(value.length);
  } else if (typeof value === 'object' && value !== null) {
    mixInt(9);
    mixInt(Object.keys(value).length);
  } else mixInt(10);
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

/** 2^21: the second hash gives its top 21 bits, so the two fit a double exactly. */
const LOW_BITS = 0x200000;

/**
 * A hash of what the firehose shows of a message on publish and on every delivery alike:
 * exchange, routing keys, the properties above, its headers' plain values (whatever their
 * order) and its body.
 */
export function contentHash(content: TracedContent): ContentHash {
  hashA = 0x811c9dc5;
  hashB = 0x01000193;
  mixText(content.exchange);
  for (const key of content.routingKeys) mixText(key);
  const props = content.properties;
  for (let i = 0; i < HASHED_PROPERTIES.length; i += 1) {
    const value = props[HASHED_PROPERTIES[i] as string];
    if (value !== undefined) {
      // The property by its place in the list: its name need not be hashed every time.
      mixInt(100 + i);
      mixValue(value);
    }
  }
  const headers = props.headers;
  if (typeof headers === 'object' && headers !== null && !Buffer.isBuffer(headers)) {
    const table = headers as Record<string, unknown>;
    const names = Object.keys(table);
    if (names.length > 1) names.sort();
    for (const name of names) {
      mixText(name);
      mixValue(table[name]);
    }
  }
  mixBytes(content.body, HASHED_BODY_BYTES);
  return (hashA >>> 0) * LOW_BITS + (hashB >>> 11);
}

/** A hash as text: 14 hex digits. */
export function hashText(hash: ContentHash): string {
  const high = Math.floor(hash / 0x1000000);
  const low = hash - high * 0x1000000;
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(6, '0');
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
export class Generations<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();
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
    this.previous = age >= 2 * this.maxAgeMs ? new Map<K, V>() : this.current;
    this.current = new Map();
    this.currentSince = now;
  }

  get(key: K): V | undefined {
    this.age();
    const value = this.current.get(key);
    return value === undefined && this.previous.size > 0 ? this.previous.get(key) : value;
  }

  set(key: K, value: V): void {
    this.age();
    if (this.current.size >= this.max && !this.current.has(key)) {
      this.previous = this.current;
      this.current = new Map();
      if (this.maxAgeMs !== Number.POSITIVE_INFINITY) this.currentSince = this.now();
    }
    this.current.set(key, value);
  }

  delete(key: K): void {
    this.current.delete(key);
    // Also when it was in the current one: a key set again after a swap is in both.
    if (this.previous.size > 0) this.previous.delete(key);
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
 * The messages of one content in one queue, oldest first: most contents are one message, kept
 * as itself, with no list.
 */
type Messages<D> = KeyedMessage<D> | KeyedMessage<D>[];

/** What is remembered of one queue: its messages waiting, and those it delivered. */
interface QueueMessages<D> {
  /** Content hash → messages routed there, not delivered yet. */
  pending: Generations<ContentHash, Messages<D>>;
  /** Content hash → messages delivered from there. */
  delivered: Generations<ContentHash, Messages<D>>;
}

/** `messages` with `message` after them, at most `max` (the oldest go). */
function appended<D>(
  messages: Messages<D> | undefined,
  message: KeyedMessage<D>,
  max: number,
): Messages<D> {
  if (messages === undefined) return message;
  if (!Array.isArray(messages)) return [messages, message];
  messages.push(message);
  if (messages.length > max) messages.shift();
  return messages;
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
  private readonly queues: Generations<string, QueueMessages<D>>;
  private unmatched = 0;
  /** The time of the call in progress: read once per call, not once per map. */
  private clock = 0;
  private readonly callTime = () => this.clock;

  constructor(private readonly now: () => number = Date.now) {
    this.clock = now();
    this.queues = new Generations(MAX_QUEUES, Number.POSITIVE_INFINITY, this.callTime);
  }

  private queue(name: string): QueueMessages<D> {
    let mine = this.queues.get(name);
    if (!mine) {
      mine = {
        pending: new Generations(MAX_PENDING, PENDING_AGE_MS, this.callTime),
        delivered: new Generations(MAX_CONTENTS, REDELIVERY_AGE_MS, this.callTime),
      };
      this.queues.set(name, mine);
    }
    return mine;
  }

  published(hash: ContentHash, routedQueues: readonly string[], detail?: D): string {
    this.clock = this.now();
    this.publishedCount += 1;
    const message: KeyedMessage<D> = { key: `${hashText(hash)}-${this.publishedCount}`, detail };
    for (const name of routedQueues) {
      const { pending } = this.queue(name);
      // Identical messages piling up in a queue nobody reads: the oldest are forgotten.
      pending.set(hash, appended(pending.get(hash), message, MAX_PENDING));
    }
    return message.key;
  }

  /** The message a delivery from `queue` is, with its detail (undefined when not matched). */
  delivery(queue: string, hash: ContentHash, redelivered: boolean): KeyedMessage<D> {
    this.clock = this.now();
    const { pending, delivered } = this.queue(queue);
    const before = delivered.get(hash);
    if (redelivered && before !== undefined) {
      if (!Array.isArray(before)) {
        delivered.set(hash, before);
        return before;
      }
      // The oldest delivered copy is the likeliest to come back; it goes to the end.
      const message = before.shift() as KeyedMessage<D>;
      before.push(message);
      delivered.set(hash, before);
      return message;
    }
    const waiting = pending.get(hash);
    let message: KeyedMessage<D> | undefined;
    if (waiting === undefined) message = undefined;
    else if (!Array.isArray(waiting)) {
      message = waiting;
      pending.delete(hash);
    } else {
      message = waiting.shift();
      if (waiting.length === 0) pending.delete(hash);
    }
    if (message === undefined) {
      // Published before Warren watched (or changed on the way): a key of its own.
      this.unmatched += 1;
      return { key: `${hashText(hash)}-u${this.unmatched}`, detail: undefined, unmatched: true };
    }
    delivered.set(hash, appended(before, message, MAX_DELIVERED));
    return message;
  }
}
