import { ERROR_CODES, type BrokerAlarm } from '@warren/protocol';
import { WarrenError } from '../errors/warren-error';

const MANAGEMENT_HINT = {
  hint: 'Run `rabbitmq-plugins enable rabbitmq_management` on the broker, or set MANAGEMENT_URL.',
};

/** A small client of the RabbitMQ management HTTP API (the parts Warren uses). */
export class ManagementError extends WarrenError {
  constructor(
    readonly status: number,
    message: string,
    /** The broker's own explanation, e.g. why it refused a policy. */
    readonly reason = message,
    /** The reply's JSON body, when it had one. */
    readonly body?: unknown,
  ) {
    // An outage is the user's to fix (start the plugin); any other failure is Warren's.
    const outage = status === 0 || status >= 500;
    super(outage ? 'MANAGEMENT_UNAVAILABLE' : 'INTERNAL', message, outage ? MANAGEMENT_HINT : {});
    this.name = 'ManagementError';
  }

  /** Its message names URLs and the API's own words: for the log and /api/health only. */
  override get replyMessage(): string {
    return ERROR_CODES[this.code];
  }
}

/** The management API HTML-escapes its reasons and wraps them in "Validation failed" lines. */
function unescapeReason(reason: string): string {
  return reason
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/^Validation failed\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface BrokerExchange {
  name: string;
  type: string;
  durable: boolean;
  auto_delete: boolean;
  internal: boolean;
  arguments: Record<string, unknown>;
}

export interface BrokerQueue {
  name: string;
  durable: boolean;
  auto_delete: boolean;
  exclusive: boolean;
  arguments: Record<string, unknown>;
  messages?: number;
  messages_ready?: number;
  messages_unacknowledged?: number;
  consumers?: number;
}

export interface BrokerBinding {
  source: string;
  destination: string;
  destination_type: 'queue' | 'exchange';
  routing_key: string;
  arguments: Record<string, unknown>;
  properties_key: string;
}

/** A vhost policy as the management API lists it. */
export interface BrokerPolicy {
  vhost?: string;
  name: string;
  pattern: string;
  'apply-to': string;
  definition: Record<string, unknown>;
  priority: number;
}

/** What `GET /api/definitions/<vhost>` holds (fields Warren reads; the file has more). */
export interface VhostDefinitions {
  exchanges?: BrokerExchange[];
  queues?: Omit<BrokerQueue, 'exclusive'>[];
  bindings?: Omit<BrokerBinding, 'properties_key'>[];
  policies?: BrokerPolicy[];
  [other: string]: unknown;
}

export interface BrokerVhost {
  name: string;
  description?: string;
  tracing?: boolean;
}

const v = encodeURIComponent;

export class ManagementClient {
  private readonly authorization: string;

  constructor(
    readonly baseUrl: string,
    user: string,
    password: string,
    private readonly timeoutMs = 5000,
  ) {
    this.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api${path}`, {
        method,
        headers: {
          authorization: this.authorization,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ManagementError(
        0,
        `management API at ${this.baseUrl} unreachable: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let reason = text;
      let parsed: { reason?: string; error?: string } | undefined;
      try {
        parsed = JSON.parse(text) as { reason?: string; error?: string };
        reason = parsed.reason ?? parsed.error ?? text;
      } catch {
        // Not JSON: keep the raw text as the reason.
      }
      throw new ManagementError(
        response.status,
        `${method} ${path}: ${response.status} ${reason}`,
        unescapeReason(reason),
        parsed,
      );
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  overview(): Promise<{ rabbitmq_version: string }> {
    return this.request('GET', '/overview');
  }

  /**
   * The resource alarms on in the cluster (memory, disk), asked live: the health check answers
   * 503 with the alarms while any is on (node statistics would lag by seconds).
   */
  async alarms(): Promise<BrokerAlarm[]> {
    let reply: { alarms?: { resource?: string }[] };
    try {
      reply = await this.request('GET', '/health/checks/alarms');
    } catch (error) {
      if (!(error instanceof ManagementError) || error.status !== 503 || !error.body) throw error;
      reply = error.body;
    }
    const on = new Set<BrokerAlarm>();
    for (const alarm of reply.alarms ?? []) {
      if (alarm.resource === 'memory') on.add('memory');
      if (alarm.resource === 'disk') on.add('disk');
    }
    return [...on].sort();
  }

  listVhosts(): Promise<BrokerVhost[]> {
    return this.request('GET', '/vhosts?columns=name,description,tracing');
  }

  async createVhost(name: string, description: string): Promise<void> {
    await this.request('PUT', `/vhosts/${v(name)}`, { description, tracing: true });
  }

  /**
   * Tracing is off again after a broker restart; this turns it back on. A PUT of the vhost
   * replaces its description too, so the one it has (with its "created" stamp) is sent back.
   */
  async enableTracing(name: string): Promise<void> {
    const current = await this.request<{ description?: string; tracing?: boolean }>(
      'GET',
      `/vhosts/${v(name)}`,
    );
    if (current.tracing === true) return;
    await this.request('PUT', `/vhosts/${v(name)}`, {
      description: current.description ?? '',
      tracing: true,
    });
  }

  async deleteVhost(name: string): Promise<void> {
    try {
      await this.request('DELETE', `/vhosts/${v(name)}`);
    } catch (error) {
      if (!(error instanceof ManagementError && error.status === 404)) throw error;
    }
  }

  async setVhostLimit(
    vhost: string,
    limit: 'max-connections' | 'max-queues',
    value: number,
  ): Promise<void> {
    await this.request('PUT', `/vhost-limits/${v(vhost)}/${limit}`, { value });
  }

  /** A per-user limit: how many connections, or channels in all, the user may open. */
  async setUserLimit(
    user: string,
    limit: 'max-connections' | 'max-channels',
    value: number,
  ): Promise<void> {
    await this.request('PUT', `/user-limits/${v(user)}/${limit}`, { value });
  }

  /**
   * An operator policy: applied by the operator, combined with the user's own policy (the
   * lower limit wins), and out of reach of a user without the policymaker tag.
   */
  async putOperatorPolicy(vhost: string, policy: Omit<BrokerPolicy, 'vhost'>): Promise<void> {
    const { name, ...body } = policy;
    await this.request('PUT', `/operator-policies/${v(vhost)}/${v(name)}`, body);
  }

  async createUser(name: string, password: string, tags = ''): Promise<void> {
    await this.request('PUT', `/users/${v(name)}`, { password, tags });
  }

  async deleteUser(name: string): Promise<void> {
    try {
      await this.request('DELETE', `/users/${v(name)}`);
    } catch (error) {
      if (!(error instanceof ManagementError && error.status === 404)) throw error;
    }
  }

  async listUsers(): Promise<{ name: string }[]> {
    return this.request('GET', '/users?columns=name');
  }

  async grantAll(vhost: string, user: string): Promise<void> {
    await this.request('PUT', `/permissions/${v(vhost)}/${v(user)}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
  }

  listExchanges(vhost: string): Promise<BrokerExchange[]> {
    return this.request(
      'GET',
      `/exchanges/${v(vhost)}?columns=name,type,durable,auto_delete,internal,arguments`,
    );
  }

  /** Every queue of a vhost; without `stats`, only what declares it (a lighter read). */
  listQueues(vhost: string, options: { stats?: boolean } = {}): Promise<BrokerQueue[]> {
    const columns =
      options.stats === false
        ? 'name,durable,auto_delete,exclusive,arguments'
        : 'name,durable,auto_delete,exclusive,arguments,messages,messages_ready,messages_unacknowledged,consumers';
    return this.request('GET', `/queues/${v(vhost)}?columns=${columns}`);
  }

  listBindings(vhost: string): Promise<BrokerBinding[]> {
    return this.request('GET', `/bindings/${v(vhost)}`);
  }

  listPolicies(vhost: string): Promise<BrokerPolicy[]> {
    return this.request('GET', `/policies/${v(vhost)}`);
  }

  async putPolicy(vhost: string, policy: Omit<BrokerPolicy, 'vhost'>): Promise<void> {
    const { name, ...body } = policy;
    await this.request('PUT', `/policies/${v(vhost)}/${v(name)}`, body);
  }

  async deletePolicy(vhost: string, name: string): Promise<void> {
    try {
      await this.request('DELETE', `/policies/${v(vhost)}/${v(name)}`);
    } catch (error) {
      if (!(error instanceof ManagementError && error.status === 404)) throw error;
    }
  }

  /**
   * One vhost's definitions, as RabbitMQ exports them: its exchanges (built-in ones left out),
   * queues and bindings (exclusive queues left out) and policies, in one read.
   */
  definitions(vhost: string): Promise<VhostDefinitions> {
    return this.request('GET', `/definitions/${v(vhost)}`);
  }

  /** What `rabbitmqctl import_definitions` does for one vhost: merges the file into it. */
  async importDefinitions(vhost: string, definitions: unknown): Promise<void> {
    await this.request('POST', `/definitions/${v(vhost)}`, definitions);
  }

  async connectionCount(vhost: string): Promise<number> {
    const connections = await this.request<unknown[]>(
      'GET',
      `/vhosts/${v(vhost)}/connections?columns=name`,
    );
    return connections.length;
  }
}
