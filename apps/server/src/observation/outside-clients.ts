import type { OutsideClient } from '@warren/protocol';
import type { ManagementClient } from '../broker/management';
import type { EventStream } from '../events/event-stream';

/**
 * Connections on the session's vhost that Warren did not make: a pika script, an amqplib
 * service, a Spring app given the session's AMQP details. Warren names every connection it
 * makes (`warren session <id>` for the session's own, `warren:<session>:producer:<id>` and
 * `warren:<session>:consumer:<id>` for the nodes it runs), so any other name is outside.
 *
 * Presence and consumers come from the management API (it lists a connection about a second
 * after it opens); the exchanges a client publishes to come from the firehose at once, so a
 * publisher shows up with its first message, even before the management API lists it.
 */

/** Names of the connections Warren makes itself. */
export function isWarrenConnectionName(name: string | undefined): boolean {
  return name !== undefined && (name.startsWith('warren:') || name.startsWith('warren session '));
}

/** A client seen only on the firehose is dropped if the management API never lists it by then. */
const UNLISTED_GRACE_MS = 5000;

interface ConnectionRow {
  name: string;
  user?: string;
  user_provided_name?: string;
  client_properties?: { connection_name?: string; product?: string };
  peer_host?: string;
  peer_port?: number;
}

interface ConsumerRow {
  queue?: { name?: string };
  channel_details?: { connection_name?: string };
}

interface Known {
  client: OutsideClient;
  /** The last event sent for it, to send only changes. */
  sent: string;
  listed: boolean;
  firstSeen: number;
}

export interface OutsideClientsHost {
  readonly vhost: string;
  readonly events: EventStream;
  readonly management: ManagementClient;
  /** A queue's broker name as the diagram says it. */
  toDiagram(queue: string): string;
}

export class OutsideClients {
  private readonly known = new Map<string, Known>();
  /** Broker names of Warren's own connections, as the last listing said. */
  private readonly own = new Set<string>();
  /** Exchanges each connection published to, from the firehose. */
  private readonly published = new Map<string, Set<string>>();
  private polling: Promise<void> | undefined;

  constructor(
    private readonly host: OutsideClientsHost,
    private readonly ownUser: string,
  ) {}

  /**
   * Whether a publish the firehose reported came from outside Warren: from a connection listed
   * as outside, or from a user other than Warren's on a connection not known to be Warren's.
   */
  isOutside(user: string, connection: string): boolean {
    if (this.known.get(connection)?.listed === true) return true;
    return user !== this.ownUser && !this.own.has(connection);
  }

  /** A publish reported by the firehose. */
  onPublish(user: string, connection: string, exchange: string, now = Date.now()): void {
    if (!this.isOutside(user, connection)) return;
    let exchanges = this.published.get(connection);
    if (!exchanges) {
      exchanges = new Set();
      this.published.set(connection, exchanges);
    }
    if (exchanges.has(exchange)) return;
    exchanges.add(exchange);
    const known = this.known.get(connection);
    const client = known
      ? { ...known.client }
      : { id: connection, role: 'producer' as const, queues: [], exchanges: [], label: connection };
    client.exchanges = [...exchanges].sort();
    client.role = roleOf(client.queues, client.exchanges);
    this.update(client, known?.listed ?? false, known?.firstSeen ?? now);
  }

  /** Reads connections and consumers of the vhost once (callers share a read under way). */
  poll(now = Date.now()): Promise<void> {
    this.polling ??= this.read(now).finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async read(now: number): Promise<void> {
    const v = encodeURIComponent(this.host.vhost);
    const [connections, consumers] = await Promise.all([
      this.host.management.request<ConnectionRow[]>(
        'GET',
        `/vhosts/${v}/connections?columns=name,user,user_provided_name,client_properties,peer_host,peer_port`,
      ),
      this.host.management.request<ConsumerRow[]>(
        'GET',
        `/consumers/${v}?columns=queue.name,channel_details.connection_name`,
      ),
    ]);
    const consumed = new Map<string, Set<string>>();
    for (const row of consumers) {
      const connection = row.channel_details?.connection_name;
      const queue = row.queue?.name;
      if (connection === undefined || queue === undefined) continue;
      const queues = consumed.get(connection) ?? new Set<string>();
      queues.add(this.host.toDiagram(queue));
      consumed.set(connection, queues);
    }
    const listed = new Set<string>();
    this.own.clear();
    for (const row of connections) {
      const given = row.user_provided_name ?? row.client_properties?.connection_name;
      if (isWarrenConnectionName(given)) {
        this.own.add(row.name);
        continue;
      }
      listed.add(row.name);
      const queues = [...(consumed.get(row.name) ?? [])].sort();
      const exchanges = [...(this.published.get(row.name) ?? [])].sort();
      const product = row.client_properties?.product ?? 'client';
      const where =
        row.peer_host === undefined ? row.name : `${row.peer_host}:${row.peer_port ?? ''}`;
      this.update(
        {
          id: row.name,
          role: roleOf(queues, exchanges),
          queues,
          exchanges,
          label: given ?? `${product} ${where}`,
        },
        true,
        this.known.get(row.name)?.firstSeen ?? now,
      );
    }
    for (const [id, known] of this.known) {
      if (listed.has(id)) continue;
      // Seen on the firehose only: the management API may not list it yet.
      if (!known.listed && now - known.firstSeen < UNLISTED_GRACE_MS) continue;
      this.known.delete(id);
      this.published.delete(id);
      this.host.events.emit({ type: 'outside-client', client: known.client, gone: true });
    }
    for (const connection of this.published.keys()) {
      if (!this.known.has(connection)) this.published.delete(connection);
    }
  }

  private update(client: OutsideClient, listed: boolean, firstSeen: number): void {
    const sent = JSON.stringify(client);
    const known = this.known.get(client.id);
    this.known.set(client.id, { client, sent, listed, firstSeen });
    if (known?.sent === sent) return;
    this.host.events.emit({ type: 'outside-client', client, gone: false });
  }

  list(): OutsideClient[] {
    return [...this.known.values()].map((k) => k.client);
  }
}

function roleOf(queues: string[], exchanges: string[]): OutsideClient['role'] {
  if (queues.length > 0 && exchanges.length > 0) return 'both';
  return queues.length > 0 ? 'consumer' : 'producer';
}
