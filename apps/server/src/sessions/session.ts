import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, ConfirmChannel, Message } from 'amqplib';
import {
  definitionsToTopology,
  diffTopology,
  emptyTopology,
  type Binding,
  type Exchange,
  type Queue,
  type Topology,
} from '@warren/topology';
import type {
  ApplyTopologyResponse,
  BrokerStatus,
  NodeError,
  PublishRequest,
  PublishResponse,
  QueueState,
  WarrenEvent,
} from '@warren/protocol';
import { brokerRefusal } from '../broker/amqp-errors';
import { ReconnectingConnection } from '../broker/connection';
import type { ManagementClient } from '../broker/management';
import {
  BrokerDisconnectedError,
  ChannelSlot,
  openChannel,
  openConfirmChannel,
} from './channel-slot';
import { EventStream } from './event-stream';
import { parseTrace, PRODUCER_HEADER } from './firehose';

export interface SessionDeps {
  management: ManagementClient;
  /** AMQP URL of the broker without a vhost; the session appends its own. */
  amqpUrl: string;
  /** The broker user Warren itself connects as; traffic of any other user is "outside". */
  ownUser: string;
  statsIntervalMs: number;
  log: {
    info: (obj: object, msg: string) => void;
    warn: (obj: object, msg: string) => void;
    debug: (obj: object, msg: string) => void;
  };
}

export interface SessionIdentity {
  id: string;
  vhost: string;
  editToken: string;
  user: string;
  password: string;
  createdAt: Date;
}

/** How long a publish waits for the firehose to report where the broker routed it. */
const ROUTE_WAIT_MS = 3000;
/** How often unacked counts are read from the management API (its own stats refresh every 5 s). */
const MANAGEMENT_STATS_MS = 2000;

export class PublishError extends Error {
  constructor(
    readonly code:
      | 'BROKER_NOT_FOUND'
      | 'ACCESS_REFUSED'
      | 'PRECONDITION_FAILED'
      | 'BROKER_REFUSED'
      | 'PUBLISH_TIMEOUT',
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

/**
 * One running diagram: its own vhost on the broker, an AMQP connection that comes back after
 * broker restarts, the firehose observer, and the stream of events its viewers receive.
 */
export class Session {
  readonly events = new EventStream();
  topology: Topology = emptyTopology();
  lastActivity = Date.now();
  broker: BrokerStatus = { amqp: false, management: true };
  private readonly connection: ReconnectingConnection;
  private readonly ops: ChannelSlot;
  private readonly stats: ChannelSlot;
  private readonly publisher: ChannelSlot<ConfirmChannel>;
  private observerQueue: string | undefined;
  private applying: Promise<unknown> = Promise.resolve();
  private statsTimer: NodeJS.Timeout | undefined;
  private statsSoon: NodeJS.Timeout | undefined;
  private lastQueueStates = '';
  private unacked = new Map<string, number>();
  private lastManagementRead = 0;
  private readonly returns = new Map<string, { replyCode: number; replyText: string }>();
  private closed = false;

  constructor(
    readonly identity: SessionIdentity,
    private readonly deps: SessionDeps,
  ) {
    const url = new URL(deps.amqpUrl);
    url.pathname = `/${encodeURIComponent(identity.vhost)}`;
    const model = () => this.connection.current;
    this.ops = new ChannelSlot(model, openChannel);
    this.stats = new ChannelSlot(model, openChannel);
    this.publisher = new ChannelSlot(model, openConfirmChannel, (channel) =>
      this.watchReturns(channel),
    );
    this.connection = new ReconnectingConnection(url.href, `warren session ${identity.id}`, {
      beforeConnect: () => this.ensureVhost(),
      setup: (m) => this.setup(m),
      onConnect: () => {
        this.setBroker({ amqp: true });
        // The broker may have restarted and lost transient objects: make it match the diagram again.
        if (this.topology.exchanges.length + this.topology.queues.length > 0) {
          void this.apply(this.topology).catch((error: unknown) =>
            deps.log.warn(
              { err: error, session: identity.id },
              're-applying topology after reconnect failed',
            ),
          );
        }
      },
      onDisconnect: (error) => this.setBroker({ amqp: false, message: error?.message }),
      onBlocked: (reason) =>
        this.setBroker(
          reason === undefined
            ? { message: undefined }
            : { message: `RabbitMQ blocked publishers: ${reason}` },
        ),
      log: deps.log,
    });
  }

  get id(): string {
    return this.identity.id;
  }

  get vhost(): string {
    return this.identity.vhost;
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** Connects and waits for the first connection, at most `timeoutMs`. */
  async start(timeoutMs = 10_000): Promise<boolean> {
    this.connection.start();
    this.statsTimer = setInterval(() => void this.pollQueues(), this.deps.statsIntervalMs);
    this.statsTimer.unref();
    return this.connection.waitUntilConnected(timeoutMs);
  }

  private async ensureVhost(): Promise<void> {
    const vhosts = await this.deps.management.listVhosts();
    if (!vhosts.some((v) => v.name === this.vhost)) {
      this.deps.log.warn(
        { session: this.id },
        'session vhost vanished from the broker; recreating it',
      );
      await this.deps.management.createVhost(this.vhost, 'warren session');
      await this.deps.management.grantAll(this.vhost, this.deps.ownUser);
      await this.deps.management.grantAll(this.vhost, this.identity.user).catch(() => {});
    }
  }

  private async setup(model: ChannelModel): Promise<void> {
    // Tracing is per vhost and off again after a broker restart.
    await this.deps.management.enableTracing(this.vhost);
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.deps.log.warn({ err: error, session: this.id }, 'firehose channel error'),
    );
    const { queue } = await channel.assertQueue('', {
      exclusive: true,
      autoDelete: true,
      durable: false,
    });
    await channel.bindQueue(queue, 'amq.rabbitmq.trace', '#');
    await channel.consume(queue, (message) => message && this.onTrace(message), { noAck: true });
    this.observerQueue = queue;
    this.ops.reset();
    this.stats.reset();
    this.publisher.reset();
  }

  private setBroker(change: Partial<BrokerStatus>): void {
    const next = { ...this.broker, ...change };
    if (change.amqp === true) delete next.message;
    if (JSON.stringify(next) === JSON.stringify(this.broker)) return;
    this.broker = next;
    this.events.emit({ type: 'broker-status', status: next });
  }

  private onTrace(message: Parameters<typeof parseTrace>[0]): void {
    const record = parseTrace(message);
    if (!record) return;
    const outside = record.user !== this.deps.ownUser;
    if (record.kind === 'publish') {
      this.events.emit({
        type: 'routed',
        messageId: record.messageId,
        exchange: record.exchange,
        routingKey: record.routingKey,
        routedQueues: record.routedQueues,
        ...(record.producerId === undefined ? {} : { producerId: record.producerId }),
        outside,
      });
      if (record.routedQueues.length > 0) this.pollQueuesSoon();
    } else {
      this.events.emit({
        type: 'delivered',
        messageId: record.messageId,
        queue: record.queue,
        redelivered: record.redelivered,
      });
      this.pollQueuesSoon();
    }
  }

  private watchReturns(channel: ConfirmChannel): void {
    channel.on('return', (message: Message) => {
      const messageId = (message.properties.messageId as string | undefined) ?? null;
      const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
      const producer = headers[PRODUCER_HEADER];
      // A basic.return carries reply-code and reply-text, which amqplib's typings leave out.
      const fields = message.fields as Message['fields'] & { replyCode: number; replyText: string };
      const detail = { replyCode: fields.replyCode, replyText: fields.replyText };
      if (messageId !== null) this.returns.set(messageId, detail);
      this.events.emit({
        type: 'returned',
        messageId,
        exchange: message.fields.exchange,
        routingKey: message.fields.routingKey,
        ...detail,
        ...(typeof producer === 'string' ? { producerId: producer } : {}),
      });
    });
  }

  /** Objects the broker has in this vhost, as a topology (Warren's own observer queue left out). */
  async brokerTopology(): Promise<Topology> {
    const [exchanges, queues, bindings] = await Promise.all([
      this.deps.management.listExchanges(this.vhost),
      this.deps.management.listQueues(this.vhost),
      this.deps.management.listBindings(this.vhost),
    ]);
    const own = (name: string) => name === this.observerQueue;
    const result = definitionsToTopology({
      exchanges,
      queues: queues.filter((q) => !own(q.name)),
      bindings: bindings.filter(
        (b) => b.source !== '' && !(b.destination_type === 'queue' && own(b.destination)),
      ),
    });
    return result.ok ? result.topology : emptyTopology();
  }

  /**
   * Makes the broker match `next`: removes what the diagram no longer has, declares what is new
   * (or changed), binds. A refusal is attached to the node that caused it; the rest goes on.
   * Applies are serialized so two editors never interleave.
   */
  apply(next: Topology, options: { recreate?: boolean } = {}): Promise<ApplyTopologyResponse> {
    const run = this.applying.then(() => this.applyNow(next, options));
    this.applying = run.catch(() => {});
    return run;
  }

  private async applyNow(
    next: Topology,
    options: { recreate?: boolean },
  ): Promise<ApplyTopologyResponse> {
    if (!this.connection.connected) throw new BrokerDisconnectedError();
    const current = await this.brokerTopology();
    const diff = diffTopology(current, next, options);
    const nodeErrors: NodeError[] = [];
    const declared: string[] = [];
    const deleted: string[] = [];
    const failed = new Set<string>();
    const idOf = (kind: 'exchange' | 'queue', name: string) =>
      (kind === 'exchange' ? next.exchanges : next.queues).find((o) => o.name === name)?.id ??
      `${kind}:${name}`;
    const pathOf = (kind: 'exchange' | 'queue' | 'binding', id: string) => {
      const list =
        kind === 'exchange' ? next.exchanges : kind === 'queue' ? next.queues : next.bindings;
      const index = list.findIndex((o) => o.id === id);
      return index < 0 ? '' : `/${kind === 'binding' ? 'bindings' : `${kind}s`}/${index}`;
    };
    const attempt = async (
      kind: 'exchange' | 'queue' | 'binding',
      id: string,
      operation: (ch: Channel) => Promise<unknown>,
    ) => {
      try {
        await this.ops.run(operation);
        return true;
      } catch (error) {
        const refusal = brokerRefusal(error);
        if (!refusal) throw error;
        nodeErrors.push({
          nodeId: id,
          path: pathOf(kind, id),
          code: refusal.code,
          message: describeRefusal(kind, refusal.code, refusal.brokerMessage),
          brokerMessage: refusal.brokerMessage,
        });
        return false;
      }
    };
    const bindingId = (b: Binding) => b.id;

    for (const b of diff.unbind) {
      await attempt('binding', bindingId(b), (ch) =>
        b.destinationType === 'queue'
          ? ch.unbindQueue(b.destination, b.source, b.routingKey, b.arguments ?? {})
          : ch.unbindExchange(b.destination, b.source, b.routingKey, b.arguments ?? {}),
      );
    }
    for (const q of diff.deleteQueues) {
      if (await attempt('queue', idOf('queue', q.name), (ch) => ch.deleteQueue(q.name)))
        deleted.push(`queue ${q.name}`);
    }
    for (const x of diff.deleteExchanges) {
      if (await attempt('exchange', idOf('exchange', x.name), (ch) => ch.deleteExchange(x.name)))
        deleted.push(`exchange ${x.name}`);
    }
    for (const x of diff.declareExchanges) {
      if (
        await attempt('exchange', x.id, (ch) =>
          ch.assertExchange(x.name, x.type, exchangeOptions(x)),
        )
      )
        declared.push(`exchange ${x.name}`);
      else failed.add(`exchange:${x.name}`);
    }
    for (const q of diff.declareQueues) {
      if (await attempt('queue', q.id, (ch) => ch.assertQueue(q.name, queueOptions(q))))
        declared.push(`queue ${q.name}`);
      else failed.add(`queue:${q.name}`);
    }
    for (const b of diff.bind) {
      if (failed.has(`exchange:${b.source}`) || failed.has(`${b.destinationType}:${b.destination}`))
        continue;
      const ok = await attempt('binding', b.id, (ch) =>
        b.destinationType === 'queue'
          ? ch.bindQueue(b.destination, b.source, b.routingKey, b.arguments ?? {})
          : ch.bindExchange(b.destination, b.source, b.routingKey, b.arguments ?? {}),
      );
      if (ok) declared.push(`binding ${b.source} -> ${b.destination} (${b.routingKey})`);
    }

    this.topology = next;
    this.events.emit({ type: 'topology', topology: next });
    if (nodeErrors.length > 0) this.events.emit({ type: 'node-error', errors: nodeErrors });
    this.lastQueueStates = '';
    void this.pollQueues();
    return { topology: next, nodeErrors, changes: { declared, deleted } };
  }

  /** Publishes one message and answers with what the broker did with it. */
  async publish(request: PublishRequest): Promise<PublishResponse> {
    const messageId = request.messageId ?? randomUUID();
    const routingKey = request.routingKey ?? '';
    const routed = this.waitFor(
      (e): e is Extract<WarrenEvent, { type: 'routed' }> =>
        e.type === 'routed' && e.messageId === messageId,
      ROUTE_WAIT_MS,
    );
    try {
      await this.publisher.run(
        (channel) =>
          new Promise<void>((resolve, reject) => {
            channel.publish(
              request.exchange,
              routingKey,
              Buffer.from(request.payload ?? ''),
              {
                messageId,
                mandatory: request.mandatory ?? false,
                contentType: 'text/plain',
                timestamp: Math.floor(Date.now() / 1000),
                headers: {
                  ...(request.headers ?? {}),
                  ...(request.producerId === undefined
                    ? {}
                    : { [PRODUCER_HEADER]: request.producerId }),
                },
              },
              (error: unknown) =>
                error
                  ? reject(error instanceof Error ? error : new Error('publish failed'))
                  : resolve(),
            );
          }),
      );
    } catch (error) {
      routed.cancel();
      const refusal = brokerRefusal(error);
      if (refusal?.code === 'BROKER_NOT_FOUND') {
        throw new PublishError(
          'BROKER_NOT_FOUND',
          `Exchange '${request.exchange}' does not exist on the broker; apply the diagram first.`,
          '/exchange',
        );
      }
      if (refusal)
        throw new PublishError(
          refusal.code === 'INTERNAL' ? 'BROKER_REFUSED' : (refusal.code as PublishError['code']),
          refusal.brokerMessage,
        );
      throw error;
    }
    if (request.producerId !== undefined)
      this.events.emit({ type: 'confirmed', messageId, producerId: request.producerId });
    const event = await routed.promise;
    const returned = this.returns.get(messageId);
    this.returns.delete(messageId);
    if (!event) {
      throw new PublishError(
        'PUBLISH_TIMEOUT',
        'The broker confirmed the message, but its firehose did not report the routing in time.',
      );
    }
    this.touch();
    return {
      messageId,
      exchange: request.exchange,
      routingKey,
      routedQueues: event.routedQueues,
      ...(returned ? { returned } : {}),
      confirmed: true,
    };
  }

  private waitFor<E extends WarrenEvent>(match: (e: WarrenEvent) => e is E, timeoutMs: number) {
    let stop = () => {};
    const promise = new Promise<E | undefined>((resolve) => {
      const timer = setTimeout(() => {
        unlisten();
        resolve(undefined);
      }, timeoutMs);
      const unlisten = this.events.listen((e) => {
        if (!match(e)) return;
        clearTimeout(timer);
        unlisten();
        resolve(e);
      });
      stop = () => {
        clearTimeout(timer);
        unlisten();
        resolve(undefined);
      };
    });
    return { promise, cancel: () => stop() };
  }

  /** Depth and consumers of every queue in the diagram, read from the broker. */
  async queueStates(): Promise<QueueState[]> {
    if (!this.connection.connected) return [];
    if (Date.now() - this.lastManagementRead > MANAGEMENT_STATS_MS) {
      this.lastManagementRead = Date.now();
      try {
        const listed = await this.deps.management.listQueues(this.vhost);
        this.unacked = new Map(listed.map((q) => [q.name, q.messages_unacknowledged ?? 0]));
      } catch {
        // Unacked counts are extra; depths below still come from AMQP.
      }
    }
    const states: QueueState[] = [];
    for (const queue of this.topology.queues) {
      try {
        const reply = await this.stats.run((ch) => ch.checkQueue(queue.name));
        const unacked = this.unacked.get(queue.name);
        states.push({
          name: queue.name,
          messages: reply.messageCount,
          consumers: reply.consumerCount,
          ...(unacked === undefined ? {} : { unacked }),
        });
      } catch (error) {
        if (!brokerRefusal(error)) break;
      }
    }
    return states;
  }

  private pollQueuesSoon(): void {
    if (this.statsSoon) return;
    this.statsSoon = setTimeout(() => {
      this.statsSoon = undefined;
      void this.pollQueues();
    }, 60);
  }

  private polling = false;
  private async pollQueues(): Promise<void> {
    if (this.polling || this.closed || this.events.subscriberCount === 0) return;
    this.polling = true;
    try {
      const queues = await this.queueStates();
      const snapshot = JSON.stringify(queues);
      if (snapshot !== this.lastQueueStates) {
        this.lastQueueStates = snapshot;
        this.events.emit({ type: 'queue-stats', queues });
      }
    } catch (error) {
      this.deps.log.debug({ err: error, session: this.id }, 'queue stats failed');
    } finally {
      this.polling = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.statsTimer);
    clearTimeout(this.statsSoon);
    this.events.close();
    await this.connection.close();
  }
}

function exchangeOptions(x: Exchange) {
  return {
    durable: x.durable,
    autoDelete: x.autoDelete,
    internal: x.internal,
    arguments: x.arguments ?? {},
  };
}

function queueOptions(q: Queue) {
  return {
    durable: q.durable,
    exclusive: q.exclusive,
    autoDelete: q.autoDelete,
    arguments: q.arguments ?? {},
  };
}

function describeRefusal(kind: string, code: string, brokerMessage: string): string {
  if (code === 'PRECONDITION_FAILED') {
    return `This ${kind} already exists on the broker with other settings (${brokerMessage.replace(/^PRECONDITION_FAILED - /, '')}). Delete it, or apply with "recreate" to replace it.`;
  }
  if (code === 'BROKER_NOT_FOUND')
    return `The broker could not find what this ${kind} refers to (${brokerMessage}).`;
  if (code === 'ACCESS_REFUSED') return `The broker refused this ${kind} (${brokerMessage}).`;
  return `The broker refused this ${kind}: ${brokerMessage}`;
}
