import { ReconnectingConnection } from '../../broker/connection';
import type { ConsumerEnvironment } from './consumer-context';
import { Link } from './consumer-link';
import { SessionDisconnectedError } from './consumer-messages';

/** An apply waits for its consumers: a broker that does not answer must not hold it. */
const CONNECT_TIMEOUT_MS = 5000;
/** How long a closed channel's deliveries are still attributed to the consumer. */
const CLAIM_AFTER_CLOSE_MS = 5000;

export interface ConsumerConnectionHooks {
  /** The consumer's own connection is up (again): time to consume. */
  connected: () => void;
  /** An attempt of the own connection failed (`lost` false), or the connection went down. */
  disconnected: (error: Error | undefined, lost: boolean) => void;
}

/**
 * Where a consumer's channels come from: its own named connection, which reconnects by itself
 * and says so, or, for an exclusive queue, the session's connection (the only one allowed to
 * consume it), which the session brings back.
 */
export class ConsumerConnection {
  private own: ReconnectingConnection | undefined;

  constructor(
    private readonly env: ConsumerEnvironment,
    private readonly name: string,
    private readonly hooks: ConsumerConnectionHooks,
  ) {}

  /**
   * Opens a link: a channel with the consumer's prefetch, its deliveries claimed for the
   * consumer. `lost` is called when the channel closes; throws when no connection can be had now.
   */
  async openLink(
    exclusive: boolean,
    consumerId: string,
    prefetch: number,
    lost: (link: Link) => void,
  ): Promise<Link> {
    const model = exclusive ? this.env.sessionConnection() : await this.ownConnection().attempt();
    if (!model) throw new SessionDisconnectedError();
    const channel = await model.createChannel();
    const link = new Link(model, !exclusive, channel);
    const release = this.env.claimChannel(channel, consumerId);
    channel.once('close', () => {
      // The broker's trace of the last deliveries may arrive after the channel is gone.
      setTimeout(release, CLAIM_AFTER_CLOSE_MS).unref();
      // When the whole connection goes, its own close (with the reason) comes first.
      setImmediate(() => lost(link));
    });
    await channel.prefetch(prefetch);
    return link;
  }

  /** Whether the connection a link of this placement uses is up right now. */
  isUp(exclusive: boolean): boolean {
    return (exclusive ? this.env.sessionConnection() : this.own?.current) !== undefined;
  }

  /** Closes the own connection as a crash would; it comes back after `delayMs`. */
  async dropAndReconnect(delayMs: number): Promise<boolean> {
    return (await this.own?.dropAndReconnect(delayMs)) ?? false;
  }

  /** Closes the own connection for good; the next link opens a new one. */
  async close(): Promise<void> {
    const own = this.own;
    this.own = undefined;
    await own?.close();
  }

  private ownConnection(): ReconnectingConnection {
    if (this.own) return this.own;
    const connection = new ReconnectingConnection(
      this.env.url,
      this.name,
      {
        onConnect: () => {
          if (this.own === connection) this.hooks.connected();
        },
        onDisconnect: (error, lost) => {
          if (this.own === connection) this.hooks.disconnected(error, lost);
        },
        log: this.env.log,
      },
      { connectTimeoutMs: CONNECT_TIMEOUT_MS, quietLoss: true },
    );
    this.own = connection;
    return connection;
  }
}
