import type { Channel, ChannelModel } from 'amqplib';
import { effectiveQueueArguments, type Queue, type Topology } from '@warren/topology';
import type { OutsideResponse, QueueState } from '@warren/protocol';
import { brokerRefusal } from '../broker/amqp-errors';
import type { ManagementClient } from '../broker/management';
import { ChannelSlot, openChannel } from '../broker/channel-slot';
import type { EventStream } from '../events/event-stream';
import { DeadLetterTaps } from './dead-letter-taps';
import { canDiscard, DiscardInference, SETTLE_MS, type QueueLimits } from './discard-inference';
import { ExistingQueues } from './existing-queues';
import { Firehose } from './firehose';
import { OutsideClients } from './outside-clients';
import { OutsideObjects, type OutsideTopology } from './outside-objects';
import { QueueRates } from './queue-rates';
import { QueueStats } from './queue-stats';

/** What the observation reads of its session; it never writes it (see OutsideTopology). */
export interface ObservedSession {
  readonly id: string;
  readonly vhost: string;
  readonly events: EventStream;
  readonly topology: Topology;
  /** The session's connection, while it is up. */
  connection(): ChannelModel | undefined;
  brokerTopology(): Promise<Topology>;
  /** The broker's name of a diagram queue (a server-named queue's `amq.gen-…`). */
  brokerQueueName(queue: string): string;
  /** A queue's broker name; undefined for a server-named one the broker has not named yet. */
  namedOnBroker(queue: Queue): string | undefined;
  /** A queue's broker name as the diagram says it. */
  toDiagram(brokerName: string): string;
  adoptOutside(read: (diagram: Topology) => Promise<OutsideTopology | undefined>): Promise<void>;
}

export interface ObservationDeps {
  management: ManagementClient;
  amqpUrl: string;
  ownUser: string;
  log: {
    warn: (obj: object, msg: string) => void;
    debug: (obj: object, msg: string) => void;
  };
}

/** Cadences while someone watches the session. */
const TICK_MS = 250;
const DEPTHS_MS = 500;
const CLIENTS_MS = 1000;
const RATES_MS = 2000;

/**
 * Everything the session sees of its vhost: the firehose (routed and delivered), every
 * dead-lettering as it happens (dead-letter-taps.ts), expiries and overflow drops where the
 * broker gives no signal (discard-inference.ts), queue depths and rates, outside clients and
 * the objects they declare or delete. What changes the diagram is returned to the session.
 */
/** How long a session waits for the broker's event feed when it connects (once per process). */
const FEED_WAIT_MS = 3000;

export class SessionObservation {
  private model: ChannelModel | undefined;
  /** A channel of the session's connection for observing; a 404 only closes it. */
  private readonly channel = new ChannelSlot(() => this.model, openChannel);
  private readonly firehose: Firehose;
  /** Passive declares for the routing filter: a 404 closes only this channel. */
  private readonly checks = new ChannelSlot(() => this.model, openChannel);
  private readonly existing: ExistingQueues;
  private knownQueues: { topology: Topology; names: Set<string> } | undefined;
  private readonly taps: DeadLetterTaps;
  private readonly discards = new DiscardInference();
  private readonly rates: QueueRates;
  private readonly queues: QueueStats;
  readonly clients: OutsideClients;
  readonly objects: OutsideObjects;
  private timer: NodeJS.Timeout | undefined;
  private readonly last = { depths: 0, clients: 0, rates: 0 };
  private readonly busy = new Set<'depths' | 'clients' | 'rates'>();
  /** Depths are read without a watcher too until then, so a reset gets its baseline at once. */
  private baselineUntil = 0;
  private closed = false;

  constructor(
    private readonly session: ObservedSession,
    private readonly deps: ObservationDeps,
  ) {
    const toDiagram = (queue: string) => session.toDiagram(queue);
    this.taps = new DeadLetterTaps(
      {
        events: session.events,
        toDiagram,
        brokerQueueName: (queue) => session.brokerQueueName(queue),
      },
      this.channel,
      (queue, death) => {
        // Expiry and overflow take the message out of "ready"; a rejection already left it.
        if (death.reason === 'expired' || death.reason === 'maxlen')
          this.discards.removed(queue, 1);
      },
    );
    this.rates = new QueueRates(deps.management, session.vhost);
    this.queues = new QueueStats(session, deps.management, this.rates, deps.log);
    this.clients = new OutsideClients(
      { vhost: session.vhost, events: session.events, management: deps.management, toDiagram },
      deps,
    );
    this.objects = new OutsideObjects(session, deps);
    this.existing = new ExistingQueues({
      known: () => this.knownBrokerQueues(),
      exists: (name) =>
        this.checks
          .run((ch) => ch.checkQueue(name))
          .then(
            () => true,
            (error: unknown) => brokerRefusal(error)?.replyCode !== 404,
          ),
    });
    this.firehose = new Firehose(
      { ...deps, id: session.id, vhost: session.vhost, events: session.events, toDiagram },
      {
        copy: (message) => this.taps.onCopy(message),
        published: (record, copied) => {
          if (copied) this.taps.expectCopy(record.exchange, record.messageId, record.headers);
          for (const queue of record.routedQueues) {
            this.discards.routed(queue, record.expiration !== undefined);
          }
        },
        delivered: (record) => {
          this.discards.delivered(record.queue, record.redelivered);
          if (record.headers['x-death'] === undefined) return;
          this.taps.onDelivery(
            record.messageId,
            record.headers,
            record.exchange,
            record.routingKey,
            record.redelivered,
          );
        },
        isOutside: (record) => this.clients.isOutside(record.user, record.connection),
        outsideClientId: (record) =>
          record.kind === 'publish'
            ? this.clients.onPublish(record.connection, record.exchange, record.replyTo)
            : this.clients.onDeliver(record.connection, record.queue),
        ready: (record) => this.clients.ready(record.user, record.connection),
        queuesChanged: () => this.queues.soon(),
        existing: (names) => this.existing.filter(names),
      },
    );
    this.clients.onIdentified = () => this.firehose.release();
    this.objects.onQueueEvent = (change, name) => this.existing.event(change, name);
  }

  /** Broker names of the topology's queues (computed once per topology). */
  private knownBrokerQueues(): Set<string> {
    const topology = this.session.topology;
    if (this.knownQueues?.topology !== topology) {
      const names = topology.queues
        .map((q) => this.session.namedOnBroker(q))
        .filter((name): name is string => name !== undefined);
      this.knownQueues = { topology, names: new Set(names) };
    }
    return this.knownQueues.names;
  }

  /** Queue states are sent every `statsIntervalMs` while someone watches. */
  start(statsIntervalMs: number): void {
    this.queues.start(statsIntervalMs);
  }

  /** The firehose's observer queue: Warren's own, never part of the diagram. */
  get observerQueue(): string | undefined {
    return this.firehose.observerQueue;
  }

  /**
   * On every (re)connect, before the connection counts as up: the firehose is declared and
   * consumed, the dead-letter taps bound, and the clocks started.
   */
  async attach(model: ChannelModel): Promise<void> {
    const observerQueue = await this.firehose.declare(model);
    if (this.closed) return;
    this.model = model;
    this.channel.reset();
    this.checks.reset();
    this.queues.reset();
    this.taps.reset();
    void this.taps.sync(this.session.topology, observerQueue);
    // What happened while disconnected is unknown: depths start from a new baseline.
    this.resetDepths();
    this.objects.start();
    this.clients.start();
    await this.objects.feedSettled(FEED_WAIT_MS);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
  }

  /** Deliveries on `channel` are this consumer node's; returns the undo. */
  claimChannel(channel: Channel, consumerId: string): () => void {
    return this.firehose.claimChannel(channel, consumerId);
  }

  /** The session applied `topology`: taps follow it, and every queue gets a new baseline. */
  applied(topology: Topology): void {
    if (this.closed) return;
    void this.taps.sync(topology, this.observerQueue);
    this.objects.afterApply(topology);
    this.resetDepths();
    this.queues.changed();
  }

  /** The session adopted objects declared outside, with the `topology` event numbered `seq`. */
  adopted(change: OutsideTopology, seq: number): void {
    if (this.closed) return;
    this.objects.adopted(change, seq);
    void this.taps.sync(change.topology, this.observerQueue);
    // Queues new to the diagram get their baseline now.
    this.baselineUntil = Date.now() + SETTLE_MS * 3;
  }

  /** An apply may have recreated queues: every queue starts from a new baseline. */
  private resetDepths(): void {
    this.discards.reset();
    this.baselineUntil = Date.now() + SETTLE_MS * 3;
  }

  private tick(): void {
    if (this.closed) return;
    const now = Date.now();
    const watched = this.session.events.watcherCount > 0;
    this.objects.tick(now, watched);
    if ((watched || now < this.baselineUntil) && now - this.last.depths >= DEPTHS_MS) {
      this.run('depths', now, () => this.readDepths());
    }
    this.clients.tick(now);
    if (watched && this.clients.needsPolling && now - this.last.clients >= CLIENTS_MS) {
      this.run('clients', now, () => this.clients.poll());
    }
    if (watched && now - this.last.rates >= RATES_MS) {
      this.run('rates', now, () => this.rates.refresh());
    }
  }

  private run(what: 'depths' | 'clients' | 'rates', now: number, work: () => Promise<void>) {
    if (this.busy.has(what)) return;
    this.busy.add(what);
    this.last[what] = now;
    void work()
      .catch((error: unknown) =>
        this.deps.log.debug({ err: error, session: this.session.id }, `reading ${what} failed`),
      )
      .finally(() => this.busy.delete(what));
  }

  /** Reads the ready count of each queue that can lose messages by itself, and infers losses. */
  private async readDepths(): Promise<void> {
    const topology = this.session.topology;
    // While taking baselines every queue is read: one may get messages with an expiration later.
    const baseline = Date.now() < this.baselineUntil;
    for (const queue of topology.queues) {
      const brokerName = this.session.brokerQueueName(queue.name);
      const limits = limitsOf(topology, queue);
      if (!baseline && !canDiscard(limits, this.discards.expirationSeen(brokerName))) continue;
      let ready: number;
      try {
        ready = (await this.channel.run((ch) => ch.checkQueue(brokerName))).messageCount;
      } catch (error) {
        if (!brokerRefusal(error)) throw error;
        this.discards.forget(brokerName);
        continue;
      }
      const discard = this.discards.reading(brokerName, ready, Date.now(), limits);
      if (!discard) continue;
      this.session.events.emit({
        type: discard.type,
        queue: queue.name,
        count: discard.count,
        inferred: true,
      });
    }
  }

  /** Depth, consumers, unacked and rates of every queue in the diagram. */
  queueStates(): Promise<QueueState[]> {
    return this.queues.states();
  }

  /** What a topology event or hello adds: the objects declared outside Warren, and their owners. */
  topologyExtras(topology: Topology): {
    outsideNames?: string[];
    outsideOwners?: Record<string, string>;
  } {
    const names = this.objects.names(topology);
    if (names.length === 0) return {};
    const owners = this.objects.ownersOf(topology);
    return Object.keys(owners).length > 0
      ? { outsideNames: names, outsideOwners: owners }
      : { outsideNames: names };
  }

  /** Outside clients (read afresh) and the objects they declared or deleted. */
  async outside(): Promise<OutsideResponse> {
    if (this.clients.needsPolling) {
      await this.clients
        .poll()
        .catch((error: unknown) =>
          this.deps.log.debug({ err: error, session: this.session.id }, 'reading clients failed'),
        );
    }
    return {
      clients: this.clients.list(),
      objects: this.objects.list(),
      outsideNames: this.objects.names(),
      outsideOwners: this.objects.ownersOf(),
    };
  }

  /** A fault purged `count` ready messages of a queue (broker name): they were not lost. */
  purged(brokerName: string, count: number): void {
    this.discards.removed(brokerName, count);
  }

  /**
   * A fault deleted an exchange or queue on the broker: it (and the bindings the broker deleted
   * with it) is reported missing until the next Apply declares it again.
   */
  deletedOnBroker(kind: 'exchange' | 'queue', name: string): void {
    if (kind === 'queue') this.discards.forget(this.session.brokerQueueName(name));
    for (const change of this.objects.markDeleted(kind, name)) {
      this.session.events.emit({ type: 'outside-change', ...change });
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.queues.close();
    this.objects.close();
    this.clients.close();
  }
}

function limitsOf(topology: Topology, queue: Topology['queues'][number]): QueueLimits {
  const args = effectiveQueueArguments(topology, queue);
  const number = (key: string) => {
    const value = args.get(key)?.value;
    return typeof value === 'number' ? value : undefined;
  };
  const maxLength = number('x-max-length');
  const maxLengthBytes = number('x-max-length-bytes');
  return {
    ttl: number('x-message-ttl') !== undefined,
    ...(maxLength === undefined ? {} : { maxLength }),
    ...(maxLengthBytes === undefined ? {} : { maxLengthBytes }),
  };
}
