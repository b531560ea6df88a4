import type { BrokerObjectEvent } from './broker-events';

/**
 * Clients as the rabbitmq_event_exchange plugin reports them. The events link up by Erlang
 * process ids, not by names: `connection.created` gives the connection's `pid` with its `name`
 * (`127.0.0.1:50312 -> 127.0.0.1:5672`, the name the firehose's `connection` header uses),
 * `user_provided_name` and `client_properties`; `channel.created` gives the channel's `pid` and
 * its `connection` pid; `consumer.created` gives the consumer's `channel` pid and `queue`.
 * `connection.closed` and `channel.closed` carry only the pid (and no vhost).
 */

/** Who a connection says it is. */
export interface ConnectionIdentity {
  /** The broker's name of the connection. */
  name: string;
  /** The name the client gave it (`connection_name`), if any. */
  given?: string;
  /** Its library (`client_properties.product`). */
  product?: string;
  /** The address it connects from. */
  peerHost?: string;
  user?: string;
}

export type ConnectionChange =
  | { kind: 'opened'; identity: ConnectionIdentity }
  | { kind: 'consumed'; connection: string; queue: string }
  | { kind: 'closed'; connection: string };

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return typeof value === 'number' ? String(value) : undefined;
}

/**
 * The plugin writes `client_properties` as Erlang terms, one string per field:
 * `{<<"product">>,longstr,<<"amqplib">>}`. A table (as other versions may send) is read as is.
 */
export function clientProperties(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const match = /^\{<<"([^"]*)">>,longstr,<<"(.*)">>\}$/s.exec(text(item) ?? '');
      if (match?.[1] !== undefined && match[2] !== undefined) out[match[1]] = match[2];
    }
  } else if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
    for (const [key, v] of Object.entries(value)) {
      const t = text(v);
      if (t !== undefined) out[key] = t;
    }
  }
  return out;
}

/** `{127,0,0,1}` (an Erlang address tuple) as `127.0.0.1`; IPv6 tuples in hex groups. */
export function peerHost(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const tuple = /^\{([\d,]+)\}$/.exec(raw);
  if (!tuple?.[1]) return raw;
  const parts = tuple[1].split(',').map(Number);
  return parts.length === 4 ? parts.join('.') : parts.map((p) => p.toString(16)).join(':');
}

export function identityOf(headers: Record<string, unknown>): ConnectionIdentity | undefined {
  const name = text(headers.name);
  if (name === undefined) return undefined;
  const props = clientProperties(headers.client_properties);
  const given = text(headers.user_provided_name) ?? props.connection_name;
  const host = peerHost(headers.peer_host);
  const user = text(headers.user);
  return {
    name,
    ...(given === undefined ? {} : { given }),
    ...(props.product === undefined ? {} : { product: props.product }),
    ...(host === undefined ? {} : { peerHost: host }),
    ...(user === undefined ? {} : { user }),
  };
}

/** Follows the connection, channel and consumer events of one vhost. */
export class ConnectionDirectory {
  /** Connection pid → identity. */
  private readonly connections = new Map<string, ConnectionIdentity>();
  /** Channel pid → connection pid. */
  private readonly channels = new Map<string, string>();

  /** Who the connection with the broker's process id `pid` is, while it is open. */
  byPid(pid: string): ConnectionIdentity | undefined {
    return this.connections.get(pid);
  }

  /** What an event changes, in terms of connection names; undefined when nothing. */
  handle(event: BrokerObjectEvent): ConnectionChange | undefined {
    const h = event.headers;
    const pid = text(h.pid);
    switch (event.key) {
      case 'connection.created': {
        const identity = identityOf(h);
        if (pid === undefined || identity === undefined) return undefined;
        this.connections.set(pid, identity);
        return { kind: 'opened', identity };
      }
      case 'channel.created': {
        const connection = text(h.connection);
        if (pid !== undefined && connection !== undefined && this.connections.has(connection)) {
          this.channels.set(pid, connection);
        }
        return undefined;
      }
      case 'consumer.created': {
        const channel = text(h.channel);
        const queue = text(h.queue);
        const connection = channel === undefined ? undefined : this.channels.get(channel);
        const identity = connection === undefined ? undefined : this.connections.get(connection);
        if (identity === undefined || queue === undefined) return undefined;
        return { kind: 'consumed', connection: identity.name, queue };
      }
      case 'channel.closed':
        if (pid !== undefined) this.channels.delete(pid);
        return undefined;
      case 'connection.closed': {
        const identity = pid === undefined ? undefined : this.connections.get(pid);
        if (pid === undefined || identity === undefined) return undefined;
        this.connections.delete(pid);
        for (const [channel, owner] of this.channels) {
          if (owner === pid) this.channels.delete(channel);
        }
        return { kind: 'closed', connection: identity.name };
      }
      default:
        return undefined;
    }
  }
}
