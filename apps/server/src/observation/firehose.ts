import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { ManagementClient } from '../broker/management';
import { PRODUCER_HEADER } from '../broker/message-headers';
import type { EventStream } from '../events/event-stream';
import { DirectReplyTo, DIRECT_REPLY_QUEUE, requesterId, type Requester } from './direct-reply-to';
import { contentHash, MessageKeys, traceProperties, type TracedContent } from './message-details';
import { TraceGate } from './trace-gate';

/**
 * The broker's firehose: with tracing on in a vhost, RabbitMQ publishes a record of every
 * publish (with the queues it routed to) and every delivery to `amq.rabbitmq.trace`. The
 * session's observer queue consumes it; each record becomes a `routed` or `delivered` event.
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
  const content: TracedContent = {
    exchange: text(headers.exchange_name),
    routingKeys: list(headers.routing_keys),
    properties,
    body: message.content,
  };
  if (key.startsWith('publish.')) {
    const producer = messageHeaders[PRODUCER_HEADER];
    return {
      kind: 'publish',
      exchange: text(headers.exchange_name),
      routingKey: list(headers.routing_keys)[0] ?? '',
      routedQueues: list(headers.routed_queues),
      messageId,
      producerId: producer === undefined ? undefined : text(producer),
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
      exchange: text(headers.exchange_name),
      routingKey: list(headers.routing_keys)[0] ?? '',
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
  const port = /:(\d+) -> /.exec(connection)?.[1];
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

export interface FirehoseDeps {
  readonly id: string;
  readonly vhost: string;
  readonly events: EventStream;
  management: ManagementClient;
  log: { warn: (obj: object, msg: string) => void };
  /** A queue's broker name as the diagram says it (the label of a server-named queue). */
  toDiagram: (brokerName: string) => string;
}

/** What the rest of observation takes from the firehose, before each event goes out. */
export interface FirehoseReaders {
  /** A message the observer queue got through a dead-letter tap, not from the firehose. */
  copy(message: ConsumeMessage): void;
  /** A publish; `copied` when the broker also routed it to the observer queue. */
  published(record: PublishRecord, copied: boolean): void;
  delivered(record: DeliverRecord): void;
  /** Whether a record came from a client outside Warren. */
  isOutside(record: TraceRecord): boolean;
  /** The node id of the outside client of a record, announced before it is named. */
  outsideClientId(record: TraceRecord): string | undefined;
  /** Whether a record can be reported now (else it waits for its client, see trace-gate.ts). */
  ready(record: TraceRecord): boolean;
  /** Messages entered or left queues: their depths are worth reading soon. */
  queuesChanged(): void;
  /** Of the queues the firehose lists as routed, those that exist (see existing-queues.ts). */
  existing(brokerNames: string[]): string[] | Promise<string[]>;
}

type Item = ConsumeMessage | TraceRecord;

export class Firehose {
  private observer: string | undefined;
  /** Consumer node id by the channel its deliveries come on (see `traceChannelKey`). */
  private readonly owners = new Map<string, string>();
  private readonly keys = new MessageKeys();
  private readonly directReplies = new DirectReplyTo();
  /** Records of a client not announced yet wait here (see trace-gate.ts). */
  private readonly gate = new TraceGate<Item>(
    (item) => !('kind' in item) || this.readers.ready(item),
    (item) => this.inOrder(item),
  );
  /** Records wait here, in order, while one waits for the broker to say which queues exist. */
  private backlog: Promise<void> | undefined;

  constructor(
    private readonly deps: FirehoseDeps,
    private readonly readers: FirehoseReaders,
  ) {}

  /** The exclusive queue the firehose is consumed from (and the dead-letter taps bound to). */
  get observerQueue(): string | undefined {
    return this.observer;
  }

  /** On every (re)connect: tracing on, the observer queue declared, bound and consumed. */
  async declare(model: ChannelModel): Promise<string> {
    // Tracing is per vhost and off again after a broker restart.
    await this.deps.management.enableTracing(this.deps.vhost);
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.deps.log.warn({ err: error, session: this.deps.id }, 'firehose channel error'),
    );
    const { queue } = await channel.assertQueue('', {
      exclusive: true,
      autoDelete: true,
      durable: false,
    });
    await channel.bindQueue(queue, TRACE_EXCHANGE, '#');
    await channel.consume(queue, (message) => message && this.onMessage(message), {
      noAck: true,
    });
    this.observer = queue;
    return queue;
  }

  /**
   * Deliveries on `channel` are this consumer node's, so the broker's trace of each names it;
   * returns the undo.
   */
  claimChannel(channel: Channel, consumerId: string): () => void {
    const key = ownChannelKey(channel);
    if (key === undefined) return () => {};
    this.owners.set(key, consumerId);
    return () => {
      if (this.owners.get(key) === consumerId) this.owners.delete(key);
    };
  }

  private onMessage(message: ConsumeMessage): void {
    const record = isTrace(message) ? parseTrace(message) : message;
    if (record) this.gate.push(record);
  }

  /** A client became known: records that waited for it go on. */
  release(): void {
    this.gate.flush();
  }

  /** Handles records in the order the broker sent them, even when one has to wait. */
  private inOrder(item: Item): void {
    const handled = this.backlog ? this.backlog.then(() => this.handle(item)) : this.handle(item);
    if (!handled) return;
    const tracked: Promise<void> = handled
      .catch((error: unknown) =>
        this.deps.log.warn({ err: error, session: this.deps.id }, 'firehose record failed'),
      )
      .finally(() => {
        if (this.backlog === tracked) this.backlog = undefined;
      });
    this.backlog = tracked;
  }

  private handle(item: Item): Promise<void> | undefined {
    if (!('kind' in item)) this.readers.copy(item);
    else if (item.kind === 'publish') return this.onPublish(item);
    else this.onDeliver(item);
    return undefined;
  }

  private onPublish(record: PublishRecord): Promise<void> | undefined {
    const observer = this.observer;
    // Warren's own observer queue is never one of the routed queues a learner sees.
    const copied = observer !== undefined && record.routedQueues.includes(observer);
    if (copied) record.routedQueues = record.routedQueues.filter((q) => q !== observer);
    // A queue the broker listed but does not have was not reached (the default exchange).
    const existing = this.readers.existing(record.routedQueues);
    if (!Array.isArray(existing))
      return existing.then((queues) => this.routed({ ...record, routedQueues: queues }, copied));
    record.routedQueues = existing;
    this.routed(record, copied);
    return undefined;
  }

  private routed(record: PublishRecord, copied: boolean): void {
    this.readers.published(record, copied);
    const outside = this.readers.isOutside(record);
    const clientId = outside ? this.readers.outsideClientId(record) : undefined;
    const properties = traceProperties(record.content.properties);
    const messageKey = this.keys.published(contentHash(record.content), record.routedQueues);
    this.directReplies.request(record.replyTo, () => this.requesterOf(record, clientId));
    const replyTo = this.directReplies.requesterOf(record.exchange, record.routingKey);
    this.deps.events.emit({
      type: 'routed',
      messageId: record.messageId,
      exchange: record.exchange,
      routingKey: record.routingKey,
      routedQueues: record.routedQueues.map((q) => this.deps.toDiagram(q)),
      ...(record.producerId === undefined ? {} : { producerId: record.producerId }),
      outside,
      ...(clientId === undefined ? {} : { outsideClientId: clientId }),
      ...(replyTo === undefined ? {} : { directReplyTo: requesterId(replyTo) }),
      messageKey,
      ...(properties === undefined ? {} : { properties }),
    });
    if (replyTo !== undefined) this.deliveredReply(record, replyTo, messageKey);
    if (record.routedQueues.length > 0) this.readers.queuesChanged();
  }

  /** A consumer node's id when Warren publishes on its channel, else the outside client's. */
  private requesterOf(record: PublishRecord, clientId: string | undefined): Requester {
    const key = traceChannelKey(record.connection, record.channel);
    const consumerId = key === undefined ? undefined : this.owners.get(key);
    if (consumerId !== undefined) return { consumerId };
    return { outsideClientId: clientId ?? record.connection };
  }

  /** The broker traces no delivery of a direct reply: it went to the requester's channel. */
  private deliveredReply(record: PublishRecord, requester: Requester, messageKey: string): void {
    const properties = traceProperties(record.content.properties);
    this.deps.events.emit({
      type: 'delivered',
      messageId: record.messageId,
      queue: DIRECT_REPLY_QUEUE,
      redelivered: false,
      ...requester,
      messageKey,
      ...(properties === undefined ? {} : { properties }),
    });
  }

  private onDeliver(record: DeliverRecord): void {
    if (record.queue === this.observer) return;
    this.readers.delivered(record);
    const outside = this.readers.isOutside(record);
    const key = traceChannelKey(record.connection, record.channel);
    const consumerId = key === undefined ? undefined : this.owners.get(key);
    const clientId = outside ? this.readers.outsideClientId(record) : undefined;
    const hash = contentHash(record.content);
    const properties = traceProperties(record.content.properties);
    this.deps.events.emit({
      type: 'delivered',
      messageId: record.messageId,
      queue: this.deps.toDiagram(record.queue),
      redelivered: record.redelivered,
      ...(consumerId === undefined ? {} : { consumerId }),
      ...(clientId === undefined ? {} : { outsideClientId: clientId }),
      messageKey: this.keys.deliveredFrom(record.queue, hash, record.redelivered),
      ...(properties === undefined ? {} : { properties }),
    });
    this.readers.queuesChanged();
  }
}
