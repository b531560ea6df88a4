import type { QueueState } from '@warren/protocol';
import type { ManagementClient } from '../broker/management';

interface QueueStatsRow {
  name: string;
  message_stats?: {
    publish_details?: { rate?: number };
    deliver_get_details?: { rate?: number };
    ack_details?: { rate?: number };
  };
}

interface Rates {
  publishRate: number;
  deliverRate: number;
  ackRate: number;
}

const round = (rate: number | undefined) => Math.round((rate ?? 0) * 10) / 10;

const COLUMNS = [
  'name',
  'message_stats.publish_details.rate',
  'message_stats.deliver_get_details.rate',
  'message_stats.ack_details.rate',
].join(',');

/**
 * Per-queue message rates as the management API computes them (messages per second, averaged
 * over its sampling window). The broker refreshes them every 5 s (collect_statistics_interval),
 * so they are read at a steady, slower cadence than depths, and attached to queue-stats.
 */
export class QueueRates {
  private rates = new Map<string, Rates>();

  constructor(
    private readonly management: ManagementClient,
    private readonly vhost: string,
  ) {}

  async refresh(): Promise<void> {
    const rows = await this.management.request<QueueStatsRow[]>(
      'GET',
      `/queues/${encodeURIComponent(this.vhost)}?columns=${COLUMNS}`,
    );
    this.rates = new Map(
      rows.map((row) => [
        row.name,
        {
          publishRate: round(row.message_stats?.publish_details?.rate),
          deliverRate: round(row.message_stats?.deliver_get_details?.rate),
          ackRate: round(row.message_stats?.ack_details?.rate),
        },
      ]),
    );
  }

  /** The states with the rates of each queue, when the management API has reported them. */
  attach(states: QueueState[]): QueueState[] {
    if (this.rates.size === 0) return states;
    return states.map((state) => {
      const rates = this.rates.get(state.brokerName ?? state.name);
      return rates ? { ...state, ...rates } : state;
    });
  }
}
