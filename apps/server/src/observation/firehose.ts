import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { ManagementClient } from '../broker/management';
import type { EventPayload, MessageProperties } from '@warren/protocol';
import type { EventStream } from '../events/event-stream';
import { DirectReplyTo, DIRECT_REPLY_QUEUE, requesterId, type Requester } from './direct-reply-to';
import { contentHash, MessageKeys, payloadPreview, traceProperties } from './message-details';
import { TraceGate } from './trace-gate';
import {
  isTrace,
  ownChannelKey,
  parseTrace,
  TRACE_EXCHANGE,
  traceChannelKey,
  type DeliverRecord,
  type PublishRecord,
  type TraceRecord,
} from './trace-record';

export * from './trace-record';

/**
 * The broker's firehose: with tracing on in a vhost, RabbitMQ publishes a record of every
 * publish (with the queues it routed to) and every delivery to `amq.rabbitmq.trace`. The
 * session's observer queue consumes it; each record becomes a `routed` or `delivered` event.
 */

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
type RoutedPayload = Extract<EventPayload, { type: 'routed' }>;
type DeliveredPayload = Extract<EventPayload, { type: 'delivered' }>;

export class Firehose {
  private observer: string | undefined;
  /** Consumer node id by the channel its deliveries come on (see `traceChannelKey`). */
  private readonly owners = new Map<string, string>();
  private readonly keys = new MessageKeys<MessageProperties>();
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

  /** The consumer node whose channel a record came on, if Warren's. */
  private ownerOf(record: TraceRecord): string | undefined {
    if (this.owners.size === 0) return undefined;
    const key = traceChannelKey(record.connection, record.channel);
    return key === undefined ? undefined : this.owners.get(key);
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
    const messageKey = this.keys.published(
      contentHash(record.content),
      record.routedQueues,
      properties,
    );
    // Guarded here: the closure would otherwise be made for every publish.
    if (record.replyTo !== undefined)
      this.directReplies.request(record.replyTo, () => this.requesterOf(record, clientId));
    const replyTo = this.directReplies.requesterOf(record.exchange, record.routingKey);
    const event: RoutedPayload = {
      type: 'routed',
      messageId: record.messageId,
      exchange: record.exchange,
      routingKey: record.routingKey,
      routedQueues: record.routedQueues.map((q) => this.deps.toDiagram(q)),
      outside,
      messageKey,
      payload: payloadPreview(record.content.body),
    };
    if (record.producerId !== undefined) event.producerId = record.producerId;
    // Only Warren's own publishes are taken at their header's word.
    if (!outside && record.consumerId !== undefined) event.consumerId = record.consumerId;
    if (clientId !== undefined) event.outsideClientId = clientId;
    if (replyTo !== undefined) event.directReplyTo = requesterId(replyTo);
    if (properties !== undefined) event.properties = properties;
    this.deps.events.emitFresh(event);
    if (replyTo !== undefined) this.deliveredReply(record, replyTo, messageKey, properties);
    if (record.routedQueues.length > 0) this.readers.queuesChanged();
  }

  /** A consumer node's id when Warren publishes on its channel, else the outside client's. */
  private requesterOf(record: PublishRecord, clientId: string | undefined): Requester {
    const consumerId = this.ownerOf(record);
    if (consumerId !== undefined) return { consumerId };
    return { outsideClientId: clientId ?? record.connection };
  }

  /** The broker traces no delivery of a direct reply: it went to the requester's channel. */
  private deliveredReply(
    record: PublishRecord,
    requester: Requester,
    messageKey: string,
    properties: MessageProperties | undefined,
  ): void {
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
    const consumerId = this.ownerOf(record);
    const clientId = outside ? this.readers.outsideClientId(record) : undefined;
    const message = this.keys.delivery(
      record.queue,
      contentHash(record.content),
      record.redelivered,
    );
    // The same content as its publish, so the same properties; worked out only when unmatched.
    const properties = message.unmatched
      ? traceProperties(record.content.properties)
      : message.detail;
    // Built field by field: conditional spreads cost an object each, on every delivery.
    const event: DeliveredPayload = {
      type: 'delivered',
      messageId: record.messageId,
      queue: this.deps.toDiagram(record.queue),
      redelivered: record.redelivered,
      messageKey: message.key,
    };
    if (consumerId !== undefined) event.consumerId = consumerId;
    if (clientId !== undefined) event.outsideClientId = clientId;
    if (properties !== undefined) event.properties = properties;
    this.deps.events.emitFresh(event);
    this.readers.queuesChanged();
  }
}
