import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import {
  canonicalJson,
  diffPolicies,
  diffTopology,
  emptyTopology,
  queueTypeOf,
  type Binding,
  type Exchange,
  type Policy,
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
import { ConsumerRuntime } from '../runtime/consumers/consumer-runtime';
import { ProducerRuntime } from '../runtime/producers';
import { ReconnectingConnection } from '../broker/connection';
import { ManagementError, type ManagementClient } from '../broker/management';
import { WarrenError } from '../errors/warren-error';
import {
  definitionsToListing,
  listingToTopology,
  policyToBrokerPolicy,
  type BrokerListing,
} from './broker-state';
import {
  BrokerDisconnectedError,
  ChannelPool,
  ChannelSlot,
  openChannel,
  openConfirmChannel,
} from '../broker/channel-slot';
import { EventStream } from './event-stream';
import { ownChannelKey, PRODUCER_HEADER, traceChannelKey } from './firehose';
import { SessionObservation } from '../observation/session-observation';
import { SessionCounters } from '../observation/session-counters';
import { displayName, labelOfKey, ServerNamedQueues, withDiffKeys } from './queue-names';

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

/**
 * The description of a session's vhost. Its "created" stamp keeps other servers' orphan sweeps
 * off a vhost that is still being set up (see SessionRegistry.reclaimOrphans).
 */
export function sessionVhostDescription(id: string, createdAt: Date): string {
  return `warren session ${id}, created ${createdAt.toISOString()}`;
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
/** Channels the materializer declares on side by side. */
const OPERATION_CHANNELS = 8;

export class PublishError extends WarrenError {
  constructor(
    override readonly code:
      | 'BROKER_NOT_FOUND'
      | 'ACCESS_REFUSED'
      | 'PRECONDITION_FAILED'
      | 'BROKER_REFUSED'
      | 'PUBLISH_TIMEOUT',
    message: string,
    readonly path?: string,
  ) {
    super(code, message, path ? { path } : {});
    this.name = 'PublishError';
  }
}

/**
 * One running diagram: its own vhost on the broker, an AMQP connection that comes back after
 * broker restarts, the firehose observer, and the stream of events its viewers receive.
 */
export class Session {
  readonly events = new EventStream();
  /** The diagram's consumer nodes, run by Warren on the session's vhost. */
  readonly consumers: ConsumerRuntime;
  /** The diagram's producer nodes, run by Warren, each on its own connection. */
  readonly producers: ProducerRuntime;
  /** Dead-letterings, inferred discards, rates, outside clients and objects; faults on the broker. */
  readonly observation: SessionObservation;
  /** Messages on every edge and through every exchange, from the broker's reports. */
  readonly counters: SessionCounters;
  topology: Topology = emptyTopology();
  lastActivity = Date.now();
  broker: BrokerStatus = { amqp: false, management: true };
  private readonly connection: ReconnectingConnection;
  private readonly ops: ChannelPool;
  /** The broker's names for the diagram's server-named queues. */
  private readonly serverNamed = new ServerNamedQueues();
  /** Exclusive queues this session declared: they live and die with its connection. */
  private readonly ownExclusive = new Set<string>();
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
  /** Consumer node id by the channel its deliveries come on (see `traceChannelKey`). */
  private readonly channelOwners = new Map<string, string>();
  private closed = false;

  constructor(
    readonly identity: SessionIdentity,
    private readonly deps: SessionDeps,
  ) {
    const url = new URL(deps.amqpUrl);
    url.pathname = `/${encodeURIComponent(identity.vhost)}`;
    const model = () => this.connection.current;
    this.ops = new ChannelPool(model, OPERATION_CHANNELS);
    this.stats = new ChannelSlot(model, openChannel);
    this.publisher = new ChannelSlot(model, openConfirmChannel, (channel) =>
      this.watchReturns(channel),
    );
    this.consumers = new ConsumerRuntime({
      sessionId: identity.id,
      url: url.href,
      emit: (event) => this.events.emit(event),
      brokerQueueName: (queue) => this.brokerQueueName(queue),
      sessionConnection: () => this.connection.current,
      claimChannel: (channel, consumerId) => this.claimChannel(channel, consumerId),
      log: deps.log,
    });
    this.observation = new SessionObservation(this, deps);
    this.counters = new SessionCounters(this.events, this.topology);
    this.producers = new ProducerRuntime({
      sessionId: identity.id,
      vhost: identity.vhost,
      amqpUrl: deps.amqpUrl,
      events: this.events,
      management: deps.management,
      brokerQueueName: (queue) => this.brokerQueueName(queue),
      log: deps.log,
    });
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
      await this.deps.management.createVhost(
        this.vhost,
        sessionVhostDescription(this.id, new Date()),
      );
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
    this.observation.attach(model, queue);
    // Exclusive queues died with the previous connection.
    this.ownExclusive.clear();
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

  private onTrace(message: ConsumeMessage): void {
    const record = this.observation.onFirehose(message);
    if (!record) return;
    const outside = this.observation.isOutside(record);
    if (record.kind === 'publish') {
      this.events.emit({
        type: 'routed',
        messageId: record.messageId,
        exchange: record.exchange,
        routingKey: record.routingKey,
        routedQueues: record.routedQueues.map((q) => this.serverNamed.toDiagram(q)),
        ...(record.producerId === undefined ? {} : { producerId: record.producerId }),
        outside,
        ...(outside ? { outsideClientId: record.connection } : {}),
      });
      if (record.routedQueues.length > 0) this.pollQueuesSoon();
    } else {
      const key = traceChannelKey(record.connection, record.channel);
      const consumerId = key === undefined ? undefined : this.channelOwners.get(key);
      this.events.emit({
        type: 'delivered',
        messageId: record.messageId,
        queue: this.serverNamed.toDiagram(record.queue),
        redelivered: record.redelivered,
        ...(consumerId === undefined ? {} : { consumerId }),
        ...(outside ? { outsideClientId: record.connection } : {}),
      });
      this.pollQueuesSoon();
    }
  }

  private claimChannel(channel: Channel, consumerId: string): () => void {
    const key = ownChannelKey(channel);
    if (key === undefined) return () => {};
    this.channelOwners.set(key, consumerId);
    return () => {
      if (this.channelOwners.get(key) === consumerId) this.channelOwners.delete(key);
    };
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

  /**
   * Objects the broker has in this vhost, as a topology: server-named queues under their labels,
   * vhost policies included; Warren's observer queue and outside clients' exclusive queues left out.
   */
  async brokerTopology(): Promise<Topology> {
    return listingToTopology(await this.readBroker(), {
      hidden: (name) => name === this.observerQueue,
      ownExclusive: (name) => this.ownExclusive.has(name),
      serverNamed: this.serverNamed,
    });
  }

  /**
   * One read of the vhost's definitions is several times cheaper than four listings, but it
   * leaves exclusive queues out: with some of its own, the session reads the listings.
   */
  private async readBroker(): Promise<BrokerListing> {
    const m = this.deps.management;
    if (this.ownExclusive.size === 0) return definitionsToListing(await m.definitions(this.vhost));
    const [exchanges, queues, bindings, policies] = await Promise.all([
      m.listExchanges(this.vhost),
      m.listQueues(this.vhost, { stats: false }),
      m.listBindings(this.vhost),
      m.listPolicies(this.vhost),
    ]);
    return { exchanges, queues, bindings, policies };
  }

  /** The broker's name of a queue of the diagram (its label for a server-named one). */
  brokerQueueName(queue: string): string {
    const inDiagram = this.topology.queues.find((q) => q.name === queue);
    if (inDiagram?.serverNamed === true) return this.serverNamed.brokerNameOf(queue) ?? queue;
    return queue;
  }

  /**
   * Makes the broker match `next`: removes what the diagram no longer has, declares what is new
   * (or changed), binds. A refusal is attached to the node that caused it; the rest goes on.
   * Applies are serialized so two editors never interleave.
   */
  /**
   * Makes the broker match `next`. With `seenSeq` (the last event the sender had taken in),
   * objects declared outside Warren after it are kept: the sender could not have known them.
   */
  apply(
    next: Topology,
    options: { recreate?: boolean; seenSeq?: number } = {},
  ): Promise<ApplyTopologyResponse> {
    const run = this.applying.then(() =>
      this.applyNow(
        options.seenSeq === undefined
          ? next
          : this.observation.objects.keepUnseen(next, options.seenSeq),
        options,
      ),
    );
    this.applying = run.catch(() => {});
    return run;
  }

  /** Runs `task` when no apply is under way, so the broker and the diagram are not mid-change. */
  betweenApplies<T>(task: () => Promise<T>): Promise<T> {
    const run = this.applying.then(task);
    this.applying = run.catch(() => {});
    return run;
  }

  private async applyNow(
    next: Topology,
    options: { recreate?: boolean },
  ): Promise<ApplyTopologyResponse> {
    if (!this.connection.connected) throw new BrokerDisconnectedError();
    const recreate = options.recreate === true;
    const current = await this.brokerTopology();
    // Queues are compared by diff key, so a server-named queue and a named one never match.
    const had = withDiffKeys(current);
    const want = withDiffKeys(next);
    const diff = diffTopology(had, want, { recreate });
    const policies = diffPolicies(current.policies ?? [], next.policies ?? []);
    const nodeErrors: NodeError[] = [];
    const declared: string[] = [];
    const deleted: string[] = [];
    const failed = new Set<string>();

    const located = (kind: 'exchange' | 'queue' | 'binding' | 'policy', key: string) => {
      const list: { id: string; name?: string }[] =
        kind === 'exchange'
          ? want.exchanges
          : kind === 'queue'
            ? want.queues
            : kind === 'policy'
              ? (next.policies ?? [])
              : want.bindings;
      const index = list.findIndex((o) => (kind === 'binding' ? o.id : o.name) === key);
      const item = list[index];
      return item === undefined
        ? { nodeId: kind === 'binding' ? key : `${kind}:${displayName(key)}`, path: '' }
        : { nodeId: item.id, path: `/${kind === 'policy' ? 'policies' : `${kind}s`}/${index}` };
    };
    const refused = (
      kind: 'exchange' | 'queue' | 'binding' | 'policy',
      key: string,
      code: NodeError['code'],
      message: string,
      brokerMessage: string,
    ) => nodeErrors.push({ ...located(kind, key), code, message, brokerMessage });
    /** True when the operation went through; a broker refusal becomes the node's error. */
    const outcome = (
      result: PromiseSettledResult<unknown> | undefined,
      kind: 'exchange' | 'queue' | 'binding',
      key: string,
      subject: Exchange | Queue | Binding,
    ): boolean => {
      if (result === undefined || result.status === 'fulfilled') return true;
      const refusal = brokerRefusal(result.reason);
      if (!refusal) throw result.reason;
      refused(
        kind,
        key,
        refusal.code,
        describeRefusal(kind, subject, refusal.code, refusal.brokerMessage),
        refusal.brokerMessage,
      );
      return false;
    };
    // Broker names: a server-named queue's key resolves to whatever the broker called it.
    const queueOnBroker = (key: string): string => {
      const label = labelOfKey(key);
      return label === undefined ? key : (this.serverNamed.brokerNameOf(label) ?? key);
    };
    const destinationOnBroker = (b: Binding) =>
      b.destinationType === 'queue' ? queueOnBroker(b.destination) : b.destination;
    const bindingText = (b: Binding) =>
      `binding ${b.source} -> ${displayName(b.destination)} (${b.routingKey})`;

    // Policies first, so queues and exchanges get theirs from the moment they exist.
    await this.applyPolicies(policies.remove, policies.put, {
      refused: (p, reason) =>
        refused(
          'policy',
          p.name,
          'BROKER_REFUSED',
          `The broker refused policy '${p.name}': ${reason}`,
          reason,
        ),
      done: (p, removed) => (removed ? deleted : declared).push(`policy ${p.name}`),
    });

    const unbound = await this.ops.each(diff.unbind, (ch, b) => {
      const destination = destinationOnBroker(b);
      return b.destinationType === 'queue'
        ? ch.unbindQueue(destination, b.source, b.routingKey, b.arguments ?? {})
        : ch.unbindExchange(destination, b.source, b.routingKey, b.arguments ?? {});
    });
    diff.unbind.forEach((b, i) => outcome(unbound[i], 'binding', b.id, b));

    const deletedQueues = await this.ops.each(diff.deleteQueues, (ch, q) =>
      ch.deleteQueue(queueOnBroker(q.name)),
    );
    diff.deleteQueues.forEach((q, i) => {
      const brokerName = queueOnBroker(q.name);
      if (!outcome(deletedQueues[i], 'queue', q.name, q)) return;
      this.ownExclusive.delete(brokerName);
      const label = labelOfKey(q.name);
      if (label !== undefined) this.serverNamed.forget(label);
      deleted.push(`queue ${displayName(q.name)}`);
    });

    // One at a time: RabbitMQ 3.10 crashes the channel and closes the connection (541) when two
    // exchanges bound to each other are deleted at once (rabbit_binding:process_deletions).
    const deletedExchanges: PromiseSettledResult<unknown>[] = [];
    for (const x of diff.deleteExchanges)
      deletedExchanges.push(...(await this.ops.each([x], (ch) => ch.deleteExchange(x.name))));
    diff.deleteExchanges.forEach((x, i) => {
      if (outcome(deletedExchanges[i], 'exchange', x.name, x)) deleted.push(`exchange ${x.name}`);
    });

    const declaredExchanges = await this.ops.each(diff.declareExchanges, (ch, x) =>
      ch.assertExchange(x.name, x.type, exchangeOptions(x)),
    );
    diff.declareExchanges.forEach((x, i) => {
      if (outcome(declaredExchanges[i], 'exchange', x.name, x)) declared.push(`exchange ${x.name}`);
      else failed.add(`exchange:${x.name}`);
    });

    // The broker refuses to redeclare an `amq.gen-…` name at all, so a changed server-named
    // queue is refused here, in the words the broker uses for named ones.
    const currentQueues = new Map(had.queues.map((q) => [q.name, q]));
    const toDeclare = diff.declareQueues.filter((q) => {
      const before = currentQueues.get(q.name);
      if (labelOfKey(q.name) === undefined || recreate || before === undefined) return true;
      const setting = firstDifference(before, q);
      const brokerName = queueOnBroker(q.name);
      refused(
        'queue',
        q.name,
        'PRECONDITION_FAILED',
        changedMessage('queue', displayName(q.name), setting),
        `PRECONDITION_FAILED - inequivalent arg '${setting}' for server-named queue '${brokerName}'`,
      );
      failed.add(`queue:${q.name}`);
      return false;
    });
    const declaredQueues = await this.ops.each(toDeclare, (ch, q) =>
      ch.assertQueue(labelOfKey(q.name) === undefined ? q.name : '', queueOptions(q)),
    );
    toDeclare.forEach((q, i) => {
      const result = declaredQueues[i];
      if (!outcome(result, 'queue', q.name, q)) {
        failed.add(`queue:${q.name}`);
        return;
      }
      const brokerName =
        result?.status === 'fulfilled' ? result.value.queue : queueOnBroker(q.name);
      const label = labelOfKey(q.name);
      if (label !== undefined) this.serverNamed.set(label, brokerName);
      if (q.exclusive) this.ownExclusive.add(brokerName);
      declared.push(`queue ${displayName(q.name)}`);
    });

    const toBind = diff.bind.filter(
      (b) =>
        !failed.has(`exchange:${b.source}`) && !failed.has(`${b.destinationType}:${b.destination}`),
    );
    const bound = await this.ops.each(toBind, (ch, b) => {
      const destination = destinationOnBroker(b);
      return b.destinationType === 'queue'
        ? ch.bindQueue(destination, b.source, b.routingKey, b.arguments ?? {})
        : ch.bindExchange(destination, b.source, b.routingKey, b.arguments ?? {});
    });
    toBind.forEach((b, i) => {
      if (outcome(bound[i], 'binding', b.id, b)) declared.push(bindingText(b));
    });

    this.topology = next;
    this.producers.update(next);
    this.events.emit({
      type: 'topology',
      topology: next,
      ...this.observation.topologyExtras(next),
    });
    if (nodeErrors.length > 0) this.events.emit({ type: 'node-error', errors: nodeErrors });
    this.lastQueueStates = '';
    void this.pollQueues();
    await this.consumers.sync(next);
    const brokerNames = this.brokerNames();
    return {
      topology: next,
      nodeErrors,
      changes: { declared, deleted },
      ...(Object.keys(brokerNames).length > 0 ? { brokerNames } : {}),
    };
  }

  /** Label → broker name of the diagram's server-named queues that the broker has named. */
  brokerNames(): Record<string, string> {
    const names: Record<string, string> = {};
    for (const q of this.topology.queues) {
      const brokerName = q.serverNamed === true ? this.serverNamed.brokerNameOf(q.name) : undefined;
      if (brokerName !== undefined) names[q.name] = brokerName;
    }
    return names;
  }

  /** Policies live in the management API, not in AMQP: removed and put side by side. */
  private async applyPolicies(
    remove: Policy[],
    put: Policy[],
    report: {
      refused: (policy: Policy, reason: string) => void;
      done: (policy: Policy, removed: boolean) => void;
    },
  ): Promise<void> {
    const m = this.deps.management;
    const settle = async (policy: Policy, removed: boolean, action: Promise<void>) => {
      try {
        await action;
        report.done(policy, removed);
      } catch (error) {
        // The broker says why it refuses a policy with a 400; anything else is an outage.
        if (!(error instanceof ManagementError) || error.status !== 400) throw error;
        report.refused(policy, error.reason);
      }
    };
    await Promise.all([
      ...remove.map((p) => settle(p, true, m.deletePolicy(this.vhost, p.name))),
      ...put.map((p) => settle(p, false, m.putPolicy(this.vhost, policyToBrokerPolicy(p)))),
    ]);
  }

  /** Publishes one message and answers with what the broker did with it. */
  async publish(request: PublishRequest): Promise<PublishResponse> {
    const messageId = request.messageId ?? randomUUID();
    const routingKey = request.routingKey ?? '';
    // The default exchange routes by queue name: the label of a server-named queue means its
    // broker name, as the diagram draws it.
    const brokerRoutingKey =
      request.exchange === '' ? this.brokerQueueName(routingKey) : routingKey;
    const routed = this.waitFor(
      (e): e is Extract<WarrenEvent, { type: 'routed' }> =>
        e.type === 'routed' && e.messageId === messageId,
      ROUTE_WAIT_MS,
    );
    let nacked = false;
    try {
      await this.publisher.run(
        (channel) =>
          new Promise<void>((resolve, reject) => {
            channel.publish(
              request.exchange,
              brokerRoutingKey,
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
      if (isNack(error)) nacked = true;
      else {
        routed.cancel();
        throw publishFailure(error, request.exchange);
      }
    }
    if (request.producerId !== undefined)
      this.events.emit({
        type: nacked ? 'nacked' : 'confirmed',
        messageId,
        producerId: request.producerId,
      });
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
      confirmed: !nacked,
      ...(nacked ? { nacked } : {}),
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
        this.unacked = new Map(
          listed.map((q) => [this.serverNamed.toDiagram(q.name), q.messages_unacknowledged ?? 0]),
        );
      } catch {
        // Unacked counts are extra; depths below still come from AMQP.
      }
    }
    const states: QueueState[] = [];
    for (const queue of this.topology.queues) {
      const brokerName =
        queue.serverNamed === true ? this.serverNamed.brokerNameOf(queue.name) : queue.name;
      // A server-named queue the broker has not named yet (its declaration failed) has no state.
      if (brokerName === undefined) continue;
      try {
        const reply = await this.stats.run((ch) => ch.checkQueue(brokerName));
        const unacked = this.unacked.get(queue.name);
        states.push({
          name: queue.name,
          ...(brokerName === queue.name ? {} : { brokerName }),
          messages: reply.messageCount,
          consumers: reply.consumerCount,
          ...(unacked === undefined ? {} : { unacked }),
        });
      } catch (error) {
        if (!brokerRefusal(error)) break;
      }
    }
    return this.observation.withRates(states);
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
    this.observation.close();
    this.counters.close();
    clearInterval(this.statsTimer);
    clearTimeout(this.statsSoon);
    await this.consumers.close();
    await this.producers.close();
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

/** The first setting in which `want` differs from what the broker has, in the broker's words. */
function firstDifference(had: Queue, want: Queue): string {
  if (had.durable !== want.durable) return 'durable';
  if (had.exclusive !== want.exclusive) return 'exclusive';
  if (had.autoDelete !== want.autoDelete) return 'auto_delete';
  const a = had.arguments ?? {};
  const b = want.arguments ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.find((k) => canonicalJson(a[k]) !== canonicalJson(b[k])) ?? 'arguments';
}

function changedMessage(kind: 'exchange' | 'queue', name: string, setting: string): string {
  const Kind = kind === 'queue' ? 'Queue' : 'Exchange';
  const lost = kind === 'queue' ? ' (its messages are lost)' : '';
  return `${Kind} '${name}' already exists on the broker and was declared with a different ${setting}; apply with Recreate to replace it${lost}.`;
}

const QUEUE_PROPERTIES: Record<string, string> = {
  'exclusive-owner': 'cannot be exclusive',
  'non-durable': 'must be durable',
  'auto-delete': 'cannot be auto-delete',
};

/** A broker refusal in words that tell a learner what to do about it. */
function describeRefusal(
  kind: 'exchange' | 'queue' | 'binding',
  subject: Exchange | Queue | Binding,
  code: string,
  brokerMessage: string,
): string {
  const detail = brokerMessage.replace(/^[A-Z_]+ - /, '');
  const name =
    'name' in subject
      ? displayName(subject.name)
      : `${subject.source} -> ${displayName(subject.destination)}`;
  const inequivalent = /inequivalent arg '([^']+)'/.exec(brokerMessage);
  if (code === 'PRECONDITION_FAILED' && inequivalent && kind !== 'binding') {
    return changedMessage(kind, name, inequivalent[1] ?? 'settings');
  }
  const invalidArg = /invalid arg '([^']+)' for queue .* of queue type rabbit_(\w+?)_queue/.exec(
    brokerMessage,
  );
  if (invalidArg) {
    return `The broker refused queue '${name}': ${invalidArg[2] ?? ''} queues do not support ${invalidArg[1] ?? 'this argument'}.`;
  }
  const property = /invalid property '([^']+)'/.exec(brokerMessage)?.[1];
  if (property !== undefined && 'durable' in subject && kind === 'queue') {
    const type = queueTypeOf(subject as Queue);
    return `The broker refused queue '${name}': a ${type} queue ${QUEUE_PROPERTIES[property] ?? `does not allow '${property}'`}.`;
  }
  if (/reserved prefix 'amq\.\*'/.test(brokerMessage)) {
    return `Names starting with 'amq.' are reserved for the broker: rename ${kind} '${name}'${kind === 'queue' ? ', or let the broker name it (server-named)' : ''}.`;
  }
  if (/RESOURCE_LOCKED/.test(brokerMessage)) {
    return `Queue '${name}' is exclusive to another connection (an outside client); only that connection can use or delete it.`;
  }
  if (code === 'BROKER_NOT_FOUND')
    return `The broker could not find what ${kind} '${name}' refers to (${detail}).`;
  if (code === 'ACCESS_REFUSED') return `The broker refused ${kind} '${name}' (${detail}).`;
  return `The broker refused ${kind} '${name}': ${detail}`;
}

/** amqplib fails a confirm-channel publish with this error when the broker answers basic.nack. */
function isNack(error: unknown): boolean {
  return error instanceof Error && error.message === 'message nacked';
}

/** A publish the broker refused (closing the channel), as an error naming the field at fault. */
function publishFailure(error: unknown, exchange: string): unknown {
  const refusal = brokerRefusal(error);
  if (refusal?.code === 'BROKER_NOT_FOUND')
    return new PublishError(
      'BROKER_NOT_FOUND',
      `Exchange '${exchange}' does not exist on the broker; apply the diagram first.`,
      '/exchange',
    );
  if (refusal)
    return new PublishError(
      refusal.code === 'INTERNAL' ? 'BROKER_REFUSED' : (refusal.code as PublishError['code']),
      refusal.brokerMessage,
    );
  return error;
}
