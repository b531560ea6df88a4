import type { HealthResponse } from '@warren/protocol';
import type { Config } from '../config';
import { ReconnectingConnection } from './connection';
import type { ManagementClient } from './management';

const MANAGEMENT_PROBE_MS = 5000;

interface Log {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
  debug: (obj: object, msg: string) => void;
}

/**
 * Knows whether RabbitMQ and its management API can be reached right now. The server starts
 * without a broker, says so, and notices when one appears.
 */
export class BrokerMonitor {
  private readonly connection: ReconnectingConnection;
  private amqpError: string | undefined = 'not connected yet';
  private managementReachable = false;
  private managementError: string | undefined = 'not checked yet';
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly config: Config,
    private readonly management: ManagementClient,
    private readonly log: Log,
  ) {
    this.connection = new ReconnectingConnection(config.amqpUrl, 'warren monitor', {
      setup: async () => {},
      onConnect: () => {
        this.amqpError = undefined;
        log.info({ url: config.amqpUrlSafe }, 'connected to RabbitMQ');
        void this.probeManagement();
      },
      onDisconnect: (error) => {
        const message = error?.message ?? 'connection closed';
        if (this.amqpError === undefined)
          log.warn({ url: config.amqpUrlSafe, reason: message }, 'RabbitMQ unreachable');
        this.amqpError = message;
        this.changed();
      },
      log,
    });
  }

  start(): void {
    this.connection.start();
    void this.probeManagement();
    this.timer = setInterval(() => void this.probeManagement(), MANAGEMENT_PROBE_MS);
    this.timer.unref();
  }

  /** Called when reachability changes. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  async probeManagement(): Promise<boolean> {
    const was = this.managementReachable;
    try {
      await this.management.overview();
      this.managementReachable = true;
      this.managementError = undefined;
    } catch (error) {
      this.managementReachable = false;
      this.managementError = (error as Error).message;
      if (was) this.log.warn({ reason: this.managementError }, 'management API unreachable');
    }
    if (was !== this.managementReachable) this.changed();
    return this.managementReachable;
  }

  get amqpReachable(): boolean {
    return this.connection.connected;
  }

  get managementOk(): boolean {
    return this.managementReachable;
  }

  health(): HealthResponse {
    const amqp = this.amqpReachable;
    const management = this.managementReachable;
    let hint: string | undefined;
    if (!amqp) {
      hint = `RabbitMQ is not reachable at ${this.config.amqpUrlSafe}. Start it (e.g. \`rabbitmq-server -detached\`, or \`docker compose up\`) or set AMQP_URL.`;
    } else if (!management) {
      hint =
        'The RabbitMQ management API is not reachable: run `rabbitmq-plugins enable rabbitmq_management` or set MANAGEMENT_URL.';
    }
    return {
      status: amqp && management ? 'ok' : 'degraded',
      amqp: {
        reachable: amqp,
        url: this.config.amqpUrlSafe,
        ...(amqp || !this.amqpError ? {} : { error: this.amqpError }),
      },
      management: {
        reachable: management,
        url: this.config.managementUrl,
        ...(management || !this.managementError ? {} : { error: this.managementError }),
      },
      brokerRestart: this.config.brokerRestartCommand !== undefined,
      ...(hint ? { hint } : {}),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.connection.close();
  }
}
