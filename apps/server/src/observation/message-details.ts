import { createHash } from 'node:crypto';
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

/** JSON with sorted keys and Buffers as base64, so equal tables give equal text. */
function stable(value: unknown): string {
  if (Buffer.isBuffer(value)) return JSON.stringify(`b64:${value.toString('base64')}`);
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stable(record[k])}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return `"${value.toString()}n"`;
  return JSON.stringify(value) ?? 'null';
}

/** A message's content as the firehose shows it on publish and on every delivery. */
export interface TracedContent {
  exchange: string;
  routingKeys: string[];
  properties: Record<string, unknown>;
  body: Buffer;
}

export function contentHash(content: TracedContent): string {
  return createHash('sha1')
    .update(content.exchange)
    .update('\n')
    .update(content.routingKeys.join('\n'))
    .update('\n\n')
    .update(stable(content.properties))
    .update('\n')
    .update(content.body)
    .digest('hex')
    .slice(0, 16);
}

/** Messages remembered while waiting for their delivery; the oldest are forgotten beyond. */
const MAX_PENDING = 50_000;
/** Keys delivered per queue and content, to name a redelivery. */
const MAX_DELIVERED = 32;
/** Contents whose deliveries (and occurrences) are remembered; the oldest are forgotten. */
const MAX_CONTENTS = 10_000;

/**
 * Hands out message keys: `<hash>-<n>` for the n-th message with that content published, and
 * to each delivery from a queue the key of the oldest such message routed there and not yet
 * delivered (queues hand out identical messages in the order they came). A redelivery gets the
 * key the queue delivered before.
 */
export class MessageKeys {
  private readonly occurrences = new Map<string, number>();
  /** `queue\nhash` → keys routed there, not delivered yet, oldest first. */
  private readonly pending = new Map<string, string[]>();
  private readonly delivered = new Map<string, string[]>();
  private pendingCount = 0;
  private unmatched = 0;

  published(hash: string, routedQueues: readonly string[]): string {
    const n = (this.occurrences.get(hash) ?? 0) + 1;
    this.occurrences.delete(hash);
    this.occurrences.set(hash, n);
    if (this.occurrences.size > MAX_CONTENTS) {
      const oldest = this.occurrences.keys().next().value;
      if (oldest !== undefined) this.occurrences.delete(oldest);
    }
    const key = `${hash}-${n}`;
    for (const queue of routedQueues) {
      const slot = `${queue}\n${hash}`;
      const list = this.pending.get(slot);
      if (list) list.push(key);
      else this.pending.set(slot, [key]);
      this.pendingCount += 1;
    }
    while (this.pendingCount > MAX_PENDING) this.forgetOldest();
    return key;
  }

  deliveredFrom(queue: string, hash: string, redelivered: boolean): string {
    const slot = `${queue}\n${hash}`;
    const before = this.delivered.get(slot);
    if (redelivered && before && before.length > 0) {
      // The oldest delivered copy is the likeliest to come back; it goes to the end.
      const key = before.shift() as string;
      before.push(key);
      return key;
    }
    const list = this.pending.get(slot);
    const key = list?.shift();
    if (list && list.length === 0) this.pending.delete(slot);
    if (key === undefined) {
      // Published before Warren watched (or changed on the way): a key of its own.
      this.unmatched += 1;
      return `${hash}-u${this.unmatched}`;
    }
    this.pendingCount -= 1;
    const keys = before ?? [];
    keys.push(key);
    if (keys.length > MAX_DELIVERED) keys.shift();
    this.delivered.delete(slot);
    this.delivered.set(slot, keys);
    if (this.delivered.size > MAX_CONTENTS) {
      const oldest = this.delivered.keys().next().value;
      if (oldest !== undefined) this.delivered.delete(oldest);
    }
    return key;
  }

  private forgetOldest(): void {
    const first = this.pending.entries().next().value;
    if (!first) {
      this.pendingCount = 0;
      return;
    }
    this.pending.delete(first[0]);
    this.pendingCount -= first[1].length;
  }
}
