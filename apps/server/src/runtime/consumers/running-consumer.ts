import type { ConsumeMessage } from 'amqplib';
import { SeenMessageIds, seededRandom, type Consumer } from '@warren/topology';
import type { ConsumerState, ConsumerStatus, ConsumerTally } from '@warren/protocol';
import { brokerRefusal } from '../../broker/amqp-errors';
import type { ConsumerContext, ConsumerEnvironment, ConsumerPlacement } from './consumer-context';
import { ConsumerConnection } from './consumer-connection';
import type { Link } from './consumer-link';
import {
  ConsumerActionError,
  closedAsFault,
  connectProblem,
  consumeRefused,
  linkLost,
  queueDeletedUnder,
} from './consumer-messages';
import { ReopenTimer } from './reopen-timer';
import { ConsumerReport } from './consumer-state';
import { deliver } from './delivery-processing';

export { CONSUMER_HEADER } from './rpc-reply';
export { ConsumerActionError } from './consumer-messages';
export type { ConsumerEnvironment, ConsumerPlacement } from './consumer-context';

/** After the broker cancels a consumer (its queue was deleted), try to consume again once. */
const RECONSUME_AFTER_MS = 500;
/** A connection closed as a fault comes back after this long, as a robust client's would. */
const FAULT_RECONNECT_MS = 1000;

type Desired = 'running' | 'paused' | 'stopped' | 'killed';

/**
 * A consumer node run by Warren: consumes one queue with its prefetch on its own connection (the
 * session's, for an exclusive queue), processes each delivery in turn (delivery-processing.ts),
 * and keeps exact counters. After a lost connection it consumes again by itself. Operations on
 * it are serialized, so start, pause, kill, reconnects and applies never interleave.
 */
export class RunningConsumer {
  private desired: Desired = 'stopped';
  private readonly report: ConsumerReport;
  private link: Link | undefined;
  private readonly connection: ConsumerConnection;
  private chain: Promise<unknown> = Promise.resolve();
  /** Opens a new channel after one was lost on a connection that stayed up. */
  private readonly reopen = new ReopenTimer(() => this.consumeAgain());
  private readonly context: ConsumerContext;

  constructor(
    private config: Consumer,
    private placement: ConsumerPlacement,
    private readonly env: ConsumerEnvironment,
  ) {
    this.report = new ConsumerReport(() => this.config, env.emit);
    this.connection = new ConsumerConnection(env, this.connectionName, {
      connected: () => this.consumeAgain(),
      disconnected: (error, lost) => {
        if (lost && this.link?.own) this.onLinkLost(this.link, error);
        else if (!lost && !this.link && this.wantsLink)
          this.setStatus('error', connectProblem(this.config, error));
      },
    });
    this.context = {
      config: () => this.config,
      path: () => this.placement.path,
      counts: this.report.counts,
      env,
      random: seededRandom(`${env.sessionId}:${config.id}`),
      seen: new SeenMessageIds(),
      changed: () => this.report.changed(),
    };
    // Viewers learn of a new consumer (running or not) from its first state.
    this.report.changed();
  }

  get id(): string {
    return this.config.id;
  }

  get connectionName(): string {
    return `warren:${this.env.sessionId}:consumer:${this.config.id}`;
  }

  state(): ConsumerState {
    return this.report.state();
  }

  /** Adds the counts kept from before a restart of the server. */
  restoreCounts(kept: ConsumerTally): void {
    const counts = this.report.counts;
    for (const key of Object.keys(kept) as (keyof ConsumerTally)[]) counts[key] += kept[key];
    this.report.changed();
  }

  /** Whether sync() should try again: it wants to consume and could not. */
  get failed(): boolean {
    return this.report.status === 'error' && this.wantsLink;
  }

  private get wantsLink(): boolean {
    return this.desired === 'running' || this.desired === 'paused';
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
          `Consumer '${this.config.name}' is ${this.report.status}; start it before pausing it.`,
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
    return this.start();
  }

  /**
   * Closes the consumer's connection mid-flight, as a crash would: the broker puts every unacked
   * message back in the queue. The consumer stays down until started again.
   */
  kill(): Promise<ConsumerState> {
    return this.act(async () => {
      if (!this.wantsLink) return;
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
      link.closing = true;
      this.dropLink(link);
      if (!link.own || !(await this.connection.dropAndReconnect(FAULT_RECONNECT_MS))) {
        await link.close();
        this.reopen.after(FAULT_RECONNECT_MS);
      }
      this.setStatus('error', closedAsFault(this.config, link.own, FAULT_RECONNECT_MS));
      return true;
    });
  }

  /** Stops for good (removed from the diagram, session closing); the final counts are sent. */
  stop(): Promise<ConsumerState> {
    return this.act(async () => {
      this.desired = 'stopped';
      await this.closeLink();
      this.setStatus('stopped');
      this.report.flush();
    });
  }

  /** Takes a changed definition: reconnects with the new settings, counters kept. */
  reconfigure(config: Consumer, placement: ConsumerPlacement): Promise<ConsumerState> {
    return this.act(async () => {
      await this.closeLink();
      this.config = config;
      this.placement = placement;
      if (!this.wantsLink) {
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

  /** Brings the consumer to what it wants: a link, consuming unless paused. Idempotent. */
  private async connectAndConsume(): Promise<void> {
    this.reopen.cancel();
    if (!this.wantsLink) return;
    let link = this.link;
    if (!link) {
      try {
        link = await this.connection.openLink(
          this.placement.exclusive,
          this.id,
          this.config.prefetch,
          (lost) => this.onLinkLost(lost),
        );
      } catch (error) {
        this.setStatus('error', connectProblem(this.config, error));
        this.comeBackLater();
        return;
      }
      this.link = link;
      this.reopen.succeeded();
    }
    if (this.desired === 'paused') {
      this.setStatus('paused');
      return;
    }
    if (link.consumerTag === undefined) await this.consume(link);
  }

  /**
   * After a failure to open or consume: a connection that is down comes back by itself (its own
   * reconnects and consumes again; the session's re-applies the diagram, which retries this
   * consumer); a channel lost on a connection that stayed up is opened again after a backoff.
   */
  private comeBackLater(): void {
    if (this.connection.isUp(this.placement.exclusive)) this.reopen.afterBackoff();
  }

  private consumeAgain(): void {
    this.reopen.forget();
    void this.serial(() => this.connectAndConsume()).catch((error: unknown) =>
      this.env.log.warn({ err: error, consumer: this.id }, 'consumer reconnect failed'),
    );
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
      await link.close();
      const refusal = brokerRefusal(link.closeReason ?? error);
      if (refusal) {
        // The consumer's own connection goes with the refused channel; no retry by itself:
        // the next apply (or a start) tries again.
        await this.connection.close();
        const nodeError = consumeRefused(this.config, this.placement.path, refusal);
        this.env.emit({ type: 'node-error', errors: [nodeError] });
        this.setStatus('error', nodeError.message);
        return;
      }
      // The connection went down under basic.consume: come back when it is up again.
      this.setStatus('error', connectProblem(this.config, error));
      this.comeBackLater();
    } finally {
      link.subscribing = false;
    }
  }

  /** The link closed without Warren asking: the broker or the network took it. */
  private onLinkLost(link: Link, error?: Error): void {
    if (link.closing || !link.alive) return;
    this.dropLink(link);
    // consume() reports a refused basic.consume itself.
    if (link.subscribing) return;
    void link.close();
    if (!this.wantsLink) return;
    const reason = (error ?? link.closeReason)?.message ?? 'closed';
    this.setStatus('error', linkLost(this.config, link.own, reason));
    this.comeBackLater();
  }

  /** Forgets a link: its unsettled deliveries are back in the queue (the broker requeues them). */
  private dropLink(link: Link): void {
    if (this.link === link) this.link = undefined;
    if (!link.alive) return;
    link.abort.abort();
    link.backlog.length = 0;
    if (this.report.counts.inFlight !== 0) {
      this.report.counts.inFlight = 0;
      this.report.changed();
    }
  }

  /** Closes the link and the consumer's own connection; nothing reconnects. */
  private async closeLink(): Promise<void> {
    this.reopen.cancel();
    const link = this.link;
    if (link) {
      link.closing = true;
      this.dropLink(link);
      await link.close();
    }
    await this.connection.close();
  }

  private onDelivery(link: Link, message: ConsumeMessage | null): void {
    if (message === null) this.onCancelledByBroker(link);
    else deliver(this.context, link, message);
  }

  /** The broker cancelled the consumer: its queue was deleted (or is being re-declared). */
  private onCancelledByBroker(link: Link): void {
    link.consumerTag = undefined;
    if (this.desired !== 'running' || !link.alive) return;
    this.setStatus('error', queueDeletedUnder(this.config));
    const timer = setTimeout(() => {
      void this.serial(async () => {
        if (link.alive && this.link === link && this.desired === 'running') {
          if (link.consumerTag === undefined) await this.consume(link);
        }
      }).catch(() => {});
    }, RECONSUME_AFTER_MS);
    timer.unref();
  }

  private setStatus(status: ConsumerStatus, error?: string): void {
    this.report.set(status, error);
  }
}
