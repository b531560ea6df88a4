import type { Binding, Exchange, Policy, Queue, Topology } from '@warren/topology';
import type { OutsideChangeEvent, OutsideObjectChange } from '@warren/protocol';
import type { EventStream } from '../events/event-stream';
import { subscribeBrokerEvents, type BrokerObjectEvent, type FeedState } from './broker-events';
import { ExclusiveOwners } from './exclusive-owners';
import {
  bindingName,
  entries,
  isClientOwned,
  keyOf,
  outsideId,
  reserved,
  type Entry,
  type ObjectKind,
} from './outside-entries';

/**
 * Objects that clients outside Warren declare or delete on the session's vhost. The diagram
 * follows the broker: an object declared outside is added to the session's topology (its
 * `kind:name` listed in `outsideNames`, so the canvas can mark it), and one deleted outside is
 * removed again: the changed topology is returned to the session, which adopts it. A diagram
 * object deleted behind Warren's back stays in the diagram and is reported deleted, so the
 * canvas marks it missing until the next Apply declares it again.
 *
 * Changes are noticed on the broker's event exchange when the plugin is there (events by
 * Warren's own user are Warren's doing and ignored), else by reading the vhost's definitions
 * every few seconds while someone watches. Either way the broker is then read and compared with
 * the diagram, between applies, so an apply in progress is never mistaken for an outsider.
 */

type Source = OutsideChangeEvent['source'];

/** How often definitions are read when the event exchange is not available. */
const POLL_MS = 3000;
/** Events come in bursts (a queue and its bindings): one read for a burst. */
const EVENT_DEBOUNCE_MS = 80;

export interface ObjectsHost {
  readonly vhost: string;
  readonly events: EventStream;
  readonly topology: Topology;
  brokerTopology(): Promise<Topology>;
  /**
   * Runs `read` when no apply is under way, with the diagram as it is then, and adopts the
   * topology it returns, if any (see OutsideTopology).
   */
  adoptOutside(read: (diagram: Topology) => Promise<OutsideTopology | undefined>): Promise<void>;
}

/** The diagram after objects were declared or deleted outside Warren, for the session to adopt. */
export interface OutsideTopology {
  topology: Topology;
  /** What the `topology` event carries: `kind:name` of its objects declared outside. */
  outsideNames: string[];
  /** `kind:name` of the objects it adds. */
  added: string[];
}

export type { OutsideObjectChange };

export class OutsideObjects {
  /** Objects of the topology declared outside Warren, by `kind:name`. */
  private readonly outside = new Set<string>();
  /** Diagram objects the broker does not have, by `kind:name`, already reported. */
  private readonly missing = new Set<string>();
  /** The last change of each object reported, for GET /outside. */
  private readonly changes = new Map<string, OutsideObjectChange>();
  /** Seq of the topology event that brought each object declared outside into the diagram. */
  private readonly addedAt = new Map<string, number>();
  /** The clients owning exclusive queues, from the broker's events. */
  private readonly owners = new ExclusiveOwners();
  private feed: FeedState = 'connecting';
  /** Resolves once the broker's events flow, or are known not to (see `feedSettled`). */
  private readonly settled: Promise<void>;
  private settle: () => void = () => {};
  private unsubscribe: (() => void) | undefined;
  private pending: NodeJS.Timeout | undefined;
  private lastPoll = 0;
  private reconciling: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly host: ObjectsHost,
    private readonly deps: {
      amqpUrl: string;
      ownUser: string;
      log: { warn: (o: object, m: string) => void; debug: (o: object, m: string) => void };
    },
  ) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
  }

  start(): void {
    if (this.unsubscribe || this.closed) return;
    const objects = subscribeBrokerEvents(
      this.deps.amqpUrl,
      this.host.vhost,
      this.deps.log,
      (event) => this.onEvent(event),
      (state) => {
        this.feed = state;
        if (state !== 'connecting') this.settle();
        // Catch up with whatever happened while no events flowed.
        if (state === 'ready') this.schedule();
      },
    );
    // Connections come and go on the clients' side of the feed: they name the owners' pids.
    const connections = subscribeBrokerEvents(
      this.deps.amqpUrl,
      this.host.vhost,
      this.deps.log,
      (event) => this.owners.onEvent(event),
      () => {},
      true,
    );
    this.unsubscribe = () => {
      objects();
      connections();
    };
  }

  /**
   * Waits (at most `timeoutMs`) until the broker's event feed is up or known to be missing, so a
   * new session follows clients from their first connection: one that came before the feed
   * would be followed by polling, seconds late.
   */
  feedSettled(timeoutMs: number): Promise<void> {
    return Promise.race([
      this.settled,
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  /** 'event-exchange' while the broker's events flow, else 'polling'. */
  get source(): Source {
    return this.feed === 'ready' ? 'event-exchange' : 'polling';
  }

  /** Told of every queue the broker creates or deletes in the vhost (see existing-queues.ts). */
  onQueueEvent: (change: 'created' | 'deleted', name: string) => void = () => {};

  private onEvent(event: BrokerObjectEvent): void {
    const queue = typeof event.headers.name === 'string' ? event.headers.name : undefined;
    if (queue !== undefined && (event.key === 'queue.created' || event.key === 'queue.deleted'))
      this.onQueueEvent(event.key === 'queue.created' ? 'created' : 'deleted', queue);
    if (event.user === this.deps.ownUser) return;
    // Only outside clients' queues: Warren's own exclusive queues are the diagram's.
    this.owners.onEvent(event);
    const name = typeof event.headers.name === 'string' ? event.headers.name : '';
    if (reserved(name)) return;
    this.schedule();
  }

  private schedule(): void {
    if (this.pending || this.closed) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.reconcile('event-exchange');
    }, EVENT_DEBOUNCE_MS);
  }

  /** Called on the observation's clock: polls when the event exchange is not there. */
  tick(now: number, watched: boolean): void {
    if (this.feed === 'ready' || !watched || now - this.lastPoll < POLL_MS) return;
    this.lastPoll = now;
    void this.reconcile('polling');
  }

  /**
   * An apply made the broker match the diagram: nothing is missing any more, and the objects
   * declared outside that the diagram still has keep their mark. Objects the apply could not
   * declare are found again by reading the broker, without reporting them as deleted.
   */
  afterApply(topology: Topology): void {
    this.missing.clear();
    const present = entries(topology);
    for (const key of [...this.outside]) if (!present.has(key)) this.outside.delete(key);
    for (const [key, change] of [...this.changes]) {
      if (change.change === 'deleted' || !present.has(key)) this.changes.delete(key);
    }
    void this.reconcile(this.source, { quietMissing: true });
  }

  /**
   * Warren itself deleted an exchange or queue on the broker (a fault): it, and the bindings the
   * broker deleted with it, are missing until the next Apply. The changes, to report.
   */
  markDeleted(kind: 'exchange' | 'queue', name: string): OutsideObjectChange[] {
    const bindings = this.host.topology.bindings.filter((b) =>
      kind === 'queue'
        ? b.destinationType === 'queue' && b.destination === name
        : b.source === name || (b.destinationType === 'exchange' && b.destination === name),
    );
    const gone: { kind: ObjectKind; name: string }[] = [
      { kind, name },
      ...bindings.map((b) => ({ kind: 'binding' as const, name: bindingName(b) })),
    ];
    return gone.map((object) => {
      const key = keyOf(object.kind, object.name);
      this.missing.add(key);
      const change: OutsideObjectChange = { ...object, change: 'deleted', source: 'fault' };
      this.changes.set(key, change);
      return change;
    });
  }

  /** `kind:name` of the topology's objects that were declared outside Warren. */
  names(topology: Topology = this.host.topology): string[] {
    const present = entries(topology);
    return [...this.outside].filter((key) => present.has(key)).sort();
  }

  /** Of those, the objects one client owns (its exclusive queues and their bindings): `kind:name` → client id. */
  ownersOf(topology: Topology = this.host.topology): Record<string, string> {
    return this.owners.owners(topology, this.names(topology), bindingName);
  }

  list(): OutsideObjectChange[] {
    return [...this.changes.values()];
  }

  /** Reads the broker and brings the diagram in line with it (serialized, between applies). */
  reconcile(source: Source, options: { quietMissing?: boolean } = {}): Promise<void> {
    const run = this.reconciling.then(() =>
      this.host.adoptOutside((diagram) =>
        this.compare(diagram, source, options.quietMissing === true),
      ),
    );
    this.reconciling = run.catch((error: unknown) =>
      this.deps.log.debug({ err: error, vhost: this.host.vhost }, 'reading outside objects failed'),
    );
    return this.reconciling;
  }

  private async compare(
    diagram: Topology,
    source: Source,
    quietMissing: boolean,
  ): Promise<OutsideTopology | undefined> {
    if (this.closed) return undefined;
    const broker = entries(await this.host.brokerTopology());
    const wanted = entries(diagram);
    const added: Entry[] = [];
    const removed = new Set<string>();
    const report: OutsideObjectChange[] = [];
    const note = ({ kind, name }: Entry, change: OutsideObjectChange['change']) =>
      report.push({ kind, name, change, source });

    /** A client's own objects an apply took into the diagram before they were read here. */
    const marked: string[] = [];
    for (const [key, entry] of broker) {
      if (wanted.has(key)) {
        // A diagram object deleted behind Warren's back is back.
        if (this.missing.delete(key)) note(entry, 'created');
        else if (
          !this.outside.has(key) &&
          isClientOwned(entry, (queue) => this.owners.ownerOf(queue))
        ) {
          this.outside.add(key);
          marked.push(key);
          note(entry, 'created');
        }
        continue;
      }
      added.push(entry);
      this.outside.add(key);
      note(entry, 'created');
    }
    for (const [key, entry] of wanted) {
      if (broker.has(key)) continue;
      if (this.outside.has(key)) {
        this.outside.delete(key);
        removed.add(key);
        note(entry, 'deleted');
      } else if (!this.missing.has(key)) {
        this.missing.add(key);
        if (!quietMissing) note(entry, 'deleted');
      }
    }
    if (report.length === 0) return undefined;

    for (const change of report) {
      this.changes.set(keyOf(change.kind, change.name), change);
      this.host.events.emit({ type: 'outside-change', ...change });
    }
    if (added.length === 0 && removed.size === 0) {
      if (marked.length === 0) return undefined;
      return { topology: diagram, outsideNames: this.names(diagram), added: marked };
    }
    const keep = <T extends Entry['object']>(kind: ObjectKind, name: (o: T) => string) => {
      return (o: T) => !removed.has(keyOf(kind, name(o)));
    };
    const of = <T extends Entry['object']>(kind: ObjectKind) =>
      added
        .filter((e) => e.kind === kind)
        .map((e) => ({ ...(e.object as T), id: outsideId(keyOf(e.kind, e.name)) }));
    const policies = [
      ...(diagram.policies ?? []).filter(keep<Policy>('policy', (p) => p.name)),
      ...of<Policy>('policy'),
    ];
    const next: Topology = {
      ...diagram,
      exchanges: [
        ...diagram.exchanges.filter(keep<Exchange>('exchange', (x) => x.name)),
        ...of<Exchange>('exchange'),
      ],
      queues: [
        ...diagram.queues.filter(keep<Queue>('queue', (q) => q.name)),
        ...of<Queue>('queue'),
      ],
      bindings: [
        ...diagram.bindings.filter(keep<Binding>('binding', bindingName)),
        ...of<Binding>('binding'),
      ],
    };
    if (policies.length > 0 || diagram.policies !== undefined) next.policies = policies;
    return {
      topology: next,
      outsideNames: this.names(next),
      added: added.map((entry) => keyOf(entry.kind, entry.name)),
    };
  }

  /** The session adopted an outside topology with the `topology` event numbered `seq`. */
  adopted(change: OutsideTopology, seq: number): void {
    for (const key of change.added) this.addedAt.set(key, seq);
  }

  /**
   * A document a client sends to apply, plus the objects declared outside that reached the
   * diagram after the last event that client had seen (`seenSeq`): it could not have kept
   * them, so applying its document must not delete them. Objects it had seen and left out
   * were deleted on purpose, and go.
   */
  keepUnseen(next: Topology, seenSeq: number): Topology {
    const current = entries(this.host.topology);
    const incoming = entries(next);
    const unseen = [...this.outside]
      .filter((key) => (this.addedAt.get(key) ?? 0) > seenSeq && !incoming.has(key))
      .map((key) => current.get(key))
      .filter((entry): entry is Entry => entry !== undefined);
    if (unseen.length === 0) return next;
    const of = <T extends Entry['object']>(kind: ObjectKind) =>
      unseen.filter((e) => e.kind === kind).map((e) => e.object as T);
    const kept: Topology = {
      ...next,
      exchanges: [...next.exchanges, ...of<Exchange>('exchange')],
      queues: [...next.queues, ...of<Queue>('queue')],
      bindings: [...next.bindings, ...of<Binding>('binding')],
    };
    const policies = of<Policy>('policy');
    if (policies.length > 0) kept.policies = [...(next.policies ?? []), ...policies];
    return kept;
  }

  /** Stops listening to the broker's events: changes are then found by polling, as without the plugin. */
  stopEvents(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.feed = 'unavailable';
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.pending);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
