import amqp, { type ChannelModel } from 'amqplib';

export interface ConnectionHooks {
  /** Runs before every attempt, e.g. to recreate a vhost the broker lost. */
  beforeConnect?: () => Promise<void>;
  /** Replayed after every successful connect: channels, consumers, tracing. */
  setup: (model: ChannelModel) => Promise<void>;
  onConnect?: () => void;
  onDisconnect?: (error: Error | undefined) => void;
  onBlocked?: (reason: string | undefined) => void;
  log: { warn: (obj: object, msg: string) => void; debug: (obj: object, msg: string) => void };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * One AMQP connection that comes back by itself: a single connect in flight, exponential backoff
 * (cancelled by close()), `error` handled on the connection, setup replayed on every reconnect.
 */
export class ReconnectingConnection {
  private model: ChannelModel | undefined;
  private connecting: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private firstConnect: { resolve: () => void; promise: Promise<void> };

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly hooks: ConnectionHooks,
    private readonly backoff = { initialMs: 200, maxMs: 5000 },
  ) {
    let resolve = () => {};
    const promise = new Promise<void>((r) => (resolve = r));
    this.firstConnect = { resolve, promise };
  }

  get connected(): boolean {
    return this.model !== undefined;
  }

  get current(): ChannelModel | undefined {
    return this.model;
  }

  start(): void {
    this.connecting ??= this.loop().finally(() => (this.connecting = undefined));
  }

  /** Resolves on the first successful connect, or false after `timeoutMs`. */
  async waitUntilConnected(timeoutMs: number): Promise<boolean> {
    if (this.model) return true;
    const timeout = new Promise<false>((resolve) =>
      setTimeout(() => resolve(false), timeoutMs).unref(),
    );
    return Promise.race([this.firstConnect.promise.then(() => true), timeout]);
  }

  private async loop(): Promise<void> {
    let delay = this.backoff.initialMs;
    while (!this.abort.signal.aborted) {
      let model: ChannelModel | undefined;
      try {
        await this.hooks.beforeConnect?.();
        model = await amqp.connect(this.url, { clientProperties: { connection_name: this.name } });
        model.on('error', (error: Error) =>
          this.hooks.log.debug({ err: error, name: this.name }, 'amqp connection error'),
        );
        model.on('blocked', (reason: string) => this.hooks.onBlocked?.(reason));
        model.on('unblocked', () => this.hooks.onBlocked?.(undefined));
        await this.hooks.setup(model);
        if (this.abort.signal.aborted) {
          await model.close().catch(() => {});
          return;
        }
        this.model = model;
        model.once('close', (error?: Error) => {
          this.model = undefined;
          if (this.abort.signal.aborted) return;
          this.hooks.log.warn(
            { name: this.name, reason: error?.message },
            'amqp connection lost; reconnecting',
          );
          this.hooks.onDisconnect?.(error);
          this.start();
        });
        this.hooks.onConnect?.();
        this.firstConnect.resolve();
        return;
      } catch (error) {
        await model?.close().catch(() => {});
        this.hooks.log.debug(
          { err: error, name: this.name, retryInMs: delay },
          'amqp connect failed',
        );
        this.hooks.onDisconnect?.(error as Error);
        await sleep(delay, this.abort.signal);
        delay = Math.min(delay * 2, this.backoff.maxMs);
      }
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    const model = this.model;
    this.model = undefined;
    await model?.close().catch(() => {});
  }
}
