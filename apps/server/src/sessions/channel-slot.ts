import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';

/**
 * A channel that may die. A broker refusal (404, 406) closes the channel, not the connection:
 * the slot forgets the dead channel and opens a fresh one on next use.
 */
export class ChannelSlot<C extends Channel = Channel> {
  private channel: Promise<C> | undefined;
  /** Why the broker closed each channel: amqplib fails pending calls with a bare "channel closed". */
  private readonly closeReasons = new WeakMap<C, Error>();

  constructor(
    private readonly model: () => ChannelModel | undefined,
    private readonly open: (model: ChannelModel) => Promise<C>,
    private readonly onOpen?: (channel: C) => void,
  ) {}

  async get(): Promise<C> {
    if (this.channel) return this.channel;
    const model = this.model();
    if (!model) throw new BrokerDisconnectedError();
    const opening = this.open(model).then((channel) => {
      // An unhandled 'error' event would crash the process; the close that follows frees the slot.
      channel.on('error', (error: Error) => this.closeReasons.set(channel, error));
      channel.once('close', () => {
        if (this.channel === opening) this.channel = undefined;
      });
      this.onOpen?.(channel);
      return channel;
    });
    this.channel = opening;
    opening.catch(() => {
      if (this.channel === opening) this.channel = undefined;
    });
    return opening;
  }

  /** Runs one operation; if the broker closes the channel for it, the error is rethrown as is. */
  async run<T>(operation: (channel: C) => Promise<T>): Promise<T> {
    const channel = await this.get();
    try {
      return await operation(channel);
    } catch (error) {
      throw this.closeReasons.get(channel) ?? error;
    }
  }

  reset(): void {
    this.channel = undefined;
  }
}

export const openChannel = (model: ChannelModel): Promise<Channel> => model.createChannel();
export const openConfirmChannel = (model: ChannelModel): Promise<ConfirmChannel> =>
  model.createConfirmChannel();

export class BrokerDisconnectedError extends Error {
  constructor() {
    super('Not connected to RabbitMQ.');
    this.name = 'BrokerDisconnectedError';
  }
}
