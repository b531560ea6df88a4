import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { ChannelSlot, openConfirmChannel } from '../../broker/channel-slot';

/**
 * One consumer's hold on the broker: a channel on its own connection (or on the session's, for
 * an exclusive queue) and the deliveries waiting for it. Once lost, a link is never reused: the
 * next one is opened on whatever connection is up by then.
 */
export class Link {
  readonly abort = new AbortController();
  consumerTag: string | undefined;
  /** basic.consume is in flight: its failure is reported by consume(), not by the close. */
  subscribing = false;
  /** Warren closes it on purpose (stop, kill, a fault): the close is not a loss. */
  closing = false;
  closeReason: Error | undefined;
  readonly backlog: ConsumeMessage[] = [];
  working = false;
  /** Replies and republishes; a refusal there closes this channel and leaves the consumer alone. */
  private readonly publisher: ChannelSlot<ConfirmChannel>;

  constructor(
    readonly model: ChannelModel,
    /** The connection is the consumer's own, not the session's. */
    readonly own: boolean,
    readonly channel: Channel,
  ) {
    // An unhandled 'error' would crash the process; the 'close' that follows is what counts.
    channel.on('error', (error: Error) => (this.closeReason = error));
    this.publisher = new ChannelSlot(() => model, openConfirmChannel);
  }

  get alive(): boolean {
    return !this.abort.signal.aborted;
  }

  /** Publishes and waits for the broker's confirm; a refusal is thrown with the broker's words. */
  publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<void> {
    return this.publisher.run(
      (channel) =>
        new Promise<void>((resolve, reject) => {
          channel.publish(exchange, routingKey, content, options, (error: unknown) =>
            error
              ? reject(error instanceof Error ? error : new Error('publish failed'))
              : resolve(),
          );
        }),
    );
  }

  /** Closes the link's channels; the connection under them is not the link's to close. */
  async close(): Promise<void> {
    this.closing = true;
    this.abort.abort();
    await Promise.all([this.channel.close().catch(() => {}), this.publisher.close()]);
  }
}
