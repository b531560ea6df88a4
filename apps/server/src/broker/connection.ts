import amqp, { type ChannelModel } from 'amqplib';
import { rememberOwnConnection } from './own-connections';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { sleep, unlessAborted } from './waits';

/** A broker that does not answer must not hold an attempt (and a close waiting for it) forever. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface ConnectionLog {
  warn: (obj: object, msg: string) => void;
  debug: (obj: object, msg: string) => void;
}

export interface ConnectionHooks {
  /** Runs before every attempt, e.g. to recreate a vhost the broker lost. */
  beforeConnect?: () => Promise<void>;
  /** Replayed after every successful connect, before it counts as connected: channels, tracing. */
  setup?: (model: ChannelModel) => Promise<void>;
  onConnect?: (model: ChannelModel) => void;
  /** An attempt failed (`lost` false), or the connection that was up went down (`lost` true). */
  onDisconnect?: (error: Error | undefined, lost: boolean) => void;
  onBlocked?: (reason: string | undefined) => void;
  log: ConnectionLog;
}

export interface ConnectionOptions {
  backoff?: BackoffOptions;
  /** How long one attempt may take before it counts as failed. */
  connectTimeoutMs?: number;
  /** Losing this connection is part of a lesson (a fault, a kill): not worth a warning. */
  quietLoss?: boolean;
}

/**
 * One AMQP connection that comes back by itself, the one way every connection of the server
 * (a session's, a monitor's, each producer's and consumer's) is held: a single connect in flight,
 * backoff with jitter between attempts, cancelled by close() without leaving listeners behind,
 * `error` handled on the connection, setup replayed on every reconnect.
 */
export class ReconnectingConnection {
  private model: ChannelModel | undefined;
  private connecting: Promise<void> | undefined;
  private readonly closing = new AbortController();
  /** Aborted to cut the wait under way short: someone needs the connection now. */
  private retryNow: AbortController | undefined;
  private readonly backoff: Backoff;
  private failure: Error | undefined;
  /** The wait before reconnecting after the next loss, when it is not the backoff's. */
  private delayAfterLoss: number | undefined;
  /** Settles at the end of every attempt (and at close), then is replaced. */
  private attemptEnded = settleable();

  constructor(
    private readonly url: string,
    readonly name: string,
    private readonly hooks: ConnectionHooks,
    private readonly options: ConnectionOptions = {},
  ) {
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  }

  get connected(): boolean {
    return this.model !== undefined;
  }

  get current(): ChannelModel | undefined {
    return this.model;
  }

  /** Why the last attempt failed or the last connection went down. */
  get lastError(): Error | undefined {
    return this.failure;
  }

  private get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Starts connecting, unless connected or already connecting. */
  start(): void {
    this.startAfter(0);
  }

  private startAfter(delayMs: number): void {
    if (this.closed || this.model) return;
    this.connecting ??= this.loop(delayMs).finally(() => (this.connecting = undefined));
  }

  /** True once connected, false when `timeoutMs` passes first. */
  async waitUntilConnected(timeoutMs: number): Promise<boolean> {
    return (await this.whenConnected(AbortSignal.timeout(timeoutMs))) !== undefined;
  }

  /** The connection once it is up; undefined when `signal` aborts or the connection is closed. */
  async whenConnected(signal?: AbortSignal): Promise<ChannelModel | undefined> {
    this.start();
    while (!this.model) {
      if (this.closed || signal?.aborted) return undefined;
      await unlessAborted(this.attemptEnded.promise, signal);
    }
    return this.model;
  }

  /**
   * The connection, or the error of one attempt made now (a wait in backoff is cut short): for a
   * request a user is waiting on, which should fail rather than hang while the broker is away.
   */
  async attempt(): Promise<ChannelModel> {
    if (this.model) return this.model;
    if (this.closed) throw new Error(`connection '${this.name}' is closed`);
    const ended = this.attemptEnded.promise;
    this.start();
    this.retryNow?.abort();
    await ended;
    if (this.model) return this.model;
    throw this.failure ?? new Error(`connection '${this.name}' is closed`);
  }

  /**
   * Closes the connection from this side, as a crashing client would, and connects again after
   * `delayMs`. False when it was not connected.
   */
  async dropAndReconnect(delayMs: number): Promise<boolean> {
    const model = this.model;
    if (!model) return false;
    this.delayAfterLoss = delayMs;
    await model.close().catch(() => {});
    return true;
  }

  private async loop(delayMs: number): Promise<void> {
    if (delayMs > 0) await this.pause(delayMs);
    while (!this.closed) {
      let model: ChannelModel;
      try {
        model = await this.connectOnce();
      } catch (error) {
        if (this.closed) break;
        const reason = error instanceof Error ? error : new Error(String(error));
        this.failure = reason;
        const retryInMs = this.backoff.next();
        this.hooks.log.debug({ err: reason, name: this.name, retryInMs }, 'amqp connect failed');
        this.ended();
        this.hooks.onDisconnect?.(reason, false);
        await this.pause(retryInMs);
        continue;
      }
      if (this.closed) {
        await model.close().catch(() => {});
        break;
      }
      this.model = model;
      this.failure = undefined;
      this.backoff.reset();
      this.ended();
      this.hooks.onConnect?.(model);
      return;
    }
    this.ended();
  }

  /** One attempt: connect and run the setup; a connection that fails its setup is closed again. */
  private async connectOnce(): Promise<ChannelModel> {
    await this.hooks.beforeConnect?.();
    const model = await amqp.connect(this.url, {
      clientProperties: { connection_name: this.name },
      timeout: this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    });
    rememberOwnConnection(model);
    // An unhandled 'error' would crash the process; the 'close' that follows says the rest.
    model.on('error', (error: Error) => {
      this.failure = error;
      this.hooks.log.debug({ err: error, name: this.name }, 'amqp connection error');
    });
    model.on('blocked', (reason: string) => this.hooks.onBlocked?.(reason));
    model.on('unblocked', () => this.hooks.onBlocked?.(undefined));
    const setup = { lost: undefined as Error | undefined };
    model.once('close', (error?: Error) => {
      if (this.model === model) this.lost(error);
      else setup.lost = error ?? new Error('connection closed during setup');
    });
    try {
      await this.hooks.setup?.(model);
      if (setup.lost) throw setup.lost;
    } catch (error) {
      await model.close().catch(() => {});
      throw error;
    }
    return model;
  }

  private lost(error: Error | undefined): void {
    this.model = undefined;
    if (this.closed) return;
    this.failure = error;
    const level = this.options.quietLoss === true ? 'debug' : 'warn';
    this.hooks.log[level](
      { name: this.name, reason: error?.message },
      'amqp connection lost; reconnecting',
    );
    this.hooks.onDisconnect?.(error, true);
    const delay = this.delayAfterLoss ?? this.backoff.next();
    this.delayAfterLoss = undefined;
    this.startAfter(delay);
  }

  private async pause(ms: number): Promise<void> {
    const retryNow = new AbortController();
    this.retryNow = retryNow;
    await sleep(ms, this.closing.signal, retryNow.signal);
    if (this.retryNow === retryNow) this.retryNow = undefined;
  }

  private ended(): void {
    const ended = this.attemptEnded;
    this.attemptEnded = settleable();
    ended.settle();
  }

  /** Stops for good: a wait in backoff ends at once, an attempt under way is closed when done. */
  async close(): Promise<void> {
    this.closing.abort();
    this.ended();
    const model = this.model;
    this.model = undefined;
    await Promise.all([model?.close().catch(() => {}), this.connecting]);
  }
}

function settleable(): { promise: Promise<void>; settle: () => void } {
  let settle = () => {};
  const promise = new Promise<void>((resolve) => (settle = resolve));
  return { promise, settle };
}
