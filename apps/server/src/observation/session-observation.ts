import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { effectiveQueueArguments, type Topology } from '@warren/topology';
import type { OutsideResponse, QueueState, WarrenEvent } from '@warren/protocol';
import { brokerRefusal } from '../broker/amqp-errors';
import type { ManagementClient } from '../broker/management';
import { ChannelSlot, openChannel } from '../broker/channel-slot';
import type { EventStream } from '../sessions/event-stream';
import { isTrace, parseTrace, type TraceRecord } from '../sessions/firehose';
import { DeadLetterTaps } from './dead-letter-taps';
import { canDiscard, DiscardInference, SETTLE_MS, type QueueLimits } from './discard-inference';
import { OutsideClients } from './outside-clients';
import { OutsideObjects, type ObjectKind } from './outside-objects';
import { QueueRates } from './queue-rates';

/** What the observation needs of its session. */
export interface ObservedSession {
  readonly id: string;
  readonly vhost: string;
  readonly events: EventStream;
  topology: Topology;
  brokerTopology(): Promise<Topology>;
  /** The broker's name of a diagram queue (a server-named queue's `amq.gen-…`). */
  brokerQueueName(queue: string): string;
  /** Label → broker name of the diagram's server-named queues. */
  brokerNames(): Record<string, string>;
  /** Runs `task` when no apply is under way. */
  betweenApplies<T>(task: () => Promise<T>): Promise<T>;
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
 * Everything the session observes beyond the firehose's routed and delivered records: every
 * dead-lettering as it happens (dead-letter-taps.ts), expiries and overflow drops where the broker
 * gives no signal (discard-inference.ts), per-queue rates, outside clients and the objects they
 * declare or delete. It also carries out the faults that act on the broker (purge, delete).
 */
export class SessionObservation {
  private model: ChannelModel | undefined;
  private observerQueue: string | undefined;
  /** A channel of the session's connection for observing and faults; a 404 only closes it. */
  private readonly channel = new ChannelSlot(() => this.model, openChannel);
  private readonly taps: DeadLetterTaps;
  private readonly discards = new DiscardInference();
  private readonly rates: QueueRates;
  readonly clients: OutsideClients;
  readonly objects: OutsideObjects;
  private timer: NodeJS.Timeout | undefined;
  private readonly unlisten: () => void;
  private readonly last = { depths: 0, clients: 0, rates: 0 };
  private readonly busy = new Set<'depths' | 'clients' | 'rates'>();
  /** Depths are read without a watcher too until then, so a reset gets its baseline at once. */
  private baselineUntil = 0;
  private closed = false;

  constructor(
    private readonly session: ObservedSession,
    private readonly deps: ObservationDeps,
  ) {
    const toDiagram = (queue: string) => this.toDiagram(queue);
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
    this.clients = new OutsideClients(
      { vhost: session.vhost, events: session.events, management: deps.management, toDiagram },
      deps.ownUser,
    );
    this.objects = new OutsideObjects(session, deps);
    this.unlisten = session.events.listen((event) => this.onEvent(event));
  }

  private toDiagram(queue: string): string {
    for (const [label, brokerName] of Object.entries(this.session.brokerNames())) {
      if (brokerName === queue) return label;
    }
    return queue;
  }

  /**
   * Called on every (re)connect, once the firehose is consuming into `observerQueue` on `model`:
   * binds the dead-letter taps and starts the clocks.
   */
  attach(model: ChannelModel, observerQueue: string): void {
    if (this.closed) return;
    this.model = model;
    this.observerQueue = observerQueue;
    this.channel.reset();
    this.taps.reset();
    void this.taps.sync(this.session.topology, observerQueue);
    // What happened while disconnected is unknown: depths start from a new baseline.
    this.resetDepths();
    this.objects.start();
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
  }

  /**
   * One message of the observer queue. Dead-letter copies and Warren's own observer traffic are
   * taken here; firehose records are booked and handed back for the session to emit as routed
   * or delivered events (with the observer queue left out of the routed queues).
   */
  onFirehose(message: ConsumeMessage): TraceRecord | undefined {
    if (!isTrace(message)) {
      this.taps.onCopy(message);
      return undefined;
    }
    const record = parseTrace(message);
    if (!record) return undefined;
    const observer = this.observerQueue;
    if (record.kind === 'publish') {
      if (observer !== undefined && record.routedQueues.includes(observer)) {
        this.taps.expectCopy(record.exchange, record.messageId, record.headers);
        record.routedQueues = record.routedQueues.filter((q) => q !== observer);
      }
      for (const queue of record.routedQueues) {
        this.discards.routed(queue, record.expiration !== undefined);
      }
      this.clients.onPublish(record.user, record.connection, record.exchange);
      return record;
    }
    if (record.queue === observer) return undefined;
    this.discards.delivered(record.queue, record.redelivered);
    if (record.headers['x-death'] !== undefined) {
      this.taps.onDelivery(
        record.messageId,
        record.headers,
        record.exchange,
        record.routingKey,
        record.redelivered,
      );
    }
    return record;
  }

  /** Whether a firehose record came from a client outside Warren. */
  isOutside(record: TraceRecord): boolean {
    return this.clients.isOutside(record.user, record.connection);
  }

  private onEvent(event: WarrenEvent): void {
    if (event.type !== 'topology' || this.closed) return;
    void this.taps.sync(event.topology, this.observerQueue);
    if (this.objects.ownTopologyEvent) {
      // Objects declared outside: queues new to the diagram get their baseline now.
      this.baselineUntil = Date.now() + SETTLE_MS * 3;
      return;
    }
    this.objects.afterApply(event.topology);
    this.resetDepths();
  }

  /** An apply may have recreated queues: every queue starts from a new baseline. */
  private resetDepths(): void {
    this.discards.reset();
    this.baselineUntil = Date.now() + SETTLE_MS * 3;
  }

  private tick(): void {
    if (this.closed) return;
    const now = Date.now();
    const watched = this.session.events.subscriberCount > 0;
    this.objects.tick(now, watched);
    if ((watched || now < this.baselineUntil) && now - this.last.depths >= DEPTHS_MS) {
      this.run('depths', now, () => this.readDepths());
    }
    if (watched && now - this.last.clients >= CLIENTS_MS) {
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

  /** Queue states with the management API's rates. */
  withRates(states: QueueState[]): QueueState[] {
    return this.rates.attach(states);
  }

  /** What a topology event or hello adds: the objects declared outside Warren. */
  topologyExtras(topology: Topology): { outsideNames?: string[] } {
    const names = this.objects.names(topology);
    return names.length > 0 ? { outsideNames: names } : {};
  }

  /** Outside clients (read afresh) and the objects they declared or deleted. */
  async outside(): Promise<OutsideResponse> {
    await this.clients
      .poll()
      .catch((error: unknown) =>
        this.deps.log.debug({ err: error, session: this.session.id }, 'reading clients failed'),
      );
    return {
      clients: this.clients.list(),
      objects: this.objects.list(),
      outsideNames: this.objects.names(),
    };
  }

  /** Fault: removes every ready message of a queue; how many the broker removed. */
  async purge(queue: string): Promise<number> {
    const brokerName = this.session.brokerQueueName(queue);
    const { messageCount } = await this.channel.run((ch) => ch.purgeQueue(brokerName));
    this.discards.removed(brokerName, messageCount);
    return messageCount;
  }

  /**
   * Fault: deletes an exchange or queue on the broker only; the diagram keeps it, marked missing
   * until the next Apply declares it again. Throws the broker's refusal (404 when it has none).
   */
  async deleteOnBroker(
    kind: Extract<ObjectKind, 'exchange' | 'queue'>,
    name: string,
  ): Promise<{ messages?: number }> {
    let messages: number | undefined;
    if (kind === 'queue') {
      const brokerName = this.session.brokerQueueName(name);
      // queue.delete of a missing queue succeeds: ask first, so a typo gets a 404.
      await this.channel.run((ch) => ch.checkQueue(brokerName));
      messages = (await this.channel.run((ch) => ch.deleteQueue(brokerName))).messageCount;
      this.discards.forget(brokerName);
    } else {
      await this.channel.run((ch) => ch.checkExchange(name));
      await this.channel.run((ch) => ch.deleteExchange(name));
    }
    for (const change of this.objects.markDeleted(kind, name)) {
      this.session.events.emit({ type: 'outside-change', ...change });
    }
    return messages === undefined ? {} : { messages };
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.unlisten();
    this.objects.close();
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
