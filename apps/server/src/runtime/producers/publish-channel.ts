import type { Channel, ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { brokerRefusal, type BrokerRefusal } from '../../broker/amqp-errors';
import { ChannelSlot } from '../../broker/channel-slot';
import type { ChannelMode, Outcome, Publication } from './publication';

/** amqplib has no tx.select / tx.commit of its own; its channels can speak any method by rpc. */
interface RpcChannel {
  rpc: (method: number, fields: object, expect: number) => Promise<unknown>;
}
const TX_SELECT = (90 << 16) | 10;
const TX_SELECT_OK = (90 << 16) | 11;
const TX_COMMIT = (90 << 16) | 20;
const TX_COMMIT_OK = (90 << 16) | 21;

/** A channel of the producer as it was opened, in one mode. */
export interface OpenChannel {
  channel: Channel;
  mode: ChannelMode;
  closed: boolean;
  /** With transactions: outcomes waiting for the next tx.commit. */
  uncommitted: ((outcome: Outcome) => void)[];
  whenClosed: Promise<void>;
}

export interface PublishChannelHooks {
  /** The mode the next channel opens in. */
  mode: () => ChannelMode;
  onReturn: (message: Message) => void;
  /** The broker closed the channel for a publish it refused. */
  onRefused: (refusal: BrokerRefusal) => void;
  /** Why the connection under the channel went down, if it did. */
  connectionError: () => Error | undefined;
}

/**
 * The producer's channel, in its mode: publisher confirms, transactions (tx.select) or plain.
 * A refusal closes it and is told to the node; the next publish opens a fresh one, on whatever
 * connection is up by then.
 */
export class PublishChannel {
  private readonly slot: ChannelSlot;
  private readonly opened = new WeakMap<Channel, OpenChannel & { closedNow: () => void }>();
  private current: OpenChannel | undefined;

  constructor(
    model: () => ChannelModel | undefined,
    private readonly hooks: PublishChannelHooks,
  ) {
    this.slot = new ChannelSlot(
      model,
      (m) => this.open(m),
      (channel) => this.setUp(channel),
      (channel) => this.closed(channel),
    );
  }

  async get(): Promise<OpenChannel> {
    const open = this.record(await this.slot.get());
    this.current = open;
    return open;
  }

  private async open(model: ChannelModel): Promise<Channel> {
    const mode = this.hooks.mode();
    const channel =
      mode === 'confirms' ? await model.createConfirmChannel() : await model.createChannel();
    let closedNow = () => {};
    const whenClosed = new Promise<void>((resolve) => (closedNow = resolve));
    this.opened.set(channel, {
      channel,
      mode,
      closed: false,
      uncommitted: [],
      whenClosed,
      closedNow,
    });
    return channel;
  }

  private async setUp(channel: Channel): Promise<void> {
    channel.on('return', (message: Message) => this.hooks.onReturn(message));
    if (this.record(channel).mode === 'transactions') {
      await (channel as unknown as RpcChannel).rpc(TX_SELECT, {}, TX_SELECT_OK);
    }
  }

  private record(channel: Channel): OpenChannel & { closedNow: () => void } {
    const open = this.opened.get(channel);
    if (!open) throw new Error('a channel the producer did not open');
    return open;
  }

  private closed(channel: Channel): void {
    const open = this.record(channel);
    open.closed = true;
    open.closedNow();
    if (this.current === open) this.current = undefined;
    // Outcomes of uncommitted messages are lost with the channel.
    const waiting = open.uncommitted;
    open.uncommitted = [];
    const reason = this.lostReason(open, new Error('channel closed'));
    for (const settle of waiting) settle({ kind: 'lost', error: reason });
    const refusal = brokerRefusal(this.slot.reasonOf(channel));
    if (refusal) this.hooks.onRefused(refusal);
  }

  /**
   * One basic.publish; `settle` is called when the broker confirms, nacks or commits it, or the
   * channel is lost first. False when the channel was already closed: the message never left.
   */
  publish(
    open: OpenChannel,
    publication: Publication,
    settle: (outcome: Outcome) => void,
  ): { sent: boolean; full: boolean } {
    const { exchange, brokerRoutingKey, content, options } = publication;
    try {
      if (open.mode === 'confirms') {
        const full = !(open.channel as ConfirmChannel).publish(
          exchange,
          brokerRoutingKey,
          content,
          options,
          (error: unknown) => {
            if (error === null || error === undefined) settle({ kind: 'confirmed' });
            // amqplib reports a basic.nack as this error, and a lost channel as any other.
            else if (error instanceof Error && error.message === 'message nacked')
              settle({ kind: 'nacked' });
            else settle({ kind: 'lost', error: this.lostReason(open, error) });
          },
        );
        return { sent: true, full };
      }
      const full = !open.channel.publish(exchange, brokerRoutingKey, content, options);
      if (open.mode === 'transactions') open.uncommitted.push(settle);
      else settle({ kind: 'sent' });
      return { sent: true, full };
    } catch (error) {
      settle({ kind: 'lost', error: this.lostReason(open, error) });
      return { sent: false, full: false };
    }
  }

  async commit(open: OpenChannel): Promise<void> {
    const waiting = open.uncommitted;
    open.uncommitted = [];
    if (waiting.length === 0) return;
    try {
      await (open.channel as unknown as RpcChannel).rpc(TX_COMMIT, {}, TX_COMMIT_OK);
      for (const settle of waiting) settle({ kind: 'confirmed' });
    } catch (error) {
      const reason = this.lostReason(open, error);
      for (const settle of waiting) settle({ kind: 'lost', error: reason });
    }
  }

  /** Waits for the channel's buffer to empty (or the channel to close, or `goOn` to say stop). */
  async drained(open: OpenChannel, goOn: () => boolean): Promise<void> {
    let onDrain = () => {};
    let check: NodeJS.Timeout | undefined;
    const drain = new Promise<void>((resolve) => {
      onDrain = () => resolve();
      open.channel.once('drain', onDrain);
    });
    const stopped = new Promise<void>((resolve) => {
      check = setInterval(() => {
        if (!goOn()) resolve();
      }, 50);
    });
    try {
      await Promise.race([drain, open.whenClosed, stopped]);
    } finally {
      clearInterval(check);
      open.channel.removeListener('drain', onDrain);
    }
  }

  /** Why a send on `open` was lost, in the broker's words when it said any. */
  lostReason(open: OpenChannel, error: unknown): string {
    const reason = this.slot.reasonOf(open.channel) ?? this.hooks.connectionError();
    if (reason) {
      const refusal = brokerRefusal(reason);
      return refusal ? refusal.brokerMessage : reason.message;
    }
    return error instanceof Error ? error.message : String(error);
  }

  /** A channel of the old mode closes once its messages are settled; the next opens in the new. */
  retire(): void {
    const open = this.current;
    this.current = undefined;
    this.slot.reset();
    if (!open || open.closed) return;
    const settled =
      open.mode === 'confirms'
        ? (open.channel as ConfirmChannel).waitForConfirms()
        : this.commit(open);
    void settled
      .catch(() => {})
      .finally(() => {
        if (!open.closed) open.channel.close().catch(() => {});
      });
  }
}
