import { randomUUID } from 'node:crypto';
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import type { PublishRequest, PublishResponse, WarrenEvent } from '@warren/protocol';
import { PRODUCER_HEADER } from '../broker/message-headers';
import { ChannelSlot, openConfirmChannel } from '../broker/channel-slot';
import type { EventStream } from '../events/event-stream';
import { waitFor } from '../events/wait-for';
import { isNack, PublishError, publishFailure } from './publish-error';

/** How long a publish waits for the firehose to report where the broker routed it. */
const ROUTE_WAIT_MS = 3000;

export interface PublisherDeps {
  /** The session's connection, while it is up. */
  connection: () => ChannelModel | undefined;
  events: EventStream;
  /** The broker's name of a queue of the diagram (a server-named queue's `amq.gen-…`). */
  brokerQueueName: (queue: string) => string;
  /**
   * Why publishing is blocked right now (a resource alarm, or the broker blocked the session's
   * connection), in a sentence; undefined when it is not.
   */
  blocked: () => string | undefined;
}

/**
 * Publishes the messages of the publish form and answers with what the broker did: confirmed or
 * nacked, returned (mandatory and unroutable), and the queues it routed to, which only the
 * firehose tells. Each basic.return becomes a `returned` event.
 */
export class Publisher {
  private readonly channel: ChannelSlot<ConfirmChannel>;
  private readonly returns = new Map<string, { replyCode: number; replyText: string }>();

  constructor(private readonly deps: PublisherDeps) {
    this.channel = new ChannelSlot(deps.connection, openConfirmChannel, (channel) =>
      this.watchReturns(channel),
    );
  }

  /** The connection is new: so is its channel. */
  reset(): void {
    this.channel.reset();
  }

  private watchReturns(channel: ConfirmChannel): void {
    channel.on('return', (message: Message) => {
      const messageId = (message.properties.messageId as string | undefined) ?? null;
      const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
      const producer = headers[PRODUCER_HEADER];
      // A basic.return carries reply-code and reply-text, which amqplib's typings leave out.
      const fields = message.fields as Message['fields'] & { replyCode: number; replyText: string };
      const detail = { replyCode: fields.replyCode, replyText: fields.replyText };
      if (messageId !== null) this.returns.set(messageId, detail);
      this.deps.events.emit({
        type: 'returned',
        messageId,
        exchange: message.fields.exchange,
        routingKey: message.fields.routingKey,
        ...detail,
        ...(typeof producer === 'string' ? { producerId: producer } : {}),
      });
    });
  }

  /** Fails once the broker blocks the session's connection (connection.blocked). */
  private whenBlocked(): { promise: Promise<never>; cancel: () => void } {
    const model = this.deps.connection();
    let cancel = () => {};
    const promise = new Promise<never>((_resolve, reject) => {
      if (!model) return;
      const onBlocked = (reason: string) =>
        reject(
          new PublishError(
            'BROKER_BLOCKED',
            `RabbitMQ blocked publishing while this message was on its way (${reason}): the connection holds it, and the broker routes it once the alarm clears.`,
          ),
        );
      model.once('blocked', onBlocked);
      cancel = () => model.off('blocked', onBlocked);
    });
    promise.catch(() => {});
    return { promise, cancel: () => cancel() };
  }

  /** Publishes one message and answers with what the broker did with it. */
  async publish(request: PublishRequest): Promise<PublishResponse> {
    const messageId = request.messageId ?? randomUUID();
    const routingKey = request.routingKey ?? '';
    // The default exchange routes by queue name: the label of a server-named queue means its
    // broker name, as the diagram draws it.
    const brokerRoutingKey =
      request.exchange === '' ? this.deps.brokerQueueName(routingKey) : routingKey;
    // A blocked connection would hold the message and its confirm until the alarm clears.
    const blockedNow = this.deps.blocked();
    if (blockedNow !== undefined)
      throw new PublishError('BROKER_BLOCKED', `${blockedNow} Nothing was sent.`);
    const blocking = this.whenBlocked();
    const routed = waitFor(
      this.deps.events,
      (e): e is Extract<WarrenEvent, { type: 'routed' }> =>
        e.type === 'routed' && e.messageId === messageId,
      ROUTE_WAIT_MS,
    );
    let nacked = false;
    try {
      const published = this.channel.run(
        (channel) =>
          new Promise<void>((resolve, reject) => {
            channel.publish(
              request.exchange,
              brokerRoutingKey,
              Buffer.from(request.payload ?? ''),
              {
                messageId,
                mandatory: request.mandatory ?? false,
                contentType: 'text/plain',
                timestamp: Math.floor(Date.now() / 1000),
                headers: {
                  ...(request.headers ?? {}),
                  ...(request.producerId === undefined
                    ? {}
                    : { [PRODUCER_HEADER]: request.producerId }),
                },
              },
              (error: unknown) =>
                error
                  ? reject(error instanceof Error ? error : new Error('publish failed'))
                  : resolve(),
            );
          }),
      );
      // Blocked on the way: the connection holds the message; the request is answered now.
      published.catch(() => {});
      await Promise.race([published, blocking.promise]);
    } catch (error) {
      if (isNack(error)) nacked = true;
      else {
        routed.cancel();
        throw error instanceof PublishError ? error : publishFailure(error, request.exchange);
      }
    } finally {
      blocking.cancel();
    }
    if (request.producerId !== undefined)
      this.deps.events.emit({
        type: nacked ? 'nacked' : 'confirmed',
        messageId,
        producerId: request.producerId,
      });
    const event = await routed.promise;
    const returned = this.returns.get(messageId);
    this.returns.delete(messageId);
    if (!event) {
      throw new PublishError(
        'PUBLISH_TIMEOUT',
        'The broker confirmed the message, but its firehose did not report the routing in time.',
      );
    }
    return {
      messageId,
      exchange: request.exchange,
      routingKey,
      routedQueues: event.routedQueues,
      ...(returned ? { returned } : {}),
      confirmed: !nacked,
      ...(nacked ? { nacked } : {}),
    };
  }
}
