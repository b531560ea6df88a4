import type { Channel, ConsumeMessage } from 'amqplib';
import { CONSUMER_HEADER, PRODUCER_HEADER } from '../broker/message-headers';
import { clientPort } from '../broker/own-connections';
import type { TracedContent } from './message-details';

/**
 * One record of the broker's firehose, as Warren reads it: `publish.<exchange>` with the queues
 * the broker routed to, `deliver.<queue>` with the consumer's connection and channel.
 */

/** The exchange RabbitMQ publishes its firehose to, in every vhost with tracing on. */
export const TRACE_EXCHANGE = 'amq.rabbitmq.trace';

export type PublishRecord = Extract<TraceRecord, { kind: 'publish' }>;
export type DeliverRecord = Extract<TraceRecord, { kind: 'deliver' }>;

export type TraceRecord =
  | {
      kind: 'publish';
      exchange: string;
      routingKey: string;
      routedQueues: string[];
      messageId: string | null;
      producerId: string | undefined;
      /** The consumer node that published it (an RPC reply, a republished failure). */
      consumerId: string | undefined;
      user: string;
      /** The broker's name of the publishing connection (`127.0.0.1:50312 -> 127.0.0.1:5672`). */
      connection: string;
      /** The channel's number on that connection. */
      channel: number;
      /** The message's own headers (x-death among them). */
      headers: Record<string, unknown>;
      /** Per-message TTL (the `expiration` property), when the publisher set one. */
      expiration: string | undefined;
      /** The `reply_to` property (a direct reply-to request's as the broker rewrote it). */
      replyTo: string | undefined;
      content: TracedContent;
    }
  | {
      kind: 'deliver';
      queue: string;
      messageId: string | null;
      redelivered: boolean;
      user: string;
      connection: string;
      channel: number;
      /** The exchange and routing key the message was last published (or dead-lettered) with. */
      exchange: string;
      routingKey: string;
      headers: Record<string, unknown>;
      content: TracedContent;
    };

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function table(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text) : [];
}

/** Whether a message of the observer queue came from the firehose (rather than a tap binding). */
export function isTrace(message: ConsumeMessage): boolean {
  return message.fields.exchange === TRACE_EXCHANGE;
}

/**
 * Reads one message of the broker's firehose (`amq.rabbitmq.trace`): `publish.<exchange>` carries
 * the broker's own routing outcome in `routed_queues`; `deliver.<queue>` a delivery to a consumer.
 */
export function parseTrace(message: ConsumeMessage): TraceRecord | undefined {
  const headers = table(message.properties.headers);
  const properties = table(headers.properties);
  const messageId = properties.message_id === undefined ? null : text(properties.message_id);
  const user = text(headers.user);
  const connection = text(headers.connection);
  const channel = typeof headers.channel === 'number' ? headers.channel : -1;
  const messageHeaders = table(properties.headers);
  const key = message.fields.routingKey;
  const exchange = text(headers.exchange_name);
  const routingKeys = list(headers.routing_keys);
  const content: TracedContent = { exchange, routingKeys, properties, body: message.content };
  if (key.startsWith('publish.')) {
    const producer = messageHeaders[PRODUCER_HEADER];
    const consumer = messageHeaders[CONSUMER_HEADER];
    return {
      kind: 'publish',
      exchange,
      routingKey: routingKeys[0] ?? '',
      routedQueues: list(headers.routed_queues),
      messageId,
      producerId: producer === undefined ? undefined : text(producer),
      consumerId: consumer === undefined ? undefined : text(consumer),
      user,
      connection,
      channel,
      headers: messageHeaders,
      expiration: properties.expiration === undefined ? undefined : text(properties.expiration),
      replyTo: properties.reply_to === undefined ? undefined : text(properties.reply_to),
      content,
    };
  }
  if (key.startsWith('deliver.')) {
    return {
      kind: 'deliver',
      queue: key.slice('deliver.'.length),
      messageId,
      redelivered: headers.redelivered === true || headers.redelivered === 1,
      user,
      connection,
      channel,
      exchange,
      routingKey: routingKeys[0] ?? '',
      headers: messageHeaders,
      content,
    };
  }
  return undefined;
}

/**
 * A channel as the firehose names it: the client port of its connection and the channel's
 * number. The broker names a connection `<client address>:<port> -> <server address>:<port>`.
 */
export function traceChannelKey(connection: string, channel: number): string | undefined {
  const port = clientPort(connection);
  return port === undefined || channel < 0 ? undefined : `${port}/${channel}`;
}

/** The same key for a channel this process opened. */
export function ownChannelKey(channel: Channel): string | undefined {
  // amqplib keeps the socket and the channel number on fields its typings leave out.
  const inner = channel as unknown as {
    ch?: unknown;
    connection?: { stream?: { localPort?: unknown } };
  };
  const port = inner.connection?.stream?.localPort;
  return typeof port === 'number' && typeof inner.ch === 'number'
    ? `${port}/${inner.ch}`
    : undefined;
}
