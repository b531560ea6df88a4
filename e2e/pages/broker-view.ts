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
}
