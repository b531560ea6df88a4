import type { Message } from 'amqplib';
import type { Producer } from '@warren/topology';
import type {
  EventPayload,
  ProducerOutboxResponse,
  ProducerSendResult,
  ProducerState,
  ProducerStatus,
  ProducerTally,
  WarrenEvent,
} from '@warren/protocol';
import type { BrokerRefusal } from '../../broker/amqp-errors';
import type { ConnectionLog } from '../../broker/connection';
import type { ManagementClient } from '../../broker/management';
import { StateThrottle } from '../state-throttle';
import { OneShotSends, type ObservePublication } from './one-shot-send';
import type { OpenChannel } from './publish-channel';
import { ProducerConnection } from './producer-connection';
import { PublishRate } from './publish-rate';
import { buildPublication, channelModeOf, type Outcome, type Publication } from './publication';
import { ReliableOutbox } from './reliable-outbox';
import {
  ProducerConnectionError,
  ProducerSettingsError,
  RepeatedNodeErrors,
  describePublishRefusal,
} from './producer-errors';

export { channelModeOf, type ChannelMode } from './publication';

/** What a producer needs from the session it runs in. */
export interface ProducerHost {
  sessionId: string;
  vhost: string;
  /** AMQP URL of the broker without a vhost; the producer appends the session's. */
  amqpUrl: string;
  events: {
    emit: (event: EventPayload) => unknown;
    listen: (listener: (event: WarrenEvent) => void) => () => void;
  };
  management: ManagementClient;
  /** The broker's name of a queue of the diagram (a server-named queue has a label there). */
  brokerQueueName: (queue: string) => string;
  log: ConnectionLog;
}

/** At most 10 producer-state events a second; the last change is always sent. */
const STATE_INTERVAL_MS = 100;
/** How long a producer whose connection was lost waits before it waits for the connection. */
const RESUME_DELAY_MS = 250;

/**
 * Errors of a lost connection or channel (not a broker refusal): what a broker restart, a
 * network cut or a forced close makes a publish meet.
 */
function isConnectionLoss(error: unknown): boolean {
  if (error instanceof ProducerConnectionError) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /connection (closed|lost|ended)|channel (closed|ended)|CONNECTION_FORCED|ECONNREFUSED|ECONNRESET|EPIPE|socket|heartbeat|broker shutdown/i.test(
    message,
  );
}

/**
 * A producer node run by Warren: its own AMQP connection (opened on first use, named so the
 * broker and the fault tools can tell it apart, and back by itself after a loss), one-shot sends
 * and a continuous rate that goes on after a reconnect, exact counters, and for a reliable
 * producer an outbox of messages re-sent until confirmed.
 */
export class RunningProducer {
  private settings: Producer;
  private index: number;
  private readonly counters = { sent: 0, confirmed: 0, nacked: 0, returned: 0 };
  /** Messages built so far; `{{n}}` of the next one is this plus one. */
  private built = 0;
  private status: ProducerStatus = 'idle';
  private error: string | undefined;
  private readonly connection: ProducerConnection;
  private readonly outbox: ReliableOutbox;
  private readonly rate: PublishRate;
  private readonly sends: OneShotSends;
  private readonly stateEvents = new StateThrottle(() => this.emitState(), STATE_INTERVAL_MS);
  private readonly nodeErrors: RepeatedNodeErrors;
  private closed = false;
  private resumeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: ProducerHost,
    producer: Producer,
    index: number,
  ) {
    this.settings = producer;
    this.index = index;
    this.connection = new ProducerConnection(
      host,
      `warren:${host.sessionId}:producer:${producer.id}`,
      () => this.settings,
      {
        mode: () => channelModeOf(this.settings),
        onReturn: (message) => this.onReturn(message),
        onRefused: (refusal) => this.refused(refusal),
        changed: () => this.stateChanged(),
      },
    );
    this.outbox = new ReliableOutbox({
      channel: () => this.connection.now(),
      transmit: (open, publication) => this.transmit(open, publication),
      drained: (open, goOn) => this.connection.channel.drained(open, () => goOn() && !this.closed),
      commit: (open) => this.connection.channel.commit(open),
      stateChanged: () => this.stateChanged(),
    });
    this.outbox.configure(producer.outbox);
    this.rate = new PublishRate(
      (signal) => this.connection.whenConnected(signal),
      () => ({ ratePerSecond: this.settings.ratePerSecond ?? 0, burst: this.settings.burst ?? 1 }),
      (count, signal) => this.publishBatch(count, () => !signal.aborted, signal),
      (error) => this.fail(error),
    );
    this.sends = new OneShotSends(() => this.id, host.events);
    this.nodeErrors = new RepeatedNodeErrors((event) => host.events.emit(event));
  }

  get id(): string {
    return this.settings.id;
  }

  get connectionName(): string {
    return this.connection.name;
  }

  private get label(): string {
    return this.settings.name || this.settings.id;
  }

  /** New settings from an applied diagram; a running producer follows them from its next tick. */
  configure(producer: Producer, index: number): void {
    const before = this.settings;
    this.settings = producer;
    this.index = index;
    if (channelModeOf(before) !== channelModeOf(producer)) this.connection.channel.retire();
    if (JSON.stringify(before.outbox) !== JSON.stringify(producer.outbox))
      this.outbox.configure(producer.outbox);
    if (before.ratePerSecond !== producer.ratePerSecond || before.burst !== producer.burst)
      this.rate.repace();
    if (this.status === 'running' && !((producer.ratePerSecond ?? 0) > 0)) {
      void this.stop();
      return;
    }
    if (JSON.stringify(before) !== JSON.stringify(producer)) this.stateChanged();
  }

  /** Adds the counts kept from before a restart of the server. */
  restoreCounts(kept: ProducerTally): void {
    this.counters.sent += kept.sent;
    this.counters.confirmed += kept.confirmed;
    this.counters.nacked += kept.nacked;
    this.counters.returned += kept.returned;
    this.stateChanged();
  }

  state(): ProducerState {
    const rate = this.settings.ratePerSecond;
    const outbox = this.outbox.counts();
    return {
      producerId: this.settings.id,
      status: this.status,
      running: this.status === 'running',
      ...this.counters,
      connected: this.connection.connected,
      mode: channelModeOf(this.settings),
      ...(rate === undefined ? {} : { ratePerSecond: rate }),
      ...(outbox ? { outbox } : {}),
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }

  outboxTable(): ProducerOutboxResponse {
    return this.outbox.table(this.settings.id);
  }

  /** Starts sending at the producer's rate; a running producer is left as it is. */
  start(): void {
    if (this.closed || this.status === 'running') return;
    if (!((this.settings.ratePerSecond ?? 0) > 0)) {
      throw new ProducerSettingsError(
        `Producer '${this.label}' has no rate: set messages per second (ratePerSecond) above 0 to run it continuously, or use send.`,
        `/producers/${this.index}/ratePerSecond`,
      );
    }
    this.status = 'running';
    this.error = undefined;
    this.rate.start();
    this.stateChanged();
  }

  /** Stops sending; resolves once the tick under way has been handed to the broker. */
  async stop(): Promise<void> {
    if (this.status === 'running') this.status = 'idle';
    await this.rate.stop();
    this.stateChanged();
  }

  /**
   * A running producer that cannot go on stops with status error and says why; one whose
   * connection was lost (the broker restarting, a network cut) stays running, says why, and
   * goes on by itself once its connection is back.
   */
  private fail(error: unknown, lost = isConnectionLoss(error)): void {
    const message = error instanceof Error ? error.message : String(error);
    if (lost && !this.closed && this.status === 'running') {
      this.host.log.debug({ err: error, producer: this.id }, 'producer waits for its connection');
      this.error = message;
      this.stateChanged();
      clearTimeout(this.resumeTimer);
      this.resumeTimer = setTimeout(() => {
        // The loop first waits for the connection to be up again.
        if (!this.closed && this.status === 'running') this.rate.start();
      }, RESUME_DELAY_MS);
      this.resumeTimer.unref();
      return;
    }
    this.host.log.debug({ err: error, producer: this.id }, 'producer stopped by an error');
    this.rate.halt();
    this.status = 'error';
    this.error = message;
    this.stateChanged();
  }

  /** Sends `count` messages with the producer's settings and reports what became of each. */
  async send(count: number): Promise<ProducerSendResult[]> {
    try {
      const results = await this.sends.collect((observe) =>
        this.publishBatch(count, () => true, undefined, observe),
      );
      if (this.status === 'error' && results.every((r) => r.error === undefined)) {
        this.status = 'idle';
        this.error = undefined;
      }
      return results;
    } catch (error) {
      if (error instanceof ProducerConnectionError) this.error = error.message;
      throw error;
    } finally {
      this.stateChanged();
    }
  }

  /**
   * Builds and publishes `count` new messages on the producer's channel, waiting for 'drain'
   * whenever the channel's buffer is full; with transactions, commits them as one. With
   * `running`, a lost connection is waited out (until the signal aborts); without, one attempt
   * to connect is made and its failure thrown.
   */
  private async publishBatch(
    count: number,
    goOn: () => boolean,
    running?: AbortSignal,
    observe?: ObservePublication,
  ): Promise<void> {
    const open = running
      ? await this.connection.whenConnected(running)
      : await this.connection.now();
    if (!open) return;
    for (let i = 0; i < count && goOn(); i++) {
      this.built += 1;
      const publication = buildPublication(this.settings, this.built, this.host.brokerQueueName);
      this.outbox.add(publication);
      const { outcome, full } = this.transmit(open, publication);
      observe?.(publication, outcome);
      if (full) await this.connection.channel.drained(open, () => goOn() && !this.closed);
    }
    if (open.mode === 'transactions') await this.connection.channel.commit(open);
  }

  /** One basic.publish; the outcome settles when the broker confirms, nacks or commits it. */
  private transmit(
    open: OpenChannel,
    publication: Publication,
  ): { outcome: Promise<Outcome>; full: boolean } {
    publication.attempts += 1;
    const attempt = publication.attempts;
    let settle: (outcome: Outcome) => void = () => {};
    const outcome = new Promise<Outcome>((resolve) => {
      settle = (o) => {
        this.settle(publication, attempt, o);
        resolve(o);
      };
    });
    const { sent, full } = this.connection.channel.publish(open, publication, settle);
    if (sent) {
      this.counters.sent += 1;
      // Sending again after a lost connection: the outage is over.
      if (this.status === 'running' && this.error !== undefined) this.error = undefined;
      this.stateChanged();
    }
    return { outcome, full };
  }

  /** Counts the outcome of one send, tells the canvas, and moves the outbox on. */
  private settle(publication: Publication, attempt: number, outcome: Outcome): void {
    const { messageId } = publication;
    switch (outcome.kind) {
      case 'confirmed':
        this.counters.confirmed += 1;
        this.host.events.emit({ type: 'confirmed', messageId, producerId: this.id });
        this.outbox.confirmed(messageId);
        break;
      case 'nacked':
        this.counters.nacked += 1;
        this.host.events.emit({ type: 'nacked', messageId, producerId: this.id });
        this.outbox.notConfirmed(publication, attempt, 'nacked by the broker');
        break;
      case 'lost':
        this.outbox.notConfirmed(publication, attempt, outcome.error);
        break;
      case 'sent':
        break;
    }
    this.stateChanged();
  }

  private onReturn(message: Message): void {
    const messageId = (message.properties.messageId as string | undefined) ?? null;
    // A basic.return carries reply-code and reply-text, which amqplib's typings leave out.
    const fields = message.fields as Message['fields'] & { replyCode: number; replyText: string };
    const detail = { replyCode: fields.replyCode, replyText: fields.replyText };
    this.counters.returned += 1;
    this.host.events.emit({
      type: 'returned',
      messageId,
      exchange: message.fields.exchange,
      routingKey: message.fields.routingKey,
      ...detail,
      producerId: this.id,
    });
    if (messageId !== null) this.sends.returned(messageId, detail);
    this.stateChanged();
  }

  /** The broker refused a publish: the node says why, and a running producer stops. */
  private refused(refusal: BrokerRefusal): void {
    const message = describePublishRefusal(this.settings, refusal);
    this.error = message;
    if (this.status === 'running') this.fail(new Error(message), false);
    else this.status = 'error';
    this.nodeErrors.report({
      nodeId: this.id,
      path: `/producers/${this.index}`,
      code: refusal.code,
      message,
      brokerMessage: refusal.brokerMessage,
    });
    this.stateChanged();
  }

  /**
   * Closes the producer's connection from the broker's side, so the producer meets a
   * CONNECTION_FORCED like a real application, and comes back by itself. False when it had none.
   */
  async closeConnection(): Promise<boolean> {
    return this.connection.closeFromBroker();
  }

  private stateChanged(): void {
    if (!this.closed) this.stateEvents.changed();
  }

  private emitState(): void {
    const state = this.state();
    this.host.events.emit({
      type: 'producer-state',
      producerId: state.producerId,
      running: state.running,
      status: state.status,
      ...(state.error === undefined ? {} : { error: state.error }),
      sent: state.sent,
      confirmed: state.confirmed,
      nacked: state.nacked,
      returned: state.returned,
      ...(state.outbox ? { outbox: state.outbox } : {}),
    });
  }

  /** Stops for good: the loop, the outbox, the connection; the last counts are sent. */
  async close(): Promise<void> {
    clearTimeout(this.resumeTimer);
    await this.stop();
    this.stateEvents.flush();
    this.closed = true;
    await this.outbox.close();
    await this.connection.close();
  }
}
