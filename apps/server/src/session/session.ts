import type { ChannelModel } from 'amqplib';
import { emptyTopology, type CounterSnapshot, type Queue, type Topology } from '@warren/topology';
import {
  alarmSentence,
  type ApplyTopologyResponse,
  type BrokerAlarm,
  type BrokerStatus,
  type PublishRequest,
  type PublishResponse,
  type QueueState,
} from '@warren/protocol';
import { ReconnectingConnection } from '../broker/connection';
import type { ManagementClient } from '../broker/management';
import { EventStream } from '../events/event-stream';
import { BrokerFaults } from '../faults/broker-faults';
import { Materializer } from '../materializer/materializer';
import type { OutsideTopology } from '../observation/outside-objects';
import { SessionCounters } from '../observation/session-counters';
import { SessionObservation } from '../observation/session-observation';
import { Publisher } from '../publishing/publisher';
import { ConsumerRuntime } from '../runtime/consumers/consumer-runtime';
import { ProducerRuntime } from '../runtime/producers';
import type { SessionRecords, SessionRuntimeState } from './session-records';
import { ensureSessionVhost, type SessionVhostLimits } from './session-vhost';

/** How long a request waits for a rebuilt session's first connection before it is refused. */
const FIRST_CONNECTION_WAIT_MS = 10_000;

export interface SessionDeps {
  management: ManagementClient;
  /** AMQP URL of the broker without a vhost; the session appends its own. */
  amqpUrl: string;
  /** The broker user Warren itself connects as; traffic of any other user is "outside". */
  ownUser: string;
  statsIntervalMs: number;
  /** Re-applied when the broker lost the session's vhost and it is created again. */
  vhostLimits?: SessionVhostLimits;
  /** Where the session is kept across restarts; every acknowledged change is written first. */
  records?: SessionRecords;
  /** The broker's resource alarms as last checked, and a way to check again now. */
  alarms?: { current: () => readonly BrokerAlarm[]; check: () => void };
  log: {
    info: (obj: object, msg: string) => void;
    warn: (obj: object, msg: string) => void;
    debug: (obj: object, msg: string) => void;
  };
}

export interface SessionIdentity {
  id: string;
  vhost: string;
  /** SHA-256 of the edit token (hex): the token itself is only known to whoever created it. */
  editTokenHash: string;
  user: string;
  password: string;
  createdAt: Date;
  /** The saved diagram revision it was started from, if any. */
  diagram?: { id: string; revision: number };
}

/**
 * One running diagram: its own vhost on the broker, an AMQP connection that comes back after
 * broker restarts, and the stream of events its viewers receive. The session holds the diagram
 * and changes it, one change at a time: an apply, or objects declared outside Warren, which
 * observation finds and hands back. Materializing, publishing, observing, faults and the
 * producer and consumer nodes are each their own module.
 */
export class Session {
  readonly events = new EventStream();
  /** The diagram's consumer nodes, run by Warren on the session's vhost. */
  readonly consumers: ConsumerRuntime;
  /** The diagram's producer nodes, run by Warren, each on its own connection. */
  readonly producers: ProducerRuntime;
  /** The firehose, dead-letterings, inferred discards, queue states, outside clients and objects. */
  readonly observation: SessionObservation;
  /** Messages on every edge and through every exchange, from the broker's reports. */
  readonly counters: SessionCounters;
  /** Purges and deletions behind the diagram's back. */
  readonly faults: BrokerFaults;
  lastActivity = Date.now();
  broker: BrokerStatus = { amqp: false, management: true };
  private diagram: Topology = emptyTopology();
  private readonly amqp: ReconnectingConnection;
  private readonly materializer: Materializer;
  private readonly publisher: Publisher;
  private applying: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** How often the connection that was up went down (a broker restart, a forced close). */
  private losses = 0;
  private started = false;
  /** Whether the connection was ever up: a session rebuilt after a restart is not, at first. */
  private everConnected = false;
  /** The lesson's steps done, told by whoever runs the session's lesson (kept across restarts). */
  private lessonDone: (() => string[]) | undefined;
  /** Why the broker blocked this session's connection (connection.blocked), while it does. */
  private blockedReason: string | undefined;

  constructor(
    readonly identity: SessionIdentity,
    private readonly deps: SessionDeps,
    /** What a kept session had before the server restarted: its diagram and counters. */
    kept?: { topology: Topology; counters?: CounterSnapshot; lastActivity?: number },
  ) {
    if (kept) {
      this.diagram = kept.topology;
      if (kept.lastActivity !== undefined) this.lastActivity = kept.lastActivity;
    }
    const url = new URL(deps.amqpUrl);
    url.pathname = `/${encodeURIComponent(identity.vhost)}`;
    const connection = () => this.connection();
    const brokerQueueName = (queue: string) => this.brokerQueueName(queue);
    this.materializer = new Materializer({
      management: deps.management,
      vhost: identity.vhost,
      connection,
      hidden: (name) => name === this.observation.observerQueue,
    });
    this.publisher = new Publisher({
      connection,
      events: this.events,
      brokerQueueName,
      blocked: () => {
        const alarms = this.deps.alarms?.current() ?? [];
        if (alarms.length > 0) return alarmSentence(alarms);
        if (this.blockedReason !== undefined)
          return `RabbitMQ blocks this session's publishing (${this.blockedReason}).`;
        return undefined;
      },
    });
    const alarms = deps.alarms?.current() ?? [];
    if (alarms.length > 0) this.broker = { ...this.broker, alarms: [...alarms] };
    this.observation = new SessionObservation(this, deps);
    this.counters = new SessionCounters(this.events, this.diagram);
    if (kept?.counters) this.counters.restore(kept.counters);
    this.faults = new BrokerFaults({
      connection,
      brokerQueueName,
      purged: (brokerName, count) => this.observation.purged(brokerName, count),
      deleted: (kind, name) => this.observation.deletedOnBroker(kind, name),
    });
    this.consumers = new ConsumerRuntime({
      sessionId: identity.id,
      url: url.href,
      emit: (event) => this.events.emit(event),
      brokerQueueName,
      sessionConnection: connection,
      claimChannel: (channel, consumerId) => this.observation.claimChannel(channel, consumerId),
      log: deps.log,
    });
    this.producers = new ProducerRuntime({
      sessionId: identity.id,
      vhost: identity.vhost,
      amqpUrl: deps.amqpUrl,
      events: this.events,
      management: deps.management,
      brokerQueueName,
      log: deps.log,
    });
    this.amqp = new ReconnectingConnection(url.href, `warren session ${identity.id}`, {
      beforeConnect: () =>
        ensureSessionVhost(deps.management, identity, deps.ownUser, deps.log, deps.vhostLimits),
      setup: (model) => this.setup(model),
      onConnect: () => {
        this.everConnected = true;
        this.setBroker({ amqp: true });
        // The broker may have restarted and lost transient objects: make it match the diagram again.
        if (this.diagram.exchanges.length + this.diagram.queues.length > 0) {
          void this.apply(this.diagram).catch((error: unknown) =>
            deps.log.warn(
              { err: error, session: identity.id },
              're-applying topology after reconnect failed',
            ),
          );
        }
      },
      onDisconnect: (error, lost) => {
        this.blockedReason = undefined;
        if (lost) this.losses += 1;
        this.setBroker({ amqp: false, message: error?.message });
      },
      onBlocked: (reason) => {
        this.blockedReason = reason;
        // Which alarm it is, and every other session, comes from the broker's own flags.
        this.deps.alarms?.check();
      },
      log: deps.log,
    });
  }

  get id(): string {
    return this.identity.id;
  }

  get vhost(): string {
    return this.identity.vhost;
  }

  /** The diagram as last applied (or as adopted from objects declared outside). */
  get topology(): Topology {
    return this.diagram;
  }

  /** The session's own AMQP connection, while it is up. */
  connection(): ChannelModel | undefined {
    return this.amqp.current;
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** How many times the session's connection, once up, was lost: a restart shows as one more. */
  get connectionLosses(): number {
    return this.losses;
  }

  /**
   * Resolves true once the connection is up and the applies it started are done (after a
   * reconnect the diagram is declared again, so transient queues are back, empty); false when
   * `signal` aborts first or the session is closed. A wait in backoff is cut short.
   */
  async recovered(signal: AbortSignal): Promise<boolean> {
    if (this.closed) return false;
    if (!this.amqp.connected) void this.amqp.attempt().catch(() => {});
    if (!(await this.amqp.whenConnected(signal))) return false;
    await this.betweenApplies(async () => {});
    return this.amqp.connected && !this.closed && !signal.aborted;
  }

  /** Connects and waits for the first connection, at most `timeoutMs`. */
  async start(timeoutMs = 10_000): Promise<boolean> {
    if (!this.started) {
      this.started = true;
      this.amqp.start();
      this.observation.start(this.deps.statsIntervalMs);
    }
    return this.amqp.waitUntilConnected(timeoutMs);
  }

  /**
   * A session rebuilt after a restart connects in the background: a request that needs the
   * broker waits for that first connection (and the diagram applied with it) a little while
   * rather than failing at once. It also moves this session ahead of those still waiting.
   */
  private async firstConnection(): Promise<void> {
    if (this.everConnected || this.closed) return;
    await this.start(FIRST_CONNECTION_WAIT_MS);
  }

  /** Replayed on every connect, before the connection counts as up. */
  private async setup(model: ChannelModel): Promise<void> {
    await this.observation.attach(model);
    // Exclusive queues and every channel died with the previous connection.
    this.materializer.reset();
    this.publisher.reset();
    this.faults.reset();
  }

  /** The broker's resource alarms changed (see BrokerMonitor): viewers are told. */
  alarmsChanged(alarms: readonly BrokerAlarm[]): void {
    this.setBroker({ alarms: [...alarms] });
  }

  private setBroker(change: Partial<BrokerStatus>): void {
    const next = { ...this.broker, ...change };
    if (change.amqp === true) delete next.message;
    if (next.alarms?.length === 0) delete next.alarms;
    if (JSON.stringify(next) === JSON.stringify(this.broker)) return;
    this.broker = next;
    this.events.emit({ type: 'broker-status', status: next });
  }

  /**
   * Makes the broker match `next` (see Materializer). With `seenSeq` (the last event the sender
   * had taken in), objects declared outside Warren after it are kept: the sender could not have
   * known them. Applies are serialized so two editors never interleave.
   */
  apply(
    next: Topology,
    options: { recreate?: boolean; seenSeq?: number } = {},
  ): Promise<ApplyTopologyResponse> {
    const run = () =>
      this.betweenApplies(() =>
        this.applyNow(
          options.seenSeq === undefined
            ? next
            : this.observation.objects.keepUnseen(next, options.seenSeq),
          options.recreate === true,
        ),
      );
    return this.everConnected ? run() : this.firstConnection().then(run);
  }

  /** Runs `task` when no apply is under way, so the broker and the diagram are not mid-change. */
  private betweenApplies<T>(task: () => Promise<T>): Promise<T> {
    const run = this.applying.then(task);
    this.applying = run.catch(() => {});
    return run;
  }

  private async applyNow(wanted: Topology, recreate: boolean): Promise<ApplyTopologyResponse> {
    const { nodeErrors, changes, topology: next } = await this.materializer.apply(wanted, recreate);
    this.diagram = next;
    this.producers.update(next);
    this.events.emit({
      type: 'topology',
      topology: next,
      ...this.observation.topologyExtras(next),
    });
    this.observation.applied(next);
    if (nodeErrors.length > 0) this.events.emit({ type: 'node-error', errors: nodeErrors });
    await this.consumers.sync(next);
    await this.deps.records?.saveState(this.id, next, this.runtimeState());
    const brokerNames = this.brokerNames();
    return {
      topology: next,
      nodeErrors,
      changes,
      ...(Object.keys(brokerNames).length > 0 ? { brokerNames } : {}),
    };
  }

  /**
   * Objects declared or deleted outside Warren: `read` compares the broker with the diagram
   * between applies, and the diagram it returns becomes the session's.
   */
  adoptOutside(read: (diagram: Topology) => Promise<OutsideTopology | undefined>): Promise<void> {
    return this.betweenApplies(async () => {
      const change = await read(this.diagram);
      if (!change || this.closed) return;
      this.diagram = change.topology;
      const event = this.events.emit({
        type: 'topology',
        topology: change.topology,
        outsideNames: change.outsideNames,
        ...this.observation.topologyExtras(change.topology),
      });
      this.observation.adopted(change, event.seq);
      await this.deps.records
        ?.saveState(this.id, change.topology, this.runtimeState())
        .catch((error: unknown) =>
          this.deps.log.warn({ err: error, session: this.id }, 'keeping the session failed'),
        );
    });
  }

  /** Which producers are sending and what each consumer is doing, as kept across restarts. */
  runtimeState(): SessionRuntimeState {
    const producers = this.producers.list();
    const consumers = this.consumers.list();
    return {
      producers: producers.filter((p) => p.running).map((p) => p.producerId),
      consumers: Object.fromEntries(consumers.map((c) => [c.consumerId, c.status])),
      producerCounts: Object.fromEntries(
        producers.map(({ producerId, sent, confirmed, nacked, returned }) => [
          producerId,
          { sent, confirmed, nacked, returned },
        ]),
      ),
      consumerCounts: Object.fromEntries(
        consumers.map((c) => [
          c.consumerId,
          {
            received: c.received,
            acked: c.acked,
            nacked: c.nacked,
            rejected: c.rejected,
            requeued: c.requeued,
            duplicates: c.duplicates,
            replied: c.replied,
          },
        ]),
      ),
      ...(this.lessonDone ? { lessonDone: this.lessonDone() } : {}),
    };
  }

  /** Says where the lesson's progress comes from, so it is kept with what runs. */
  trackLesson(done: () => string[]): void {
    this.lessonDone = done;
  }

  /**
   * Keeps what runs now (after a producer started or a consumer paused, say), before the
   * request that changed it is answered.
   */
  async saveRuntime(): Promise<void> {
    if (this.closed) return;
    await this.deps.records?.saveRuntime(this.id, this.runtimeState());
  }

  /** What the broker has in the session's vhost, as a topology. */
  brokerTopology(): Promise<Topology> {
    return this.materializer.brokerTopology();
  }

  /** The broker's name of a queue of the diagram (its label for a server-named one). */
  brokerQueueName(queue: string): string {
    return this.materializer.brokerQueueName(this.diagram, queue);
  }

  /** A queue's broker name; undefined for a server-named one the broker has not named yet. */
  namedOnBroker(queue: Queue): string | undefined {
    return this.materializer.namedOnBroker(queue);
  }

  /** A broker queue name as the diagram says it (the label of a server-named queue). */
  toDiagram(brokerName: string): string {
    return this.materializer.serverNamed.toDiagram(brokerName);
  }

  /** Label → broker name of the diagram's server-named queues that the broker has named. */
  brokerNames(): Record<string, string> {
    return this.materializer.brokerNames(this.diagram);
  }

  /** Publishes one message and answers with what the broker did with it. */
  async publish(request: PublishRequest): Promise<PublishResponse> {
    await this.firstConnection();
    const response = await this.publisher.publish(request);
    this.touch();
    return response;
  }

  /** Depth and consumers of every queue in the diagram, read from the broker. */
  queueStates(): Promise<QueueState[]> {
    return this.observation.queueStates();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.observation.close();
    this.counters.close();
    await this.consumers.close();
    await this.producers.close();
    this.events.close();
    await this.amqp.close();
  }
}
