import type { Producer } from '@warren/topology';
import { ReconnectingConnection, type ConnectionLog } from '../../broker/connection';
import { closeFromBroker } from '../../broker/forced-close';
import type { ManagementClient } from '../../broker/management';
import { ProducerConnectionError } from './producer-errors';
import { PublishChannel, type OpenChannel, type PublishChannelHooks } from './publish-channel';

/** A send waits this long for a connection attempt before it reports the broker unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

export interface ProducerConnectionTarget {
  /** AMQP URL of the broker without a vhost. */
  amqpUrl: string;
  vhost: string;
  management: ManagementClient;
  log: ConnectionLog;
}

/**
 * A producer's own connection, opened on first use and named so the broker and the fault tools
 * can tell it apart, and the channel it publishes on. The connection comes back by itself after
 * a loss; a running producer waits for it, a one-shot send makes one attempt.
 */
export class ProducerConnection {
  private connection: ReconnectingConnection | undefined;
  readonly channel: PublishChannel;
  private closed = false;

  constructor(
    private readonly target: ProducerConnectionTarget,
    readonly name: string,
    private readonly producer: () => Producer,
    private readonly hooks: Omit<PublishChannelHooks, 'connectionError'> & {
      /** The connection came up or went down. */
      changed: () => void;
    },
  ) {
    this.channel = new PublishChannel(() => this.connection?.current, {
      ...hooks,
      connectionError: () => this.connection?.lastError,
    });
  }

  get connected(): boolean {
    return this.connection?.connected ?? false;
  }

  private connect(): ReconnectingConnection {
    if (this.connection) return this.connection;
    const url = new URL(this.target.amqpUrl);
    url.pathname = `/${encodeURIComponent(this.target.vhost)}`;
    const connection = new ReconnectingConnection(
      url.href,
      this.name,
      { onConnect: this.hooks.changed, onDisconnect: this.hooks.changed, log: this.target.log },
      { connectTimeoutMs: CONNECT_TIMEOUT_MS, quietLoss: true },
    );
    this.connection = connection;
    connection.start();
    return connection;
  }

  /** The channel now: one connection attempt is made if needed, and its failure thrown. */
  async now(): Promise<OpenChannel> {
    if (this.closed) {
      throw new ProducerConnectionError(this.producer(), new Error('the session is closing'));
    }
    const connection = this.connect();
    for (let tries = 0; ; tries++) {
      const model = await connection.attempt().catch((error: unknown) => {
        throw new ProducerConnectionError(this.producer(), error);
      });
      try {
        return await this.channel.get();
      } catch (error) {
        // The connection died under the new channel (closed by the broker a moment ago): once more.
        if (connection.current === model || tries > 0) throw error;
      }
    }
  }

  /** The channel once the connection is up, however long that takes; undefined once `signal` aborts. */
  async whenConnected(signal: AbortSignal): Promise<OpenChannel | undefined> {
    const connection = this.connect();
    for (;;) {
      const model = await connection.whenConnected(signal);
      if (!model) return undefined;
      try {
        return await this.channel.get();
      } catch (error) {
        // Only a channel refused on a connection that is still up stops the producer.
        if (connection.current === model) throw error;
      }
    }
  }

  /**
   * Closes the connection from the broker's side, so the producer meets a CONNECTION_FORCED like
   * a real application, and comes back by itself. False when none was open.
   */
  async closeFromBroker(): Promise<boolean> {
    const model = this.connection?.current;
    if (!model) return false;
    await closeFromBroker(model, { ...this.target, connectionName: this.name });
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.close();
  }
}
