import type { ConsumeMessage } from 'amqplib';
import {
  canonicalJson,
  deathSignature,
  effectiveExchangeArguments,
  effectiveQueueArguments,
  exchangeTypeOf,
  latestDeath,
  type Death,
  type Topology,
} from '@warren/topology';
import type { EventStream } from '../events/event-stream';
import type { ChannelSlot } from '../broker/channel-slot';

/**
 * Dead-lettering as it happens. RabbitMQ 3.10 does not trace a dead-lettering on the firehose
 * (measured: no `publish.<dlx>` record appears when a queue expires, drops or rejects a message
 * into its dead-letter exchange), and the dead-lettered copy only shows its `x-death` when it is
 * next delivered, if ever.
 *
 * So the session's observer queue (already consuming the firehose) is also bound to each
 * dead-letter exchange of the diagram with exactly the bindings that exchange has (same keys,
 * same header arguments; one binding for a fanout). A dead-lettered copy that the exchange routes
 * anywhere therefore also reaches the observer queue, at the same moment, with the broker's own
 * `x-death` whose first entry names the source queue, the reason and the count. The routing of
 * the diagram's messages is unchanged: the observer queue matches only what already matched, and
 * RabbitMQ sends one copy per queue however many bindings match. Consistent-hash exchanges are
 * never tapped (a binding there would take a share of the messages). The alternate exchange of a
 * dead-letter exchange is tapped likewise, for copies its bindings do not match.
 *
 * A client publishing straight to a tapped exchange also sends the observer queue a copy. The
 * firehose reports that publish first (the channel traces before it delivers, and both reach the
 * observer queue from the same channel process, in order), with the observer queue among its
 * routed queues: such copies are expected by signature and not taken for dead-letterings.
 */

export interface TapBinding {
  exchange: string;
  routingKey: string;
  arguments: Record<string, unknown>;
}

export interface DeadLetterHost {
  readonly events: EventStream;
  /** A queue's broker name as the diagram says it. */
  toDiagram(queue: string): string;
  brokerQueueName(queue: string): string;
}

/** How many dead-letter signatures are remembered to avoid reporting one twice. */
const REMEMBERED = 10_000;

/**
 * The tap bindings a topology needs, and for each queue with a dead-letter exchange the
 * exchanges (the DLX and its alternates) whose tap bindings would see its dead-letterings.
 */
export function tapBindings(topology: Topology): {
  bindings: TapBinding[];
  chains: Map<string, Set<string>>;
} {
  const exchanges = new Map(topology.exchanges.map((x) => [x.name, x]));
  const alternates = (name: string) => {
    const seen = new Set<string>();
    let current: string | undefined = name;
    while (current !== undefined && current !== '' && !seen.has(current)) {
      seen.add(current);
      const exchange = exchanges.get(current);
      const alternate = exchange
        ? effectiveExchangeArguments(topology, exchange).get('alternate-exchange')?.value
        : undefined;
      current = typeof alternate === 'string' ? alternate : undefined;
    }
    return seen;
  };
  const chains = new Map<string, Set<string>>();
  const tapped = new Set<string>();
  for (const queue of topology.queues) {
    const dlx = effectiveQueueArguments(topology, queue).get('x-dead-letter-exchange')?.value;
    if (typeof dlx !== 'string' || dlx === '') continue;
    const chain = alternates(dlx);
    chains.set(queue.name, chain);
    for (const name of chain) tapped.add(name);
  }
  const bindings = new Map<string, TapBinding>();
  for (const b of topology.bindings) {
    if (!tapped.has(b.source)) continue;
    const type = exchangeTypeOf(topology, b.source);
    if (type === undefined || type === 'x-consistent-hash') continue;
    const tap: TapBinding =
      type === 'fanout'
        ? { exchange: b.source, routingKey: '', arguments: {} }
        : { exchange: b.source, routingKey: b.routingKey, arguments: b.arguments ?? {} };
    bindings.set(canonicalJson(tap), tap);
  }
  return { bindings: [...bindings.values()], chains };
}

export class DeadLetterTaps {
  private bound = new Map<string, TapBinding>();
  /** Broker names of queues whose dead-letterings the taps see. */
  private covered = new Set<string>();
  /** Copies of client publishes the observer queue is about to receive, by signature. */
  private readonly expected = new Map<string, number>();
  /** Dead-letterings already reported, by signature (message id, queue, reason, count). */
  private readonly reported = new Set<string>();
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: DeadLetterHost,
    private readonly channel: ChannelSlot,
    /** Called for each dead-lettering seen, with the broker name of the queue it left. */
    private readonly onDeadLettered: (queue: string, death: Death) => void,
  ) {}

  /**
   * Binds the observer queue to what `topology` needs and unbinds what it no longer needs.
   * Bindings are made again each time: deleting an exchange drops its bindings silently.
   */
  sync(topology: Topology, observerQueue: string | undefined): Promise<void> {
    const run = this.syncing.then(async () => {
      if (observerQueue === undefined) return;
      const { bindings, chains } = tapBindings(topology);
      const wanted = new Map(bindings.map((b) => [canonicalJson(b), b]));
      for (const [key, tap] of this.bound) {
        if (wanted.has(key)) continue;
        await this.channel
          .run((ch) => ch.unbindQueue(observerQueue, tap.exchange, tap.routingKey, tap.arguments))
          .catch(() => {});
      }
      const made = new Map<string, TapBinding>();
      for (const [key, tap] of wanted) {
        // An exchange that failed to declare has nothing to tap; the rest go on.
        const ok = await this.channel
          .run((ch) => ch.bindQueue(observerQueue, tap.exchange, tap.routingKey, tap.arguments))
          .then(
            () => true,
            () => false,
          );
        if (ok) made.set(key, tap);
      }
      this.bound = made;
      const boundExchanges = new Set([...made.values()].map((t) => t.exchange));
      this.covered = new Set(
        [...chains]
          .filter(([, chain]) => [...chain].some((x) => boundExchanges.has(x)))
          .map(([queue]) => this.host.brokerQueueName(queue)),
      );
    });
    this.syncing = run.catch(() => {});
    return this.syncing;
  }

  /** The connection is new: the observer queue and its bindings are new too. */
  reset(): void {
    this.bound.clear();
    this.expected.clear();
  }

  /** Whether the dead-letterings of a queue (broker name) are seen as they happen. */
  covers(queue: string): boolean {
    return this.covered.has(queue);
  }

  /** A client publish the firehose reported routed to the observer queue: its copy follows. */
  expectCopy(exchange: string, messageId: string | null, headers: Record<string, unknown>): void {
    const signature = `${exchange}\u0000${deathSignature(messageId, latestDeath(headers))}`;
    // Copies arrive right after their trace; a backlog this large means some never will.
    if (this.expected.size >= REMEMBERED) this.expected.clear();
    this.expected.set(signature, (this.expected.get(signature) ?? 0) + 1);
  }

  /** A message the observer queue received through a tap binding. */
  onCopy(message: ConsumeMessage): void {
    const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
    const messageId = (message.properties.messageId as string | undefined) ?? null;
    const death = latestDeath(headers);
    const signature = `${message.fields.exchange}\u0000${deathSignature(messageId, death)}`;
    const waiting = this.expected.get(signature);
    if (waiting !== undefined) {
      if (waiting <= 1) this.expected.delete(signature);
      else this.expected.set(signature, waiting - 1);
      return;
    }
    // The broker always writes x-death when it dead-letters; without it, this is no dead-letter.
    if (!death) return;
    this.report(messageId, death, message.fields.exchange, message.fields.routingKey);
  }

  /**
   * A delivery carrying x-death (from the firehose): reported when the taps could not have seen
   * it, e.g. dead-lettered through the default exchange straight into a queue.
   */
  onDelivery(
    messageId: string | null,
    headers: Record<string, unknown>,
    exchange: string,
    routingKey: string,
    redelivered: boolean,
  ): void {
    const death = latestDeath(headers);
    if (!death || redelivered) return;
    if (this.covers(death.queue)) return;
    // Without a message id two messages cannot be told apart: each first delivery counts.
    if (messageId !== null && this.reported.has(deathSignature(messageId, death))) return;
    this.report(messageId, death, exchange, routingKey);
  }

  private report(messageId: string | null, death: Death, exchange: string, routingKey: string) {
    if (messageId !== null) {
      if (this.reported.size >= REMEMBERED) this.reported.clear();
      this.reported.add(deathSignature(messageId, death));
    }
    this.onDeadLettered(death.queue, death);
    this.host.events.emit({
      type: 'dead-lettered',
      messageId,
      queue: this.host.toDiagram(death.queue),
      reason: death.reason,
      exchange,
      routingKey,
      count: death.count,
      inferred: false,
    });
  }
}
