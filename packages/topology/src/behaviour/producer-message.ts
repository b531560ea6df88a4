import type { Producer, RoutingKeyStrategy } from '../model';
import { renderTemplate } from './template';

/** The basic properties of one message, named as AMQP clients (amqplib, pika) name them. */
export interface MessagePropertiesOut {
  messageId: string;
  /** 2 (persistent) when the producer marks messages persistent. */
  deliveryMode?: 1 | 2;
  expiration?: string;
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  contentType?: string;
  contentEncoding?: string;
  type?: string;
  appId?: string;
  /** Seconds since the epoch, as AMQP's timestamp property counts. */
  timestamp?: number;
  headers: Record<string, unknown>;
}

/** Everything a producer puts into one basic.publish. */
export interface ProducerMessage {
  /** The producer's counter for this message (1 for its first). */
  n: number;
  exchange: string;
  routingKey: string;
  payload: string;
  mandatory: boolean;
  properties: MessagePropertiesOut;
}

export interface MessageContext {
  /** Milliseconds since the epoch when the message is built. */
  now: number;
  /** A fresh message id when the producer sets no message id template. */
  newId: () => string;
  /** A number in [0, 1) for the random routing-key strategy. */
  random?: () => number;
}

/** The strategy in effect: absent means `fixed`. */
export function strategyOf(producer: Pick<Producer, 'routingKeyStrategy'>): RoutingKeyStrategy {
  return producer.routingKeyStrategy ?? { kind: 'fixed' };
}

/**
 * The routing key of message number `n` (1-based): the fixed key, the list's keys in turn, a key
 * drawn at random, or the producer's routing key as a template (`order.{{n}}`).
 */
export function routingKeyFor(
  producer: Pick<Producer, 'routingKey' | 'routingKeyStrategy'>,
  n: number,
  random: () => number = Math.random,
): string {
  const strategy = strategyOf(producer);
  switch (strategy.kind) {
    case 'fixed':
      return producer.routingKey;
    case 'round-robin':
      return strategy.keys[positiveModulo(n - 1, strategy.keys.length)] ?? '';
    case 'random': {
      const index = Math.min(Math.floor(random() * strategy.keys.length), strategy.keys.length - 1);
      return strategy.keys[Math.max(0, index)] ?? '';
    }
    case 'template':
      return renderTemplate(producer.routingKey, { n });
  }
}

function positiveModulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

function renderHeaders(
  headers: Record<string, unknown> | undefined,
  values: Parameters<typeof renderTemplate>[1],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    out[key] = typeof value === 'string' ? renderTemplate(value, values) : value;
  }
  return out;
}

/**
 * Message number `n` of `producer`: its routing key by the strategy, its body and text properties
 * with the placeholders filled. The message id comes first (its template may use `{{n}}`,
 * `{{routingKey}}`, `{{timestamp}}`), so the body and other properties can quote it.
 */
export function producerMessage(
  producer: Producer,
  n: number,
  context: MessageContext,
): ProducerMessage {
  const p = producer.properties ?? {};
  const routingKey = routingKeyFor(producer, n, context.random);
  const base = { n, routingKey, timestamp: context.now };
  const messageId =
    p.messageId === undefined || p.messageId === ''
      ? context.newId()
      : renderTemplate(p.messageId, base);
  const values = { ...base, messageId };
  const text = (template: string | undefined) =>
    template === undefined ? undefined : renderTemplate(template, values);
  const properties: MessagePropertiesOut = {
    messageId,
    headers: renderHeaders(producer.headers, values),
  };
  if (p.persistent !== undefined) properties.deliveryMode = p.persistent ? 2 : 1;
  if (p.expiration !== undefined) properties.expiration = p.expiration;
  if (p.priority !== undefined) properties.priority = p.priority;
  const texts = {
    correlationId: text(p.correlationId),
    replyTo: text(p.replyTo),
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    type: text(p.type),
    appId: text(p.appId),
  };
  for (const [key, value] of Object.entries(texts) as [keyof typeof texts, string | undefined][]) {
    if (value !== undefined) properties[key] = value;
  }
  if (p.timestamp === true) properties.timestamp = Math.floor(context.now / 1000);
  return {
    n,
    exchange: producer.exchange,
    routingKey,
    payload: renderTemplate(producer.payload, values),
    mandatory: producer.mandatory,
    properties,
  };
}
