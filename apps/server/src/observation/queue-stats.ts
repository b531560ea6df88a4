import type { ChannelModel } from 'amqplib';
import type { Queue, Topology } from '@warren/topology';
import type { QueueState } from '@warren/protocol';
import { brokerRefusal } from '../broker/amqp-errors';
import type { ManagementClient } from '../broker/management';
import { ChannelSlot, openChannel } from '../broker/channel-slot';
import type { EventStream } from '../events/event-stream';
import type { QueueRates } from './queue-rates';

/** How often unacked counts are read from the management API (its own stats refresh every 5 s). */
const MANAGEMENT_STATS_MS = 2000;
/** A burst of firehose records is one read of the depths. */
const SOON_MS = 60;

export interface QueueStatsHost {
  readonly id: string;
  readonly vhost: string;
  readonly events: EventStream;
  readonly topology: Topology;
  /** The session's connection, while it is up. */
  connection(): ChannelModel | undefined;
  /** A queue's broker name; undefined for a server-named one the broker has not named yet. */
  namedOnBroker(queue: Queue): string | undefined;
  toDiagram(brokerName: string): string;
}

/**
 * Depth, consumers, unacked and rates of every queue of the diagram. Depths come from a passive
 * queue.declare (real time); unacked counts and rates from the management API, which lags.
 * While someone watches, a `queue-stats` event goes out whenever they change.
 */
export class QueueStats {
  private readonly channel: ChannelSlot;
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;
  private lastSent = '';
  private unacked = new Map<string, number>();
  /**
   * Queues exclusive to an outside client's connection: a passive declare of one is refused
   * (405 RESOURCE_LOCKED), so their depth and consumers come from the management listing.
   */
  private readonly locked = new Set<string>();
  private listed = new Map<string, { messages: number; consumers: number }>();
  private lastManagementRead = 0;

  constructor(
    private readonly host: QueueStatsHost,
    private readonly management: ManagementClient,
    private readonly rates: QueueRates,
    private readonly log: { debug: (obj: object, msg: string) => void },
  ) {
    this.channel = new ChannelSlot(() => host.connection(), openChannel);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.poll(), intervalMs);
    this.timer.unref();
  }

  /** The connection is new: so is the channel depths are read on. */
  reset(): void {
    this.channel.reset();
    this.locked.clear();
  }

  /** Depth and consumers of every queue in the diagram, read from the broker. */
  async states(): Promise<QueueState[]> {
    if (!this.host.connection()) return [];
    if (Date.now() - this.lastManagementRead > MANAGEMENT_STATS_MS) await this.readListing();
    const states: QueueState[] = [];
    for (const queue of this.host.topology.queues) {
      const brokerName = this.host.namedOnBroker(queue);
      // A server-named queue the broker has not named yet (its declaration failed) has no state.
      if (brokerName === undefined) continue;
      if (this.locked.has(brokerName)) {
        const listed = this.listed.get(brokerName);
        const unacked = this.unacked.get(queue.name);
        if (listed)
          states.push({
            name: queue.name,
            ...listed,
            ...(unacked === undefined ? {} : { unacked }),
          });
        continue;
      }
      try {
        const reply = await this.channel.run((ch) => ch.checkQueue(brokerName));
        const unacked = this.unacked.get(queue.name);
        states.push({
          name: queue.name,
          ...(brokerName === queue.name ? {} : { brokerName }),
          messages: reply.messageCount,
          consumers: reply.consumerCount,
          ...(unacked === undefined ? {} : { unacked }),
        });
      } catch (error) {
        const refusal = brokerRefusal(error);
        if (!refusal) break;
        if (refusal.replyCode !== 405) continue;
        this.locked.add(brokerName);
        await this.readListing();
        const listed = this.listed.get(brokerName);
        if (listed) states.push({ name: queue.name, ...listed });
      }
    }
    return this.rates.attach(states);
  }

  /** Unacked counts of every queue, and depths of the locked ones, from the management API. */
  private async readListing(): Promise<void> {
    this.lastManagementRead = Date.now();
    try {
      const listed = await this.management.listQueues(this.host.vhost);
      this.unacked = new Map(
        listed.map((q) => [this.host.toDiagram(q.name), q.messages_unacknowledged ?? 0]),
      );
      this.listed = new Map(
        listed.map((q) => [
          q.name,
          { messages: q.messages_ready ?? q.messages ?? 0, consumers: q.consumers ?? 0 },
        ]),
      );
    } catch {
      // Unacked counts are extra; depths still come from AMQP.
    }
  }

  /** Messages moved: read the depths shortly, once for a whole burst. */
  soon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.poll();
    }, SOON_MS);
  }

  /** The diagram changed: the next reading goes out even if it equals the last one sent. */
  changed(): void {
    this.lastSent = '';
    void this.poll();
  }

  private async poll(): Promise<void> {
    if (this.polling || this.closed || this.host.events.watcherCount === 0) return;
    this.polling = true;
    try {
      const queues = await this.states();
      const snapshot = JSON.stringify(queues);
      if (snapshot !== this.lastSent) {
        this.lastSent = snapshot;
        this.host.events.emit({ type: 'queue-stats', queues });
      }
    } catch (error) {
      this.log.debug({ err: error, session: this.host.id }, 'queue stats failed');
    } finally {
      this.polling = false;
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    clearTimeout(this.pending);
  }
}
