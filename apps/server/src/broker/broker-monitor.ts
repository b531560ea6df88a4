import { alarmSentence, type BrokerAlarm, type HealthResponse } from '@warren/protocol';
import type { Config } from '../config';
import { ReconnectingConnection } from './connection';
import type { ManagementClient } from './management';

// Also how soon a resource alarm is noticed (the check is one cheap request).
const MANAGEMENT_PROBE_MS = 2000;
/** While an alarm is on, it is checked this often, so its end is shown soon. */
const ALARM_PROBE_MS = 1000;

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
  private alarmTimer: NodeJS.Timeout | undefined;
  private alarmsOn: BrokerAlarm[] = [];
  private probing: Promise<boolean> | undefined;
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

  /** Checks the management API and the alarms now; calls made meanwhile share the check. */
  probeManagement(): Promise<boolean> {
    this.probing ??= this.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probe(): Promise<boolean> {
    const was = this.managementReachable;
    const alarmsWere = this.alarmsOn.join();
    try {
      this.alarmsOn = await this.management.alarms();
      this.managementReachable = true;
      this.managementError = undefined;
    } catch (error) {
      this.managementReachable = false;
      this.managementError = (error as Error).message;
      if (was) this.log.warn({ reason: this.managementError }, 'management API unreachable');
    }
    const alarmsChanged = alarmsWere !== this.alarmsOn.join();
    if (alarmsChanged) {
      if (this.alarmsOn.length > 0)
        this.log.warn({ alarms: this.alarmsOn }, 'RabbitMQ resource alarm: publishers blocked');
      else this.log.info({}, 'RabbitMQ resource alarms cleared');
      this.watchAlarms();
    }
    if (was !== this.managementReachable || alarmsChanged) this.changed();
    return this.managementReachable;
  }

  /** Checks often while an alarm is on, at the usual pace otherwise. */
  private watchAlarms(): void {
    clearInterval(this.alarmTimer);
    this.alarmTimer = undefined;
    if (this.alarmsOn.length === 0 || this.timer === undefined) return;
    this.alarmTimer = setInterval(() => void this.probeManagement(), ALARM_PROBE_MS);
    this.alarmTimer.unref();
  }

  /** The broker's resource alarms that are on, as last checked. */
  get alarms(): readonly BrokerAlarm[] {
    return this.alarmsOn;
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
    const alarms = amqp && management ? this.alarmsOn : [];
    if (alarms.length > 0) {
      hint = alarmSentence(alarms);
    } else if (!amqp) {
      hint = `RabbitMQ is not reachable at ${this.config.amqpUrlSafe}. Start it (e.g. \`rabbitmq-server -detached\`, or \`docker compose up\`) or set AMQP_URL.`;
    } else if (!management) {
      hint =
        'The RabbitMQ management API is not reachable: run `rabbitmq-plugins enable rabbitmq_management` or set MANAGEMENT_URL.';
    }
    return {
      status: amqp && management && alarms.length === 0 ? 'ok' : 'degraded',
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
      ...(alarms.length > 0 ? { alarms: [...alarms] } : {}),
      ...(hint ? { hint } : {}),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.alarmTimer);
    this.timer = undefined;
    await this.connection.close();
  }
}
