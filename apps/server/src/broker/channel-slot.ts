import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import { WarrenError } from '../errors/warren-error';

/**
 * A channel that may die. A broker refusal (404, 406) closes the channel, not the connection:
 * the slot forgets the dead channel, remembers why it closed, and opens a fresh one on next use.
 */
export class ChannelSlot<C extends Channel = Channel> {
  private channel: Promise<C> | undefined;
  /** Why the broker closed each channel: amqplib fails pending calls with a bare "channel closed". */
  private readonly closeReasons = new WeakMap<C, Error>();

  constructor(
    private readonly model: () => ChannelModel | undefined,
    /** Opens and sets up a channel: replayed for every new channel, after a reconnect too. */
    private readonly open: (model: ChannelModel) => Promise<C>,
    /** Sets a new channel up before it is handed out (listeners, tx.select); may refuse it. */
    private readonly onOpen?: (channel: C) => void | Promise<void>,
    /** The channel closed, with the broker's reason when it closed it. */
    private readonly onClose?: (channel: C, reason: Error | undefined) => void,
  ) {}

  async get(): Promise<C> {
    if (this.channel) return this.channel;
    const model = this.model();
    if (!model) throw new BrokerDisconnectedError();
    const opening = this.open(model).then(async (channel) => {
      // An unhandled 'error' event would crash the process; the close that follows frees the slot.
      channel.on('error', (error: Error) => this.closeReasons.set(channel, error));
      channel.once('close', () => {
        if (this.channel === opening) this.channel = undefined;
        this.onClose?.(channel, this.closeReasons.get(channel));
      });
      try {
        await this.onOpen?.(channel);
      } catch (error) {
        await channel.close().catch(() => {});
        throw this.reasonOf(channel) ?? error;
      }
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
      const reason = this.reasonOf(channel);
      if (reason === undefined && isEncodingError(error)) this.discard(channel);
      throw reason ?? error;
    }
  }

  /**
   * amqplib refuses to encode some values (a name over 255 bytes, a table over 64 KiB) only
   * after it has taken the channel's one reply slot, or queued a confirm: the channel would wait
   * forever. It is closed (the close goes out at once) and the next use opens another.
   */
  private discard(channel: C): void {
    void this.channel?.then((current) => {
      if (current === channel) this.channel = undefined;
    });
    void channel.close().catch(() => {});
  }

  /** Why the broker closed `channel`, if it did. */
  reasonOf(channel: C): Error | undefined {
    return this.closeReasons.get(channel);
  }

  /** Forgets the channel; the next use opens another. */
  reset(): void {
    this.channel = undefined;
  }

  /** Closes the channel of the moment, if one is open. */
  async close(): Promise<void> {
    const opening = this.channel;
    this.channel = undefined;
    await opening?.then((channel) => channel.close()).catch(() => {});
  }
}

/**
 * Several channels of one connection. amqplib waits for each reply before it sends the next
 * method on a channel, so independent declarations go faster side by side; a refusal still
 * closes only the channel of the operation that caused it.
 */
export class ChannelPool {
  private readonly slots: ChannelSlot[];

  constructor(model: () => ChannelModel | undefined, size: number) {
    this.slots = Array.from({ length: size }, () => new ChannelSlot(model, openChannel));
  }

  /** Runs `operation` once per item, at most one per channel at a time, and settles each. */
  async each<T, R>(
    items: readonly T[],
    operation: (channel: Channel, item: T) => Promise<R>,
  ): Promise<PromiseSettledResult<R>[]> {
    const results: PromiseSettledResult<R>[] = [];
    let next = 0;
    const work = async (slot: ChannelSlot) => {
      while (next < items.length) {
        const index = next++;
        const item = items[index] as T;
        try {
          results[index] = {
            status: 'fulfilled',
            value: await slot.run((ch) => operation(ch, item)),
          };
        } catch (reason) {
          results[index] = { status: 'rejected', reason };
        }
      }
    };
    await Promise.all(this.slots.slice(0, Math.min(this.slots.length, items.length)).map(work));
    return results;
  }

  reset(): void {
    for (const slot of this.slots) slot.reset();
  }
}

/** Errors amqplib throws while encoding a method, before anything reached the broker. */
function isEncodingError(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError;
}

export const openChannel = (model: ChannelModel): Promise<Channel> => model.createChannel();
export const openConfirmChannel = (model: ChannelModel): Promise<ConfirmChannel> =>
  model.createConfirmChannel();

export class BrokerDisconnectedError extends WarrenError {
  constructor() {
    super(
      'BROKER_UNAVAILABLE',
      'The session is not connected to RabbitMQ right now; it reconnects by itself.',
    );
    this.name = 'BrokerDisconnectedError';
  }
}
