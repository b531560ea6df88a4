import { randomUUID } from 'node:crypto';
import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type Message,
  type Options,
} from 'amqplib';
import {
  Outbox,
  planTicks,
  producerMessage,
  tickAt,
  type OutboxSettings,
  type Producer,
} from '@warren/topology';
import type {
  NodeError,
  ProducerOutboxResponse,
  ProducerSendResult,
  ProducerState,
  ProducerStatus,
} from '@warren/protocol';
import { brokerRefusal, type BrokerRefusal } from '../../broker/amqp-errors';
import type { ManagementClient } from '../../broker/management';
import type { EventStream } from '../../events/event-stream';
import { PRODUCER_HEADER } from '../../broker/message-headers';
import {
  ProducerConnectionError,
  ProducerSettingsError,
  describePublishRefusal,
} from './producer-errors';

/** What a producer needs from the session it runs in. */
export interface ProducerHost {
  sessionId: string;
  vhost: string;
  /** AMQP URL of the broker without a vhost; the producer appends the session's. */
  amqpUrl: string;
  events: EventStream;
  management: ManagementClient;
  /** The broker's name of a queue of the diagram (a server-named queue has a label there). */
  brokerQueueName: (queue: string) => string;
  log: {
    warn: (obj: object, msg: string) => void;
    debug: (obj: object, msg: string) => void;
  };
}

export type ChannelMode = ProducerState['mode'];

export function channelModeOf(producer: Producer): ChannelMode {
  if (producer.transactions === true) return 'transactions';
  // An outbox has to hear from the broker about every message.
  if (producer.confirms !== false || producer.outbox !== undefined) return 'confirms';
  return 'plain';
}

/** How long a one-shot send waits for the firehose to report where a message was routed. */
const ROUTE_WAIT_MS = 3000;
/** How long a one-shot send waits for the broker's confirms before reporting them missing. */
const CONFIRM_WAIT_MS = 10_000;
/** At most 10 producer-state events a second; the last change is always sent. */
const STATE_INTERVAL_MS = 100;
/** The same refusal is reported on the node again only after this long. */
const NODE_ERROR_REPEAT_MS = 5000;
/** How long closing a connection as a fault waits for the management API to list it. */
const CONNECTION_LOOKUP_MS = 4000;
/** How far a running producer may fall behind its rate before it goes on from now. */
const MAX_LAG_MS = 1000;

/** amqplib has no tx.select / tx.commit of its own; its channels can speak any method by rpc. */
interface RpcChannel {
  rpc: (method: number, fields: object, expect: number) => Promise<unknown>;
}
const TX_SELECT = (90 << 16) | 10;
const TX_SELECT_OK = (90 << 16) | 11;
const TX_COMMIT = (90 << 16) | 20;
const TX_COMMIT_OK = (90 << 16) | 21;

/** One message as it goes to the broker; a reliable producer sends the same one again. */
interface Publication {
  messageId: string;
  exchange: string;
  /** The routing key as the diagram says it (a server-named queue's label). */
  routingKey: string;
  brokerRoutingKey: string;
  content: Buffer;
  options: Options.Publish;
  /** Sends of this message so far. */
  attempts: number;
}

type Outcome =
  | { kind: 'confirmed' }
  | { kind: 'nacked' }
  /** Published on a channel without confirms or transactions: nothing more will be heard. */
  | { kind: 'sent' }
  | { kind: 'lost'; error: string };

interface OpenChannel {
  channel: Channel;
  mode: ChannelMode;
  closed: boolean;
  /** Why the broker closed it (set by its 'error' event, just before 'close'). */
  reason: Error | undefined;
  /** With transactions: outcomes waiting for the next tx.commit. */
  uncommitted: ((outcome: Outcome) => void)[];
  whenClosed: Promise<void>;
}

interface SendCollector {
  results: ProducerSendResult[];
  /** Results still waiting for their routing, by message id. */
  waiting: Map<string, ProducerSendResult[]>;
}

const sleep = (ms: number, signal: { wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal.wake = undefined;
      resolve();
    }
    signal.wake = done;
  });

/**
 * A producer node run by Warren: its own AMQP connection (opened on first use, named so the
 * broker and the fault tools can tell it apart), one-shot sends and a continuous rate, exact
 * counters, and for a reliable producer an outbox of messages re-sent until confirmed.
 */
export class RunningProducer {
  private settings: Producer;
  private index: number;
  private readonly counters = { sent: 0, confirmed: 0, nacked: 0, returned: 0 };
  /** Messages built so far; `{{n}}` of the next one is this plus one. */
  private built = 0;
  private status: ProducerStatus = 'idle';
  private error: string | undefined;
  private model: ChannelModel | undefined;
  /** Why the broker closed the producer's last connection (e.g. CONNECTION_FORCED). */
  private connectionError: Error | undefined;
  private connecting: Promise<ChannelModel> | undefined;
  private open: OpenChannel | undefined;
  private opening: Promise<OpenChannel> | undefined;
  private outbox: Outbox | undefined;
  /** A reliable producer's messages still sending, kept to be sent again. */
  private readonly unsettled = new Map<string, Publication>();
  private readonly resendQueue: Publication[] = [];
  private resending: Promise<void> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private runToken = 0;
  private loop: Promise<void> | undefined;
  private readonly sleeper: { wake?: () => void } = {};
  private paceVersion = 0;
  private stateTimer: NodeJS.Timeout | undefined;
  private lastStateAt = 0;
  private lastNodeError = { message: '', at: 0 };
  private readonly collectors = new Set<SendCollector>();
  private closed = false;

  constructor(
    private readonly host: ProducerHost,
    producer: Producer,
    index: number,
  ) {
    this.settings = producer;
    this.index = index;
    this.configureOutbox();
  }

  get id(): string {
    return this.settings.id;
  }

  get connectionName(): string {
    return `warren:${this.host.sessionId}:producer:${this.settings.id}`;
  }

  private get label(): string {
    return this.settings.name || this.settings.id;
  }

  /** New settings from an applied diagram; a running producer follows them from its next tick. */
  configure(producer: Producer, index: number): void {
    const before = this.settings;
    this.settings = producer;
    this.index = index;
    if (channelModeOf(before) !== channelModeOf(producer)) this.retireChannel();
    if (JSON.stringify(before.outbox) !== JSON.stringify(producer.outbox)) this.configureOutbox();
    if (before.ratePerSecond !== producer.ratePerSecond || before.burst !== producer.burst) {
      this.paceVersion += 1;
      this.sleeper.wake?.();
    }
    if (this.status === 'running' && !((producer.ratePerSecond ?? 0) > 0)) {
      void this.stop();
      return;
    }
    if (JSON.stringify(before) !== JSON.stringify(producer)) this.stateChanged();
  }

  private configureOutbox(): void {
    const settings = this.settings.outbox;
    if (settings === undefined) {
      this.outbox = undefined;
      this.unsettled.clear();
      this.resendQueue.length = 0;
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
      return;
    }
    const next: OutboxSettings = {
      timeoutMs: settings.timeoutMs,
      maxAttempts: settings.maxAttempts,
    };
    if (this.outbox) this.outbox.configure(next);
    else this.outbox = new Outbox(next);
    clearInterval(this.sweepTimer);
    // Deadlines are checked often enough to re-send close to the timeout, without a timer each.
    const every = Math.min(250, Math.max(5, Math.floor(settings.timeoutMs / 4)));
    this.sweepTimer = setInterval(() => this.sweepOutbox(), every);
    this.sweepTimer.unref();
  }

  state(): ProducerState {
    const rate = this.settings.ratePerSecond;
    return {
      producerId: this.settings.id,
      status: this.status,
      running: this.status === 'running',
      ...this.counters,
      connected: this.model !== undefined,
      mode: channelModeOf(this.settings),
      ...(rate === undefined ? {} : { ratePerSecond: rate }),
      ...(this.outbox ? { outbox: this.outbox.counts() } : {}),
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }

  outboxTable(): ProducerOutboxResponse {
    return {
      producerId: this.settings.id,
      reliable: this.outbox !== undefined,
      counts: this.outbox?.counts() ?? { sending: 0, confirmed: 0, failed: 0 },
      entries: (this.outbox?.entries() ?? []).map((e) => ({
        messageId: e.messageId,
        status: e.status,
        attempts: e.attempts,
        ...(e.lastError === undefined ? {} : { lastError: e.lastError }),
        updatedAt: new Date(e.updatedAt).toISOString(),
      })),
    };
  }

  // --- Continuous mode -------------------------------------------------------------------------

  /** Starts sending at the producer's rate; a running producer is left as it is. */
  start(): void {
    if (this.closed) return;
    if (this.status === 'running') return;
    if (!((this.settings.ratePerSecond ?? 0) > 0)) {
      throw new ProducerSettingsError(
        `Producer '${this.label}' has no rate: set messages per second (ratePerSecond) above 0 to run it continuously, or use send.`,
        `/producers/${this.index}/ratePerSecond`,
      );
    }
    this.status = 'running';
    this.error = undefined;
    const token = ++this.runToken;
    this.loop = this.run(token).catch((error: unknown) => this.fail(error, token));
    this.stateChanged();
  }

  /** Stops sending; resolves once the tick under way has been handed to the broker. */
  async stop(): Promise<void> {
    this.runToken += 1;
    this.sleeper.wake?.();
    if (this.status === 'running') this.status = 'idle';
    await this.loop;
    this.stateChanged();
  }

  private async run(token: number): Promise<void> {
    let pace = this.pace();
    let version = this.paceVersion;
    let anchor = performance.now();
    let done = 0;
    while (this.runToken === token) {
      if (version !== this.paceVersion) {
        pace = this.pace();
        version = this.paceVersion;
        anchor = performance.now();
        done = 0;
      }
      const plan = planTicks(performance.now() - anchor, done, pace, MAX_LAG_MS);
      done += plan.send + plan.skipped;
      if (plan.send > 0) {
        const count = plan.send * (pace.burst ?? 1);
        await this.publishBatch(count, () => this.runToken === token);
      }
      if (this.runToken !== token) return;
      await sleep(anchor + tickAt(done, pace) - performance.now(), this.sleeper);
    }
  }

  private pace() {
    return { ratePerSecond: this.settings.ratePerSecond ?? 0, burst: this.settings.burst ?? 1 };
  }

  /** A running producer that cannot go on stops with status error and says why. */
  private fail(error: unknown, token = this.runToken): void {
    // A producer stopped meanwhile keeps its status.
    if (token !== this.runToken) return;
    const message = error instanceof Error ? error.message : String(error);
    this.host.log.debug({ err: error, producer: this.id }, 'producer stopped by an error');
    this.runToken += 1;
    this.sleeper.wake?.();
    this.status = 'error';
    this.error = message;
    this.stateChanged();
  }

  // --- One-shot sends --------------------------------------------------------------------------

  /** Sends `count` messages with the producer's settings and reports what became of each. */
  async send(count: number): Promise<ProducerSendResult[]> {
    const collector: SendCollector = { results: [], waiting: new Map() };
    this.collectors.add(collector);
    const unlisten = this.host.events.listen((event) => {
      if (event.type !== 'routed' || event.messageId === null || event.producerId !== this.id)
        return;
      const waiting = collector.waiting.get(event.messageId);
      const result = waiting?.shift();
      if (!result) return;
      result.routedQueues = event.routedQueues;
      if (waiting?.length === 0) collector.waiting.delete(event.messageId);
    });
    try {
      const outcomes: Promise<void>[] = [];
      await this.publishBatch(
        count,
        () => true,
        (publication, outcome) => {
          const result: ProducerSendResult = {
            messageId: publication.messageId,
            exchange: publication.exchange,
            routingKey: publication.routingKey,
            routedQueues: [],
            confirmed: false,
          };
          collector.results.push(result);
          const waiting = collector.waiting.get(result.messageId) ?? [];
          waiting.push(result);
          collector.waiting.set(result.messageId, waiting);
          outcomes.push(
            outcome.then((o) => {
              if (o.kind === 'confirmed') result.confirmed = true;
              if (o.kind === 'nacked') result.nacked = true;
              if (o.kind === 'lost') {
                result.error = o.error;
                // A message that never reached an exchange is not routed anywhere.
                collector.waiting.delete(result.messageId);
              }
            }),
          );
        },
      );
      await withTimeout(Promise.all(outcomes), CONFIRM_WAIT_MS);
      const deadline = Date.now() + ROUTE_WAIT_MS;
      while (collector.waiting.size > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (this.status === 'error' && collector.results.every((r) => r.error === undefined)) {
        this.status = 'idle';
        this.error = undefined;
      }
      return collector.results;
    } catch (error) {
      if (error instanceof ProducerConnectionError) {
        this.error = error.message;
        this.stateChanged();
      }
      throw error;
    } finally {
      unlisten();
      this.collectors.delete(collector);
      this.stateChanged();
    }
  }

  // --- Publishing ------------------------------------------------------------------------------

  private nextPublication(): Publication {
    this.built += 1;
    const message = producerMessage(this.settings, this.built, {
      now: Date.now(),
      newId: randomUUID,
    });
    const { headers, ...properties } = message.properties;
    return {
      messageId: properties.messageId,
      exchange: message.exchange,
      routingKey: message.routingKey,
      // The default exchange routes by queue name: a server-named queue's label means its
      // broker name, as the diagram draws it.
      brokerRoutingKey:
        message.exchange === ''
          ? this.host.brokerQueueName(message.routingKey)
          : message.routingKey,
      content: Buffer.from(message.payload),
      options: {
        ...properties,
        mandatory: message.mandatory,
        headers: { ...headers, [PRODUCER_HEADER]: this.id },
      },
      attempts: 0,
    };
  }

  /**
   * Builds and publishes `count` new messages on the producer's channel, waiting for 'drain'
   * whenever the channel's buffer is full; with transactions, commits them as one.
   */
  private async publishBatch(
    count: number,
    goOn: () => boolean,
    observe?: (publication: Publication, outcome: Promise<Outcome>) => void,
  ): Promise<void> {
    const open = await this.channel();
    for (let i = 0; i < count && goOn(); i++) {
      const publication = this.nextPublication();
      if (this.outbox) {
        this.outbox.add(publication.messageId, Date.now());
        this.unsettled.set(publication.messageId, publication);
      }
      const { outcome, full } = this.transmit(open, publication);
      observe?.(publication, outcome);
      if (full) await this.drained(open, goOn);
    }
    if (open.mode === 'transactions') await this.commit(open);
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
    const { exchange, brokerRoutingKey, content, options } = publication;
    let full = false;
    try {
      if (open.mode === 'confirms') {
        full = !(open.channel as ConfirmChannel).publish(
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
      } else {
        full = !open.channel.publish(exchange, brokerRoutingKey, content, options);
        if (open.mode === 'transactions') open.uncommitted.push(settle);
      }
    } catch (error) {
      // The channel was already closed: the message never left.
      settle({ kind: 'lost', error: this.lostReason(open, error) });
      return { outcome, full: false };
    }
    this.counters.sent += 1;
    if (open.mode === 'plain') settle({ kind: 'sent' });
    this.stateChanged();
    return { outcome, full };
  }

  private async commit(open: OpenChannel): Promise<void> {
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

  /** Waits for the channel's buffer to empty (or the channel to close, or the producer to stop). */
  private async drained(open: OpenChannel, goOn: () => boolean): Promise<void> {
    let onDrain = () => {};
    let check: NodeJS.Timeout | undefined;
    const drain = new Promise<void>((resolve) => {
      onDrain = () => resolve();
      open.channel.once('drain', onDrain);
    });
    const stopped = new Promise<void>((resolve) => {
      check = setInterval(() => {
        if (!goOn() || this.closed) resolve();
      }, 50);
    });
    try {
      await Promise.race([drain, open.whenClosed, stopped]);
    } finally {
      clearInterval(check);
      open.channel.removeListener('drain', onDrain);
    }
  }

  private lostReason(open: OpenChannel, error: unknown): string {
    const reason = open.reason ?? this.connectionError;
    if (reason) {
      const refusal = brokerRefusal(reason);
      return refusal ? refusal.brokerMessage : reason.message;
    }
    return error instanceof Error ? error.message : String(error);
  }

  /** Counts the outcome of one send, tells the canvas, and moves the outbox on. */
  private settle(publication: Publication, attempt: number, outcome: Outcome): void {
    const { messageId } = publication;
    const now = Date.now();
    switch (outcome.kind) {
      case 'confirmed':
        this.counters.confirmed += 1;
        this.host.events.emit({ type: 'confirmed', messageId, producerId: this.id });
        if (this.outbox?.confirm(messageId, now)) this.unsettled.delete(messageId);
        break;
      case 'nacked':
        this.counters.nacked += 1;
        this.host.events.emit({ type: 'nacked', messageId, producerId: this.id });
        this.notConfirmed(publication, attempt, 'nacked by the broker');
        break;
      case 'lost':
        this.notConfirmed(publication, attempt, outcome.error);
        break;
      case 'sent':
        break;
    }
    this.stateChanged();
  }

  /** A send that brought no confirm: a reliable producer sends the message again, or gives up. */
  private notConfirmed(publication: Publication, attempt: number, reason: string): void {
    if (!this.outbox) return;
    // Only the latest send decides; an earlier one already timed out and was sent again.
    if (attempt !== publication.attempts) return;
    const decision = this.outbox.fail(publication.messageId, reason, Date.now());
    if (decision === 'resend') this.queueResend(publication);
    else if (decision === 'failed') this.unsettled.delete(publication.messageId);
  }

  private sweepOutbox(): void {
    if (!this.outbox || this.closed || this.outbox.counts().sending === 0) return;
    const timeout = this.outbox.timeoutMs;
    const overdue = this.outbox.overdue(Date.now());
    for (const messageId of overdue) {
      const publication = this.unsettled.get(messageId);
      if (!publication) continue;
      this.notConfirmed(publication, publication.attempts, `no confirm within ${timeout} ms`);
    }
    if (overdue.length > 0) this.stateChanged();
  }

  private queueResend(publication: Publication): void {
    if (this.closed) return;
    this.resendQueue.push(publication);
    this.resending ??= this.resend().finally(() => (this.resending = undefined));
  }

  private async resend(): Promise<void> {
    // Sent from a fresh turn of the event loop, so a refusal can close the channel first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.resendQueue.length > 0 && !this.closed && this.outbox) {
      const batch = this.resendQueue.splice(0);
      let open: OpenChannel;
      try {
        open = await this.channel();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        for (const publication of batch) {
          publication.attempts += 1;
          this.outbox.resent(publication.messageId, Date.now());
          this.notConfirmed(publication, publication.attempts, reason);
        }
        this.stateChanged();
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      for (const publication of batch) {
        if (this.outbox.get(publication.messageId)?.status !== 'sending') continue;
        this.outbox.resent(publication.messageId, Date.now());
        const { full } = this.transmit(open, publication);
        if (full) await this.drained(open, () => !this.closed);
      }
      if (open.mode === 'transactions') await this.commit(open);
    }
  }

  // --- Connection and channel ------------------------------------------------------------------

  private async connection(): Promise<ChannelModel> {
    if (this.model) return this.model;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<ChannelModel> {
    const url = new URL(this.host.amqpUrl);
    url.pathname = `/${encodeURIComponent(this.host.vhost)}`;
    let model: ChannelModel;
    try {
      model = await amqp.connect(url.href, {
        clientProperties: { connection_name: this.connectionName },
        timeout: 5000,
      });
    } catch (error) {
      throw new ProducerConnectionError(this.settings, error);
    }
    // An unhandled 'error' event would crash the server; 'close' follows and says the rest.
    model.on('error', (error: Error) => {
      this.connectionError = error;
      this.host.log.debug({ err: error, producer: this.id }, 'producer connection error');
    });
    model.once('close', () => {
      if (this.model === model) {
        this.model = undefined;
        this.open = undefined;
      }
      this.stateChanged();
    });
    if (this.closed) {
      await model.close().catch(() => {});
      throw new ProducerConnectionError(this.settings, new Error('the session is closing'));
    }
    this.model = model;
    this.connectionError = undefined;
    this.stateChanged();
    return model;
  }

  private async channel(): Promise<OpenChannel> {
    if (this.open && !this.open.closed) return this.open;
    this.opening ??= this.openChannel().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async openChannel(retry = true): Promise<OpenChannel> {
    const model = await this.connection();
    const mode = channelModeOf(this.settings);
    let channel: Channel;
    try {
      channel =
        mode === 'confirms' ? await model.createConfirmChannel() : await model.createChannel();
    } catch (error) {
      // The connection died under us (closed by the broker a moment ago): connect again once.
      if (!retry) throw error;
      if (this.model === model) this.model = undefined;
      void model.close().catch(() => {});
      return this.openChannel(false);
    }
    let closedNow = () => {};
    const open: OpenChannel = {
      channel,
      mode,
      closed: false,
      reason: undefined,
      uncommitted: [],
      whenClosed: new Promise<void>((resolve) => (closedNow = resolve)),
    };
    channel.on('error', (error: Error) => (open.reason = error));
    channel.once('close', () => {
      open.closed = true;
      closedNow();
      if (this.open === open) this.open = undefined;
      // Outcomes of uncommitted messages are lost with the channel.
      const waiting = open.uncommitted;
      open.uncommitted = [];
      const reason = this.lostReason(open, new Error('channel closed'));
      for (const settle of waiting) settle({ kind: 'lost', error: reason });
      const refusal = brokerRefusal(open.reason);
      if (refusal) this.refused(refusal);
    });
    channel.on('return', (message: Message) => this.onReturn(message));
    if (mode === 'transactions') {
      await (channel as unknown as RpcChannel).rpc(TX_SELECT, {}, TX_SELECT_OK);
    }
    this.open = open;
    return open;
  }

  /** A channel of the old kind (confirms, transactions) closes once its messages are settled. */
  private retireChannel(): void {
    const open = this.open;
    this.open = undefined;
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
    if (messageId !== null) {
      for (const collector of this.collectors) {
        const result = collector.results.find((r) => r.messageId === messageId && !r.returned);
        if (result) result.returned = detail;
      }
    }
    this.stateChanged();
  }

  /** The broker refused a publish: the node says why, and a running producer stops. */
  private refused(refusal: BrokerRefusal): void {
    const message = describePublishRefusal(this.settings, refusal);
    this.error = message;
    if (this.status === 'running') this.fail(new Error(message));
    else this.status = 'error';
    const now = Date.now();
    if (
      message !== this.lastNodeError.message ||
      now - this.lastNodeError.at > NODE_ERROR_REPEAT_MS
    ) {
      this.lastNodeError = { message, at: now };
      const error: NodeError = {
        nodeId: this.id,
        path: `/producers/${this.index}`,
        code: refusal.code,
        message,
        brokerMessage: refusal.brokerMessage,
      };
      this.host.events.emit({ type: 'node-error', errors: [error] });
    }
    this.stateChanged();
  }

  /**
   * Closes the producer's connection the way an operator would, from the broker's side
   * (management API), so the producer meets a CONNECTION_FORCED like a real application.
   * False when it had no connection open.
   */
  async closeConnection(): Promise<boolean> {
    const model = this.model;
    if (!model) return false;
    const closed = new Promise<void>((resolve) => model.once('close', () => resolve()));
    const force = async (name: string | undefined): Promise<boolean> => {
      if (name === undefined) return false;
      try {
        // disable_stats: the broker finds the connection in its own tracking table at once,
        // instead of waiting for its statistics to list it.
        await this.host.management.request(
          'DELETE',
          `/connections/${encodeURIComponent(name)}?disable_stats=true`,
        );
        return true;
      } catch (error) {
        this.host.log.debug({ err: error, producer: this.id }, 'forcing the connection closed');
        return false;
      }
    };
    const forced =
      (await force(socketConnectionName(model))) ||
      (await force(await this.brokerConnectionName()));
    // The broker does not know it by either name: close it from this side instead.
    if (!forced) await model.close().catch(() => {});
    await withTimeout(closed, 5000);
    return true;
  }

  private async brokerConnectionName(): Promise<string | undefined> {
    const deadline = Date.now() + CONNECTION_LOOKUP_MS;
    const path = `/vhosts/${encodeURIComponent(this.host.vhost)}/connections?columns=name,client_properties`;
    for (;;) {
      try {
        const listed = await this.host.management.request<
          { name: string; client_properties?: { connection_name?: string } }[]
        >('GET', path);
        const found = listed.find(
          (c) => c.client_properties?.connection_name === this.connectionName,
        );
        if (found) return found.name;
      } catch {
        return undefined;
      }
      if (Date.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  // --- State events ----------------------------------------------------------------------------

  private stateChanged(): void {
    if (this.closed || this.stateTimer) return;
    const wait = Math.max(0, this.lastStateAt + STATE_INTERVAL_MS - Date.now());
    this.stateTimer = setTimeout(() => this.emitState(), wait);
  }

  private emitState(): void {
    this.stateTimer = undefined;
    this.lastStateAt = Date.now();
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
    await this.stop();
    if (this.stateTimer) {
      clearTimeout(this.stateTimer);
      this.emitState();
    }
    this.closed = true;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.resendQueue.length = 0;
    await this.resending;
    const model = this.model ?? (await this.connecting?.catch(() => undefined));
    this.model = undefined;
    this.open = undefined;
    await model?.close().catch(() => {});
  }
}

/** amqplib's typings leave out the socket under a connection. */
interface WithSocket {
  connection: {
    stream?: {
      localAddress?: string;
      localPort?: number;
      remoteAddress?: string;
      remotePort?: number;
    };
  };
}

/** The broker names a connection `client-host:port -> broker-host:port`, as its socket sees them. */
function socketConnectionName(model: ChannelModel): string | undefined {
  const socket = (model as unknown as WithSocket).connection.stream;
  if (socket?.localAddress === undefined || socket.remoteAddress === undefined) return undefined;
  return `${socket.localAddress}:${socket.localPort} -> ${socket.remoteAddress}:${socket.remotePort}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
