import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { brokerRefusal } from '../broker/amqp-errors';
import { ReconnectingConnection } from '../broker/connection';

/**
 * Object lifecycle events from the rabbitmq_event_exchange plugin. The plugin publishes the
 * events of EVERY vhost to `amq.rabbitmq.event` in one vhost (`/` unless the broker's
 * `rabbitmq_event_exchange.vhost` says otherwise), with a `vhost` header; a session's own vhost
 * has no such exchange. So one connection per server listens there, on a private exclusive
 * queue, and hands each session the events of its vhost.
 */

export const EVENT_EXCHANGE = 'amq.rabbitmq.event';
/** Where the plugin declares its exchange by default. */
const EVENT_VHOST = '/';
const OBJECT_KEYS = ['queue.*', 'exchange.*', 'binding.*', 'policy.*'];
/** Clients coming and going: connections, their channels, and the consumers on those. */
const CLIENT_KEYS = ['connection.*', 'channel.*', 'consumer.*'];
const EVENT_KEYS = [...OBJECT_KEYS, ...CLIENT_KEYS];
const isClientKey = (key: string) =>
  key.startsWith('connection.') || key.startsWith('channel.') || key.startsWith('consumer.');

export interface BrokerObjectEvent {
  /** `queue.created`, `binding.deleted`, `policy.set`, ... */
  key: string;
  vhost: string;
  /** Who did it: a broker user, or `rmq-internal` for side effects (bindings of a deleted queue). */
  user: string;
  headers: Record<string, unknown>;
}

export type FeedState = 'connecting' | 'ready' | 'unavailable';

interface Subscriber {
  vhost: string;
  /** Connection, channel and consumer events rather than object events. */
  clients: boolean;
  onEvent: (event: BrokerObjectEvent) => void;
  onState: (state: FeedState) => void;
}

interface Log {
  warn: (obj: object, msg: string) => void;
  debug: (obj: object, msg: string) => void;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

class BrokerEventFeed {
  private readonly subscribers = new Set<Subscriber>();
  private readonly connection: ReconnectingConnection;
  state: FeedState = 'connecting';

  constructor(amqpUrl: string, log: Log) {
    const url = new URL(amqpUrl);
    url.pathname = `/${encodeURIComponent(EVENT_VHOST)}`;
    this.connection = new ReconnectingConnection(url.href, 'warren:broker-events', {
      setup: (model) => this.setup(model),
      onDisconnect: () => this.setState('unavailable'),
      log,
    });
    this.connection.start();
  }

  private async setup(model: ChannelModel): Promise<void> {
    // A missing plugin closes the probing channel with 404; the connection itself stays usable.
    const probe = await model.createChannel();
    probe.on('error', () => {});
    try {
      await probe.checkExchange(EVENT_EXCHANGE);
    } catch (error) {
      if (brokerRefusal(error)?.code !== 'BROKER_NOT_FOUND') throw error;
      this.setState('unavailable');
      return;
    }
    await probe.close().catch(() => {});
    const channel: Channel = await model.createChannel();
    channel.on('error', () => this.setState('unavailable'));
    const { queue } = await channel.assertQueue('', {
      exclusive: true,
      autoDelete: true,
      durable: false,
    });
    for (const key of EVENT_KEYS) await channel.bindQueue(queue, EVENT_EXCHANGE, key);
    await channel.consume(queue, (message) => message && this.dispatch(message), { noAck: true });
    this.setState('ready');
  }

  private dispatch(message: ConsumeMessage): void {
    const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
    const event: BrokerObjectEvent = {
      key: message.fields.routingKey,
      vhost: text(headers.vhost),
      user: text(headers.user_who_performed_action),
      headers,
    };
    const clients = isClientKey(event.key);
    for (const subscriber of this.subscribers) {
      if (subscriber.clients !== clients) continue;
      // `connection.closed` and `channel.closed` name no vhost: every listener checks the pid.
      if (subscriber.vhost === event.vhost || (clients && event.vhost === '')) {
        subscriber.onEvent(event);
      }
    }
  }

  private setState(state: FeedState): void {
    if (this.state === state) return;
    this.state = state;
    for (const subscriber of this.subscribers) subscriber.onState(state);
  }

  add(subscriber: Subscriber): void {
    this.subscribers.add(subscriber);
  }

  /** Removes one subscriber; true when none is left. */
  remove(subscriber: Subscriber): boolean {
    this.subscribers.delete(subscriber);
    return this.subscribers.size === 0;
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

/** One feed per broker, shared by the sessions of this process while any of them listens. */
const feeds = new Map<string, BrokerEventFeed>();

/**
 * Listens to the object events of one vhost (with `clients`, to its connection, channel and
 * consumer events instead, plus the closings that name no vhost). `onState` is told at once and
 * on every change whether events flow ('ready') or the caller should poll instead ('unavailable').
 */
export function subscribeBrokerEvents(
  amqpUrl: string,
  vhost: string,
  log: Log,
  onEvent: (event: BrokerObjectEvent) => void,
  onState: (state: FeedState) => void,
  clients = false,
): () => void {
  let feed = feeds.get(amqpUrl);
  if (!feed) {
    feed = new BrokerEventFeed(amqpUrl, log);
    feeds.set(amqpUrl, feed);
  }
  const subscriber: Subscriber = { vhost, clients, onEvent, onState };
  feed.add(subscriber);
  onState(feed.state);
  const mine = feed;
  return () => {
    if (!mine.remove(subscriber)) return;
    if (feeds.get(amqpUrl) === mine) feeds.delete(amqpUrl);
    void mine.close();
  };
}
