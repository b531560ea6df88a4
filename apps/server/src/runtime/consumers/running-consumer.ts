import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type Options,
} from 'amqplib';
import {
  afterFailure,
  processingDelayMs,
  processingFails,
  rejectedCount,
  SeenMessageIds,
  seededRandom,
  type Consumer,
  type FailureStep,
  type RandomSource,
} from '@warren/topology';
import type {
  ConsumerState,
  ConsumerStatus,
  ErrorCode,
  EventPayload,
  NodeError,
} from '@warren/protocol';
import { brokerRefusal } from '../../broker/amqp-errors';
import { WarrenError } from '../../errors/warren-error';
import { StateThrottle } from './state-throttle';

/** The header on messages a consumer publishes (RPC replies, republished failures). */
export const CONSUMER_HEADER = 'x-warren-consumer';

/** At most this many consumer-state events per second per consumer. */
const STATE_EVENTS_PER_SECOND = 10;
const RECONNECT_INITIAL_MS = 250;
const RECONNECT_MAX_MS = 5000;
/** After the broker cancels a consumer (its queue was deleted), try to consume again once. */
const RECONSUME_AFTER_MS = 500;
/** A connection closed as a fault comes back after this long, as a robust client's would. */
const FAULT_RECONNECT_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;
/** How long a closed channel's deliveries are still attributed to the consumer. */
const CLAIM_AFTER_CLOSE_MS = 5000;

export interface ConsumerEnvironment {
  sessionId: string;
  /** AMQP URL of the session's vhost. */
  url: string;
  emit: (event: EventPayload) => void;
  /** The broker's name of a queue of the diagram (the `amq.gen-…` name of a server-named one). */
  brokerQueueName: (queue: string) => string;
  /** The session's own connection: the only one allowed to consume the session's exclusive queues. */
  sessionConnection: () => ChannelModel | undefined;
  /**
   * Tells the session that deliveries on `channel` are this consumer's, so the broker's trace
   * of each names it; returns the undo.
   */
  claimChannel: (channel: Channel, consumerId: string) => () => void;
  log: {
    warn: (obj: object, msg: string) => void;
    debug: (obj: object, msg: string) => void;
  };
}

/** Where a consumer sits in the diagram, which decides how it connects. */
export interface ConsumerPlacement {
  /** JSON pointer of the consumer in the topology, for node errors. */
  path: string;
  /** Its queue is exclusive: it consumes on the session's connection. */
  exclusive: boolean;
}

type Desired = 'running' | 'paused' | 'stopped' | 'killed';
type Counters = Omit<ConsumerState, 'consumerId' | 'name' | 'queue' | 'status' | 'error'>;

export class ConsumerActionError extends WarrenError {
  constructor(message: string) {
    // The consumer is there but cannot do this now (e.g. resume one that is not paused).
    super('INVALID_REQUEST', message, { path: '/consumerId' }, { status: 409 });
    this.name = 'ConsumerActionError';
  }
}

class SessionDisconnectedError extends Error {
  constructor() {
    super("The session's own connection is not up.");
    this.name = 'SessionDisconnectedError';
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/**
 * One consumer's hold on the broker: a channel on its own connection (or on the session's, for
 * an exclusive queue) and the deliveries waiting for it. Once lost, a link is never reused.
 */
class Link {
  readonly abort = new AbortController();
  consumerTag: string | undefined;
  /** basic.consume is in flight: its failure is reported by consume(), not by the close. */
  subscribing = false;
  /** Warren closes it on purpose (stop, kill, a fault): no reconnect from the close handler. */
  closing = false;
  closeReason: Error | undefined;
  readonly backlog: ConsumeMessage[] = [];
  working = false;
  private publisher: Promise<ConfirmChannel> | undefined;
  private publisherCloseReason: Error | undefined;

  constructor(
    readonly model: ChannelModel,
    /** The connection is the consumer's own (closing the link closes it). */
    readonly own: boolean,
    readonly channel: Channel,
  ) {
    // Each message being processed waits on this signal; the prefetch, not ten, bounds them.
    setMaxListeners(0, this.abort.signal);
  }

  get alive(): boolean {
    return !this.abort.signal.aborted;
  }

  /** A confirm channel for replies and republishes; a refusal there leaves the consumer alone. */
  private publishChannel(): Promise<ConfirmChannel> {
    if (this.publisher) return this.publisher;
    const opening = this.model.createConfirmChannel().then((channel) => {
      channel.on('error', (error: Error) => (this.publisherCloseReason = error));
      channel.once('close', () => {
        if (this.publisher === opening) this.publisher = undefined;
      });
      return channel;
    });
    this.publisher = opening;
    opening.catch(() => {
      if (this.publisher === opening) this.publisher = undefined;
    });
    return opening;
  }

  /** Publishes and waits for the broker's confirm; a refusal is thrown with the broker's words. */
  async publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<void> {
    const channel = await this.publishChannel();
    this.publisherCloseReason = undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        channel.publish(exchange, routingKey, content, options, (error: unknown) =>
          error ? reject(error instanceof Error ? error : new Error('publish failed')) : resolve(),
        );
      });
    } catch (error) {
      // amqplib fails the callback with a bare "channel closed"; the reason came as 'error'.
      throw this.publisherCloseReason ?? error;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.abort.abort();
    if (this.own) {
      await this.model.close().catch(() => {});
      return;
    }
    const publisher = this.publisher;
    this.publisher = undefined;
    await Promise.all([
      this.channel.close().catch(() => {}),
      publisher?.then((c) => c.close()).catch(() => {}),
    ]);
  }
}

/**
 * A consumer node run by Warren: consumes one queue with its prefetch, processes each delivery
 * in turn (processing time, failure rate), settles it per its failure action, and keeps exact
 * counters. Operations on it are serialized, so start, pause, kill and applies never interleave.
 */
export class RunningConsumer {
  private desired: Desired = 'stopped';
  private status: ConsumerStatus = 'stopped';
  private error: string | undefined;
  private readonly counts: Counters = {
    received: 0,
    acked: 0,
    nacked: 0,
    rejected: 0,
    requeued: 0,
    duplicates: 0,
    replied: 0,
    inFlight: 0,
  };
  private link: Link | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_INITIAL_MS;
  private readonly random: RandomSource;
  private readonly seen = new SeenMessageIds();
  private lastState = '';
  private readonly stateEvents = new StateThrottle(
    () => this.sendState(),
    1000 / STATE_EVENTS_PER_SECOND,
  );

  constructor(
    private config: Consumer,
    private placement: ConsumerPlacement,
    private readonly env: ConsumerEnvironment,
  ) {
    this.random = seededRandom(`${env.sessionId}:${config.id}`);
    // Viewers learn of a new consumer (running or not) from its first state.
    this.changed();
  }

  get id(): string {
    return this.config.id;
  }

  get connectionName(): string {
    return `warren:${this.env.sessionId}:consumer:${this.config.id}`;
  }

  state(): ConsumerState {
    return {
      consumerId: this.config.id,
      name: this.config.name,
      queue: this.config.queue,
      status: this.status,
      ...this.counts,
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }

  /** Whether sync() should try again: it wants to consume and could not. */
  get failed(): boolean {
    return this.status === 'error' && (this.desired === 'running' || this.desired === 'paused');
  }

  start(): Promise<ConsumerState> {
    return this.act(async () => {
      this.desired = 'running';
      await this.connectAndConsume();
    });
  }

  /** basic.cancel: no new deliveries; those already delivered are still processed and settled. */
  pause(): Promise<ConsumerState> {
    return this.act(async () => {
      if (this.desired === 'paused') return;
      if (this.desired !== 'running') {
        throw new ConsumerActionError(
          `Consumer '${this.config.name}' is ${this.status}; start it before pausing it.`,
        );
      }
      this.desired = 'paused';
      const link = this.link;
      if (link?.consumerTag !== undefined) {
        const tag = link.consumerTag;
        link.consumerTag = undefined;
        await link.channel.cancel(tag).catch(() => {});
      }
      // Without a link the consumer keeps saying why it is down; it comes back paused.
      if (this.link) this.setStatus('paused');
    });
  }

  /** basic.consume again after a pause; a stopped or killed consumer is started. */
  resume(): Promise<ConsumerState> {
    return this.act(async () => {
      this.desired = 'running';
      await this.connectAndConsume();
    });
  }

  /**
   * Closes the consumer's connection mid-flight, as a crash would: the broker puts every unacked
   * message back in the queue. The consumer stays down until started again.
   */
  kill(): Promise<ConsumerState> {
    return this.act(async () => {
      if (this.desired === 'stopped' || this.desired === 'killed') return;
      this.desired = 'killed';
      await this.closeLink();
      this.setStatus('killed');
    });
  }

  /**
   * A fault: the connection is closed under the consumer (unacked messages return to the queue)
   * and it reconnects by itself, as a robust client does. False when it had no connection.
   */
  closeConnection(): Promise<boolean> {
    return this.serial(async () => {
      const link = this.link;
      if (!link) return false;
      await this.closeLink();
      const what = link.own ? 'connection' : 'channel';
      this.setStatus(
        'error',
        `Consumer '${this.config.name}' lost its ${what}: it was closed on purpose (fault injection). It reconnects in ${FAULT_RECONNECT_MS / 1000} s.`,
      );
      this.scheduleReconnect(FAULT_RECONNECT_MS);
      return true;
    });
  }

  /** Stops for good (removed from the diagram, session closing); the final counts are sent. */
  stop(): Promise<ConsumerState> {
    return this.act(async () => {
      this.desired = 'stopped';
      await this.closeLink();
      this.setStatus('stopped');
      this.flushState();
    });
  }

  /** Takes a changed definition: reconnects with the new settings, counters kept. */
  reconfigure(config: Consumer, placement: ConsumerPlacement): Promise<ConsumerState> {
    return this.act(async () => {
      await this.closeLink();
      this.config = config;
      this.placement = placement;
      if (this.desired === 'stopped' || this.desired === 'killed') {
        if (config.autoStart === false) {
          this.setStatus(this.desired);
          return;
        }
        this.desired = 'running';
      }
      await this.connectAndConsume();
    });
  }

  /** Tries again after a failure (e.g. its queue exists now that the diagram was applied). */
  retry(placement: ConsumerPlacement): Promise<ConsumerState> {
    return this.act(async () => {
      this.placement = placement;
      if (this.failed) await this.connectAndConsume();
    });
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.chain.then(operation);
    this.chain = run.catch(() => {});
    return run;
  }

  /** Runs an operation in turn and answers with the state after it. */
  private async act(operation: () => Promise<void>): Promise<ConsumerState> {
    await this.serial(operation);
    return this.state();
  }

  private async connectAndConsume(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.desired !== 'running' && this.desired !== 'paused') return;
    let link = this.link;
    if (!link) {
      try {
        link = await this.openLink();
      } catch (error) {
        this.setStatus('error', this.connectProblem(error));
        this.scheduleReconnect();
        return;
      }
      this.link = link;
      this.reconnectDelay = RECONNECT_INITIAL_MS;
    }
    if (this.desired === 'paused') {
      this.setStatus('paused');
      return;
    }
    if (link.consumerTag === undefined) await this.consume(link);
  }

  private connectProblem(error: unknown): string {
    const name = this.config.name;
    if (error instanceof SessionDisconnectedError) {
      return `Consumer '${name}' reads the exclusive queue '${this.config.queue}', which only the session's own connection may consume, and that connection is not up; retrying.`;
    }
    const reason = error instanceof Error ? error.message : String(error);
    if (/connection limit/i.test(reason)) {
      return `Consumer '${name}' cannot connect: the session's vhost allows no more connections (${reason}). Remove some producers or consumers.`;
    }
    return `Consumer '${name}' cannot connect to RabbitMQ (${reason}); retrying.`;
  }

  private async openLink(): Promise<Link> {
    const exclusive = this.placement.exclusive;
    const model = exclusive
      ? this.env.sessionConnection()
      : await amqp.connect(this.env.url, {
          clientProperties: { connection_name: this.connectionName },
          // An apply waits for its consumers: a broker that does not answer must not hold it.
          timeout: CONNECT_TIMEOUT_MS,
        });
    if (!model) throw new SessionDisconnectedError();
    if (!exclusive) {
      // An unhandled 'error' would crash the process; the 'close' that follows is what counts.
      model.on('error', (error: Error) =>
        this.env.log.debug({ err: error, consumer: this.id }, 'consumer connection error'),
      );
    }
    try {
      const channel = await model.createChannel();
      const link = new Link(model, !exclusive, channel);
      channel.on('error', (error: Error) => (link.closeReason = error));
      const release = this.env.claimChannel(channel, this.id);
      // The broker's trace of the last deliveries may arrive after the channel is gone.
      channel.once('close', () => setTimeout(release, CLAIM_AFTER_CLOSE_MS).unref());
      await channel.prefetch(this.config.prefetch);
      channel.once('close', () => {
        // When the whole connection goes, its own close (with the reason) comes right after.
        if (link.own) setImmediate(() => this.onLinkLost(link));
        else this.onLinkLost(link);
      });
      if (link.own) model.once('close', (error?: Error) => this.onLinkLost(link, error));
      return link;
    } catch (error) {
      if (!exclusive) await model.close().catch(() => {});
      throw error;
    }
  }

  private async consume(link: Link): Promise<void> {
    const queue = this.env.brokerQueueName(this.config.queue);
    link.subscribing = true;
    try {
      const { consumerTag } = await link.channel.consume(
        queue,
        (message) => this.onDelivery(link, message),
        { noAck: this.config.autoAck },
      );
      link.consumerTag = consumerTag;
      this.setStatus('running');
    } catch (error) {
      link.subscribing = false;
      this.dropLink(link);
      // The broker closed the channel; the consumer's own connection goes with it.
      await link.close();
      const refusal = brokerRefusal(link.closeReason ?? error);
      if (refusal) {
        const message = this.refusalMessage(refusal.code, refusal.replyCode, refusal.brokerMessage);
        this.env.emit({
          type: 'node-error',
          errors: [this.nodeError(refusal.code, message, refusal.brokerMessage, '/queue')],
        });
        // No retry by itself: the next apply (or a start) tries again.
        this.setStatus('error', message);
        return;
      }
      // The connection went down under basic.consume: come back when it is up again.
      this.setStatus('error', this.connectProblem(error));
      this.scheduleReconnect();
    } finally {
      link.subscribing = false;
    }
  }

  private refusalMessage(code: ErrorCode, replyCode: number, brokerMessage: string): string {
    const { name, queue } = this.config;
    if (code === 'BROKER_NOT_FOUND') {
      return `Consumer '${name}' cannot read from queue '${queue}': the broker has no such queue. Apply the diagram to declare it.`;
    }
    if (replyCode === 405) {
      return `Consumer '${name}' cannot read from queue '${queue}': the queue is exclusive to another connection.`;
    }
    const detail = brokerMessage.replace(/^[A-Z_]+ - /, '');
    return `The broker refused consumer '${name}' on queue '${queue}': ${detail}`;
  }

  private nodeError(
    code: ErrorCode,
    message: string,
    brokerMessage?: string,
    field = '',
  ): NodeError {
    return {
      nodeId: this.config.id,
      path: `${this.placement.path}${field}`,
      code,
      message,
      ...(brokerMessage === undefined ? {} : { brokerMessage }),
    };
  }

  /** The link closed without Warren asking: the broker or the network took it. */
  private onLinkLost(link: Link, error?: Error): void {
    if (link.closing || !link.alive) return;
    this.dropLink(link);
    // consume() reports a refused basic.consume itself.
    if (link.subscribing) return;
    if (link.own) void link.close();
    if (this.desired !== 'running' && this.desired !== 'paused') return;
    const reason = (error ?? link.closeReason)?.message ?? 'closed';
    const what = link.own ? 'connection' : 'channel';
    this.setStatus(
      'error',
      `Consumer '${this.config.name}' lost its ${what} to RabbitMQ (${reason}); reconnecting.`,
    );
    this.scheduleReconnect();
  }

  private scheduleReconnect(delayMs = this.reconnectDelay): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.serial(() => this.connectAndConsume()).catch((error: unknown) =>
        this.env.log.warn({ err: error, consumer: this.id }, 'consumer reconnect failed'),
      );
    }, delayMs);
    this.reconnectTimer.unref();
  }

  /** Forgets a link: its unsettled deliveries are back in the queue (the broker requeues them). */
  private dropLink(link: Link): void {
    if (this.link === link) this.link = undefined;
    if (!link.alive) return;
    link.abort.abort();
    link.backlog.length = 0;
    if (this.counts.inFlight !== 0) {
      this.counts.inFlight = 0;
      this.changed();
    }
  }

  private async closeLink(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const link = this.link;
    if (!link) return;
    link.closing = true;
    this.dropLink(link);
    await link.close();
  }

  private onDelivery(link: Link, message: ConsumeMessage | null): void {
    if (message === null) {
      this.onCancelledByBroker(link);
      return;
    }
    if (!link.alive) return;
    this.counts.received += 1;
    if (this.config.autoAck) {
      // With auto-ack the broker forgot the message as it delivered it.
      this.counts.acked += 1;
      this.emitAction('acked', 'auto-ack', message);
    } else {
      this.counts.inFlight += 1;
    }
    this.changed();
    link.backlog.push(message);
    void this.work(link);
  }

  /** The broker cancelled the consumer: its queue was deleted (or is being re-declared). */
  private onCancelledByBroker(link: Link): void {
    link.consumerTag = undefined;
    if (this.desired !== 'running' || !link.alive) return;
    this.setStatus(
      'error',
      `Queue '${this.config.queue}' was deleted on the broker, so consumer '${this.config.name}' stopped receiving; it tries again shortly.`,
    );
    const timer = setTimeout(() => {
      void this.serial(async () => {
        if (link.alive && this.link === link && this.desired === 'running') {
          if (link.consumerTag === undefined) await this.consume(link);
        }
      }).catch(() => {});
    }, RECONSUME_AFTER_MS);
    timer.unref();
  }

  /** One delivery at a time, in order, like a single-threaded worker. */
  private async work(link: Link): Promise<void> {
    if (link.working) return;
    link.working = true;
    try {
      while (link.alive) {
        const message = link.backlog.shift();
        if (message === undefined) break;
        try {
          await this.process(link, message);
        } catch (error) {
          this.env.log.warn({ err: error, consumer: this.id }, 'consumer failed on a message');
        }
      }
    } finally {
      link.working = false;
    }
  }

  private async process(link: Link, message: ConsumeMessage): Promise<void> {
    const config = this.config;
    const messageId = messageIdOf(message);
    if (config.idempotent === true && messageId !== null && this.seen.has(messageId)) {
      this.counts.duplicates += 1;
      this.env.emit({
        type: 'duplicate',
        messageId,
        queue: config.queue,
        consumerId: config.id,
      });
      this.settle(link, message, 'ack', { reason: 'duplicate message id; skipped' });
      return;
    }
    const retrying = config.onFailure?.kind === 'retry';
    let attempt = 1;
    for (;;) {
      const delay = processingDelayMs(config.processingMs, this.random);
      if (delay > 0) await sleep(delay, link.abort.signal);
      if (!link.alive) return;
      const attemptField = retrying ? { attempt } : {};
      if (!processingFails(config.failureRate, this.random)) {
        const replied = config.rpcReply === true ? await this.reply(link, message) : undefined;
        if (!link.alive) return;
        this.settle(link, message, 'ack', {
          ...attemptField,
          ...(replied === undefined ? {} : { reason: replied }),
        });
        if (config.idempotent === true && messageId !== null) this.seen.remember(messageId);
        return;
      }
      const step = afterFailure(config.onFailure, {
        attempt,
        rejectedBefore: rejectedCount(
          message.properties.headers,
          this.env.brokerQueueName(config.queue),
        ),
        routingKey: message.fields.routingKey,
      });
      if (step.kind === 'retry') {
        this.env.emit({
          type: 'retrying',
          messageId,
          queue: config.queue,
          consumerId: config.id,
          attempt: step.attempt,
          delayMs: step.delayMs,
        });
        await sleep(step.delayMs, link.abort.signal);
        if (!link.alive) return;
        attempt = step.attempt;
        continue;
      }
      if (step.kind === 'republish') {
        const published = await this.republish(link, message, step, attempt);
        if (!link.alive) return;
        if (published) this.settle(link, message, 'ack', { ...attemptField, reason: step.reason });
        else
          this.settle(link, message, 'reject', {
            ...attemptField,
            reason: `could not republish to '${step.exchange}'; rejected`,
          });
        return;
      }
      this.settle(link, message, step.kind, { ...attemptField, reason: step.reason });
      return;
    }
  }

  /**
   * basic.ack / basic.nack(requeue) / basic.reject(no requeue) on the channel that delivered the
   * message. False when that channel is gone: the broker has already put the message back.
   */
  private settle(
    link: Link,
    message: ConsumeMessage,
    outcome: 'ack' | 'requeue' | 'reject',
    detail: { attempt?: number; reason?: string },
  ): boolean {
    // With auto-ack the broker settled it on delivery; nothing is left to send.
    if (this.config.autoAck || !link.alive) return false;
    try {
      if (outcome === 'ack') link.channel.ack(message);
      else if (outcome === 'requeue') link.channel.nack(message, false, true);
      else link.channel.reject(message, false);
    } catch {
      return false;
    }
    this.counts.inFlight -= 1;
    if (outcome === 'ack') {
      this.counts.acked += 1;
      this.emitAction('acked', 'basic.ack', message, detail);
    } else if (outcome === 'requeue') {
      this.counts.nacked += 1;
      this.counts.requeued += 1;
      this.emitAction('requeued', 'basic.nack', message, detail);
    } else {
      this.counts.rejected += 1;
      this.emitAction('rejected', 'basic.reject', message, detail);
    }
    this.changed();
    return true;
  }

  private emitAction(
    type: 'acked' | 'rejected' | 'requeued',
    method: 'basic.ack' | 'basic.nack' | 'basic.reject' | 'auto-ack',
    message: ConsumeMessage,
    detail: { attempt?: number; reason?: string } = {},
  ): void {
    this.env.emit({
      type,
      method,
      messageId: messageIdOf(message),
      queue: this.config.queue,
      consumerId: this.config.id,
      ...detail,
    });
  }

  /**
   * RPC: the reply goes to `reply_to` through the default exchange, with the correlation id.
   * Says what was sent, for the consumer's log.
   */
  private async reply(link: Link, message: ConsumeMessage): Promise<string | undefined> {
    const replyTo = textOf(message.properties.replyTo);
    if (replyTo === undefined) return undefined;
    const correlationId = textOf(message.properties.correlationId);
    try {
      await link.publish('', replyTo, Buffer.from(`reply: ${message.content.toString()}`), {
        messageId: randomUUID(),
        ...(correlationId === undefined ? {} : { correlationId }),
        contentType: textOf(message.properties.contentType) ?? 'text/plain',
        timestamp: Math.floor(Date.now() / 1000),
        headers: { [CONSUMER_HEADER]: this.config.id },
      });
      this.counts.replied += 1;
      this.changed();
      return correlationId === undefined
        ? `replied to '${replyTo}' (no correlation id)`
        : `replied to '${replyTo}' with correlation id '${correlationId}'`;
    } catch (error) {
      if (!link.alive) return undefined;
      this.publishFailed('', error, `reply to '${replyTo}'`);
      return undefined;
    }
  }

  /** Publishes a failed message to the error or parking exchange; false when the broker refused. */
  private async republish(
    link: Link,
    message: ConsumeMessage,
    step: Extract<FailureStep, { kind: 'republish' }>,
    attempts: number,
  ): Promise<boolean> {
    const headers: Record<string, unknown> = {
      ...(message.properties.headers ?? {}),
      [CONSUMER_HEADER]: this.config.id,
    };
    if (step.to === 'error') {
      // The header names Spring AMQP's RepublishMessageRecoverer uses, so lessons carry over.
      headers['x-exception'] =
        `Processing failed ${attempts} time${attempts === 1 ? '' : 's'} in consumer '${this.config.name}'.`;
      headers['x-original-exchange'] = message.fields.exchange;
      headers['x-original-routingKey'] = message.fields.routingKey;
    }
    try {
      await link.publish(step.exchange, step.routingKey, message.content, {
        ...copiedProperties(message),
        headers,
      });
      return true;
    } catch (error) {
      if (link.alive) this.publishFailed(step.exchange, error, `republish to '${step.exchange}'`);
      return false;
    }
  }

  private publishFailed(exchange: string, error: unknown, what: string): void {
    const refusal = brokerRefusal(error);
    const name = this.config.name;
    const message =
      refusal?.code === 'BROKER_NOT_FOUND'
        ? `Consumer '${name}' could not ${what}: exchange '${exchange}' does not exist on the broker.`
        : `Consumer '${name}' could not ${what}: ${refusal?.brokerMessage ?? (error instanceof Error ? error.message : String(error))}`;
    const field = exchange === '' ? '' : this.failureField();
    this.env.emit({
      type: 'node-error',
      errors: [
        this.nodeError(refusal?.code ?? 'BROKER_REFUSED', message, refusal?.brokerMessage, field),
      ],
    });
  }

  private failureField(): string {
    const action = this.config.onFailure;
    if (action?.kind === 'retry') return '/onFailure/errorExchange';
    if (action?.kind === 'delayed-retry') return '/onFailure/parkingExchange';
    return '';
  }

  private setStatus(status: ConsumerStatus, error?: string): void {
    this.status = status;
    this.error = status === 'error' ? error : undefined;
    this.changed();
  }

  /** consumer-state events: at most 10 a second, the newest state always sent last. */
  private changed(): void {
    this.stateEvents.changed();
  }

  private flushState(): void {
    this.stateEvents.flush();
  }

  private sendState(): void {
    const { name: _name, queue: _queue, ...state } = this.state();
    const snapshot = JSON.stringify(state);
    if (snapshot === this.lastState) return;
    this.lastState = snapshot;
    this.env.emit({ type: 'consumer-state', ...state });
  }
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

function messageIdOf(message: ConsumeMessage): string | null {
  return textOf(message.properties.messageId) ?? null;
}

/** The basic properties of a delivered message, to publish a copy of it. */
function copiedProperties(message: ConsumeMessage): Options.Publish {
  const p = message.properties;
  const options: Options.Publish = {};
  const text = {
    contentType: textOf(p.contentType),
    contentEncoding: textOf(p.contentEncoding),
    correlationId: textOf(p.correlationId),
    replyTo: textOf(p.replyTo),
    messageId: textOf(p.messageId),
    type: textOf(p.type),
    appId: textOf(p.appId),
  };
  for (const [key, value] of Object.entries(text)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  if (typeof p.deliveryMode === 'number') options.deliveryMode = p.deliveryMode;
  if (typeof p.priority === 'number') options.priority = p.priority;
  if (typeof p.timestamp === 'number') options.timestamp = p.timestamp;
  // The per-message TTL is left out: a parked message should not expire on its way.
  return options;
}
