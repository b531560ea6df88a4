/**
 * The broker's management API, read directly: the harness checks Warren's work against it.
 * The server's `ManagementClient` is one (apps/server/src/broker/management.ts).
 */
export interface ManagementApi {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/** A vhost's definitions as the management API exports them (the parts the harness compares). */
export interface BrokerDefinitions {
  exchanges: {
    name: string;
    type: string;
    durable: boolean;
    auto_delete: boolean;
    internal: boolean;
    arguments: Record<string, unknown>;
  }[];
  queues: {
    name: string;
    durable: boolean;
    auto_delete: boolean;
    arguments: Record<string, unknown>;
  }[];
  bindings: {
    source: string;
    destination: string;
    destination_type: string;
    routing_key: string;
    arguments: Record<string, unknown>;
  }[];
  policies?: {
    name: string;
    pattern: string;
    'apply-to': string;
    priority: number;
    definition: Record<string, unknown>;
  }[];
}

export function vhostDefinitions(api: ManagementApi, vhost: string): Promise<BrokerDefinitions> {
  return api.request<BrokerDefinitions>('GET', `/definitions/${encodeURIComponent(vhost)}`);
}
