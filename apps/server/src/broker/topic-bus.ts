import { randomBytes } from 'node:crypto';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { ReconnectingConnection, type ConnectionLog } from './connection';

/** The pseudo-queue of RabbitMQ's direct reply-to: replies come back on the asking channel. */
const REPLY_TO = 'amq.rabbitmq.reply-to';

export class BusRequestError extends Error {
  constructor(
    message: string,
    /** Nobody serves this key (the message came back unroutable). */
    readonly unrouted: boolean,
  ) {
    super(message);
    this.name = 'BusRequestError';
  }
}

type Handler = (content: Buffer) => void;
type Server = (content: Buffer) => Promise<unknown>;

interface Pending {
  resolve: (content: Buffer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Messages between Warren servers that share a broker, through one topic exchange on Warren's own
 * vhost. Each server has one exclusive queue, bound to exactly the routing keys someone in this
 * process listens to; bindings are replayed when the connection comes back. Requests use direct
 * reply-to, so a reply needs no queue of its own.
 */
export class TopicBus {
  private readonly connection: ReconnectingConnection;
  private channel: Channel | undefined;
  private queue: string | undefined;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly servers = new Map<string, Server>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    url: string,
    private readonly exchange: string,
    private readonly log: ConnectionLog,
  ) {
    this.connection = new ReconnectingConnection(url, `warren bus ${exchange}`, {
      setup: (model) => this.setup(model),
      onDisconnect: () => {
        this.channel = undefined;
        this.queue = undefined;
        for (const [id, waiting] of this.pending) {
          clearTimeout(waiting.timer);
          this.pending.delete(id);
          waiting.reject(new BusRequestError('the broker connection was lost', false));
        }
      },
      log,
    });
  }

  start(): void {
    this.connection.start();
  }

  private async setup(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    // A channel error (a bind refused, say) is followed by its close; the connection is redone.
    channel.on('error', (error: Error) => this.log.warn({ err: error }, 'bus channel error'));
    channel.on('close', () => {
      if (this.channel === channel) void model.close().catch(() => {});
    });
    channel.on('return', (message: ConsumeMessage) => {
      const id = message.properties.correlationId as string | undefined;
      const waiting = id === undefined ? undefined : this.pending.get(id);
      if (!waiting || id === undefined) return;
      clearTimeout(waiting.timer);
      this.pending.delete(id);
      waiting.reject(new BusRequestError(`nobody serves ${message.fields.routingKey}`, true));
    });
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const key of new Set([...this.handlers.keys(), ...this.servers.keys()])) {
      await channel.bindQueue(queue, this.exchange, key);
    }
    await channel.consume(queue, (message) => message && this.received(channel, message), {
      noAck: true,
    });
    await channel.consume(REPLY_TO, (message) => message && this.replied(message), {
      noAck: true,
    });
    this.channel = channel;
    this.queue = queue;
  }

  private received(channel: Channel, message: ConsumeMessage): void {
    const key = message.fields.routingKey;
    for (const handler of this.handlers.get(key) ?? []) {
      try {
        handler(message.content);
      } catch (error) {
        this.log.warn({ err: error, key }, 'bus handler failed');
      }
    }
    const serve = this.servers.get(key);
    const { replyTo, correlationId } = message.properties as {
      replyTo?: string;
      correlationId?: string;
    };
    if (!serve || replyTo === undefined) return;
    void serve(message.content)
      .then((reply) => ({ ok: true, reply }))
      .catch((error: unknown) => ({
        ok: false,
        error: error instanceof Error ? { name: error.name, message: error.message } : {},
        ...(error instanceof Error && 'code' in error ? { code: error.code } : {}),
      }))
      .then((answer) => {
        if (this.channel !== channel) return;
        channel.sendToQueue(replyTo, Buffer.from(JSON.stringify(answer)), {
          ...(correlationId === undefined ? {} : { correlationId }),
        });
      });
  }

  private replied(message: ConsumeMessage): void {
    const id = message.properties.correlationId as string | undefined;
    const waiting = id === undefined ? undefined : this.pending.get(id);
    if (!waiting || id === undefined) return;
    clearTimeout(waiting.timer);
    this.pending.delete(id);
    waiting.resolve(message.content);
  }

  private async bind(key: string): Promise<void> {
    await this.connection.attempt();
    // A connect that ran its setup after the key was added bound it already; binding twice is a no-op.
    const { channel, queue } = this;
    if (channel && queue) await channel.bindQueue(queue, this.exchange, key);
  }

  private async unbind(key: string): Promise<void> {
    const { channel, queue } = this;
    if (channel && queue) await channel.unbindQueue(queue, this.exchange, key).catch(() => {});
  }

  /**
   * Calls `handler` with every message published with `key`, from the moment the returned promise
   * settles (the binding is in place). The function it gives stops listening.
   */
  async listen(key: string, handler: Handler): Promise<() => void> {
    let set = this.handlers.get(key);
    const first = set === undefined;
    if (!set) this.handlers.set(key, (set = new Set()));
    set.add(handler);
    try {
      if (first && !this.servers.has(key)) await this.bind(key);
    } catch (error) {
      this.stopListening(key, handler);
      throw error;
    }
    return () => this.stopListening(key, handler);
  }

  private stopListening(key: string, handler: Handler): void {
    const set = this.handlers.get(key);
    if (!set?.delete(handler) || set.size > 0) return;
    this.handlers.delete(key);
    if (!this.servers.has(key)) void this.unbind(key);
  }

  /** Answers requests sent with `key` (one server per key). The function it gives stops. */
  async serve(key: string, server: Server): Promise<() => void> {
    this.servers.set(key, server);
    if (!this.handlers.has(key)) await this.bind(key);
    return () => {
      if (this.servers.get(key) !== server) return;
      this.servers.delete(key);
      if (!this.handlers.has(key)) void this.unbind(key);
    };
  }

  /** Publishes JSON to everyone listening to `key`; false when the broker cannot be reached now. */
  publish(key: string, body: unknown): boolean {
    const channel = this.channel;
    if (!channel) return false;
    try {
      channel.publish(this.exchange, key, Buffer.from(JSON.stringify(body)), {
        contentType: 'application/json',
      });
      return true;
    } catch {
      // The connection is closing; the reconnect will say so.
      return false;
    }
  }

  /**
   * Asks whoever serves `key` and waits for its answer. Rejects with a BusRequestError when nobody
   * serves it or no answer comes in `timeoutMs`; an error the server raised comes back as one.
   */
  async request<T>(key: string, body: unknown, timeoutMs = 5000): Promise<T> {
    await this.connection.attempt();
    const channel = this.channel;
    if (!channel) throw new BusRequestError('the broker cannot be reached', false);
    const id = randomBytes(9).toString('base64url');
    const content = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BusRequestError(`no answer to ${key} in ${timeoutMs} ms`, false));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      channel.publish(this.exchange, key, Buffer.from(JSON.stringify(body)), {
        contentType: 'application/json',
        replyTo: REPLY_TO,
        correlationId: id,
        mandatory: true,
      });
    });
    const answer = JSON.parse(content.toString('utf8')) as
      | { ok: true; reply: T }
      | { ok: false; error: { name?: string; message?: string }; code?: unknown };
    if (answer.ok) return answer.reply;
    throw new BusRemoteError(answer.error.message ?? 'the serving server failed', answer.code);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

/** An error raised by the server that answered a request, with its catalogue code if it had one. */
export class BusRemoteError extends Error {
  constructor(
    message: string,
    readonly code: unknown,
  ) {
    super(message);
    this.name = 'BusRemoteError';
  }
}
