/** One entry of a dead letter's `x-death` header: why, from which queue, how many times. */
export interface DeathEntry {
  reason: string;
  queue: string;
  count: number;
  exchange?: string;
  'routing-keys'?: string[];
}

/** A message as the management API's "get messages" shows it. */
export interface PeekedMessage {
  payload: string;
  routing_key: string;
  exchange: string;
  properties: {
    message_id?: string;
    correlation_id?: string;
    reply_to?: string;
    headers?: { 'x-death'?: DeathEntry[] } & Record<string, unknown>;
  };
}

/** The broker's own view, straight from the RabbitMQ management API (not through Warren). */
export class BrokerView {
  private readonly base = process.env.MANAGEMENT_URL ?? 'http://127.0.0.1:15672';
  private readonly auth = `Basic ${Buffer.from(`${process.env.MANAGEMENT_USER ?? 'guest'}:${process.env.MANAGEMENT_PASSWORD ?? 'guest'}`).toString('base64')}`;

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.base}/api${path}`, {
      headers: { authorization: this.auth },
    });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return (await response.json()) as T;
  }

  async exchanges(vhost: string) {
    return this.get<{ name: string; type: string }[]>(`/exchanges/${encodeURIComponent(vhost)}`);
  }

  async bindings(vhost: string) {
    return this.get<{ source: string; destination: string; routing_key: string }[]>(
      `/bindings/${encodeURIComponent(vhost)}`,
    );
  }

  /** Ready messages per queue, as the management API reports them (its stats lag a few seconds). */
  async depths(vhost: string): Promise<Record<string, number>> {
    const queues = await this.get<{ name: string; messages_ready?: number }[]>(
      `/queues/${encodeURIComponent(vhost)}?columns=name,messages_ready`,
    );
    return Object.fromEntries(queues.map((q) => [q.name, q.messages_ready ?? 0]));
  }

  /** One queue's declared settings and arguments, and the policy the broker applies to it. */
  async queue(vhost: string, name: string) {
    return this.get<{
      name: string;
      durable: boolean;
      exclusive: boolean;
      auto_delete: boolean;
      arguments: Record<string, unknown>;
      policy?: string | null;
      effective_policy_definition?: Record<string, unknown> | null;
    }>(`/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}`);
  }

  async exchange(vhost: string, name: string) {
    return this.get<{
      name: string;
      type: string;
      internal: boolean;
      arguments: Record<string, unknown>;
      policy?: string | null;
    }>(`/exchanges/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}`);
  }

  /** Bindings with their arguments (a headers binding's x-match and headers live there). */
  async bindingsWithArguments(vhost: string) {
    return this.get<
      {
        source: string;
        destination: string;
        destination_type: string;
        routing_key: string;
        arguments: Record<string, unknown>;
      }[]
    >(`/bindings/${encodeURIComponent(vhost)}`);
  }

  /** Ready and unacked messages of one queue (the management API's stats lag a few seconds). */
  async queueCounts(vhost: string, name: string) {
    const queue = await this.get<{ messages_ready?: number; messages_unacknowledged?: number }>(
      `/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}?columns=messages_ready,messages_unacknowledged`,
    );
    return { ready: queue.messages_ready ?? 0, unacked: queue.messages_unacknowledged ?? 0 };
  }

  /** Whether the queue exists on the broker. */
  async hasQueue(vhost: string, name: string): Promise<boolean> {
    const response = await fetch(
      `${this.base}/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}`,
      { headers: { authorization: this.auth } },
    );
    if (response.status === 404) return false;
    if (!response.ok) throw new Error(`GET queue ${name}: ${response.status}`);
    return true;
  }

  /**
   * Looks at up to `count` messages of a queue and puts them back (they come back marked
   * redelivered), with their headers: a dead letter's `x-death` says why and from where.
   */
  async peek(vhost: string, name: string, count: number) {
    const response = await fetch(
      `${this.base}/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}/get`,
      {
        method: 'POST',
        headers: { authorization: this.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ count, ackmode: 'ack_requeue_true', encoding: 'auto' }),
      },
    );
    if (!response.ok) throw new Error(`get from ${name}: ${response.status}`);
    return (await response.json()) as PeekedMessage[];
  }

  /** Messages the broker routed into a queue and delivered from it, by its statistics (they lag). */
  async queueTraffic(vhost: string, name: string) {
    const queue = await this.get<{ message_stats?: { publish?: number; deliver_get?: number } }>(
      `/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}?columns=message_stats`,
    );
    return {
      published: queue.message_stats?.publish ?? 0,
      delivered: queue.message_stats?.deliver_get ?? 0,
    };
  }

  /**
   * How many ready messages a queue holds, read from the queue itself (a peek), so without the
   * few seconds of lag of the management API's statistics.
   */
  async readyCount(vhost: string, name: string): Promise<number> {
    return (await this.peek(vhost, name, 1000)).length;
  }

  async policies(vhost: string) {
    return this.get<
      {
        name: string;
        pattern: string;
        'apply-to': string;
        priority: number;
        definition: Record<string, unknown>;
      }[]
    >(`/policies/${encodeURIComponent(vhost)}`);
  }
}
