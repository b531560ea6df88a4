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
