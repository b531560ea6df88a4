/** The broker's management API, read directly: the harness checks Warren's work against it. */
export interface ManagementApi {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface ManagementAccess {
  /** e.g. http://127.0.0.1:15672 */
  url: string;
  user: string;
  password: string;
}

export function managementApi({ url, user, password }: ManagementAccess): ManagementApi {
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}/api${path}`, {
        method,
        headers: {
          authorization,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
  };
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
