import { Type } from 'typebox';
import { createExplainer } from './explain/explain';
import type { Explanation, ExplainMessage } from './explain/types';
import type { Topology } from './model';
import {
  consumerEdgeId,
  outsideConsumeEdgeId,
  outsidePublishEdgeId,
  relationEdgeId,
  routePaths,
} from './paths';

const MAX_REMEMBERED_ROUTES = 5000;

/** One edge's count, or one exchange's: kept in an object so a remembered route adds to it. */
interface Cell {
  count: number;
}
interface ExchangeCount {
  published: number;
  unroutable: number;
}
/** What one distinct publish adds to: its edges and its exchange. */
interface Route {
  cells: Cell[];
  exchange: ExchangeCount;
}

/** A part of a route's key: its length first, so that no two keys read alike. */
function part(text: string | undefined): string {
  return text === undefined ? '-' : `${text.length}:${text}`;
}

/** A distinct publish as text (a function, not a closure: this runs for every publish). */
function routeKey(publish: CountedPublish): string {
  let key = part(publish.exchange) + part(publish.routingKey);
  key += part(publish.producerId) + part(publish.outsideClientId);
  for (const queue of publish.routedQueues) key += part(queue);
  return key;
}

/** A publish as the broker's firehose reported it. */
export interface CountedPublish {
  exchange: string;
  routingKey: string;
  /** The broker's `routed_queues`, under the diagram's names. */
  routedQueues: readonly string[];
  producerId?: string;
  /** The connection of a client outside Warren that published it. */
  outsideClientId?: string;
  /**
   * A reply to a direct reply-to requester: the broker hands it to that client's channel, not to
   * a queue, so it reached its destination although `routedQueues` is empty.
   */
  directReplyTo?: string;
}

/** A delivery from a queue to a consumer, as the firehose reported it. */
export interface CountedDelivery {
  queue: string;
  /** The consumer node run by Warren that received it. */
  consumerId?: string;
  /** The connection of a client outside Warren that received it. */
  outsideClientId?: string;
}

/** Messages that travelled each edge and passed each exchange, since the counters started. */
export const CounterSnapshotSchema = Type.Object({
  /** Canvas edge id → messages that travelled it. */
  edges: Type.Record(Type.String(), Type.Integer()),
  /** Exchange name → publishes into it, and how many of them reached no queue. */
  exchanges: Type.Record(
    Type.String(),
    Type.Object({ published: Type.Integer(), unroutable: Type.Integer() }),
  ),
});
export type CounterSnapshot = Type.Static<typeof CounterSnapshotSchema>;

/**
 * Counts the messages on every edge of the canvas from the broker's own reports of each
 * publish, delivery and dead-lettering, so the figures equal the broker's: the binding edges
 * into a queue add up to the publishes the broker routed to it, a consumer's edge to the
 * deliveries on its channel. Each message counts once per edge it travelled, whatever the
 * number of queues it reached beyond.
 */
export class EdgeCounters {
  private readonly edges = new Map<string, Cell>();
  private readonly exchanges = new Map<string, ExchangeCount>();
  private queueIds = new Map<string, string>();
  private explain: ((message: ExplainMessage) => Explanation) | undefined;
  /** Edges per distinct publish (exchange, key, queues, publisher): a busy stream repeats a few. */
  private readonly routes = new Map<string, Route>();
  private version = 0;

  constructor(private topology: Topology) {
    this.setTopology(topology);
  }

  /** Grows by one with every change, so a reader can tell whether anything moved. */
  get changes(): number {
    return this.version;
  }

  setTopology(topology: Topology): void {
    this.topology = topology;
    this.queueIds = new Map(topology.queues.map((q) => [q.name, q.id] as const));
    this.explain = undefined;
    this.routes.clear();
  }

  published(publish: CountedPublish): void {
    // Runs for every traced publish: the route's cells are remembered, no lookup per edge.
    const route = this.route(publish);
    for (const cell of route.cells) cell.count += 1;
    route.exchange.published += 1;
    if (publish.routedQueues.length === 0 && publish.directReplyTo === undefined)
      route.exchange.unroutable += 1;
    this.version += 1;
  }

  delivered(delivery: CountedDelivery): void {
    if (delivery.consumerId !== undefined) this.add(consumerEdgeId(delivery.consumerId));
    else if (delivery.outsideClientId !== undefined)
      this.add(outsideConsumeEdgeId(delivery.outsideClientId, delivery.queue));
    else return;
    this.version += 1;
  }

  /**
   * The broker dead-lettered a message out of `queue` into `exchange` with `routingKey`: the
   * edge to the dead-letter exchange, then its route on. The broker does not trace dead-letter
   * republishes, so the queues it reached are the explainer's (checked against the broker by
   * the differential test), from the key and headers it was republished with.
   */
  deadLettered(
    queue: string,
    exchange: string,
    routingKey: string,
    headers: Record<string, unknown> = {},
  ): void {
    const id = this.queueIds.get(queue);
    if (id === undefined) return;
    this.add(relationEdgeId('dead-letter', id));
    this.explain ??= createExplainer(this.topology, { maxDeadLetterDepth: 0 });
    const routed = this.explain({ exchange, routingKey, headers }).queues;
    const paths = routePaths(this.topology, exchange, routed, undefined, routingKey);
    for (const hopId of new Set(paths.hops.flat())) this.add(hopId);
    this.version += 1;
  }

  /**
   * Adds counts kept earlier (a snapshot saved before the server restarted) to these, so counting
   * goes on from where it was.
   */
  restore(snapshot: CounterSnapshot): void {
    for (const [id, count] of Object.entries(snapshot.edges)) this.cell(id).count += count;
    for (const [name, kept] of Object.entries(snapshot.exchanges)) {
      const now = this.exchange(name);
      now.published += kept.published;
      now.unroutable += kept.unroutable;
    }
    this.version += 1;
  }

  reset(): void {
    this.edges.clear();
    this.exchanges.clear();
    // Remembered routes hold the cells just forgotten.
    this.routes.clear();
    this.version += 1;
  }

  snapshot(): CounterSnapshot {
    return {
      edges: Object.fromEntries([...this.edges].map(([id, cell]) => [id, cell.count])),
      exchanges: Object.fromEntries([...this.exchanges].map(([name, c]) => [name, { ...c }])),
    };
  }

  private route(publish: CountedPublish): Route {
    const key = routeKey(publish);
    const known = this.routes.get(key);
    if (known) return known;
    const paths = routePaths(
      this.topology,
      publish.exchange,
      publish.routedQueues,
      publish.producerId,
      publish.routingKey,
    );
    const travelled = new Set<string>();
    if (paths.producerEdgeId !== undefined) travelled.add(paths.producerEdgeId);
    if (publish.outsideClientId !== undefined)
      travelled.add(outsidePublishEdgeId(publish.outsideClientId, publish.exchange));
    for (const hop of paths.hops) for (const id of hop) travelled.add(id);
    const route = {
      cells: [...travelled].map((id) => this.cell(id)),
      exchange: this.exchange(publish.exchange),
    };
    // Routing keys with counters in them would grow this without end.
    if (this.routes.size >= MAX_REMEMBERED_ROUTES) this.routes.clear();
    this.routes.set(key, route);
    return route;
  }

  private cell(id: string): Cell {
    let cell = this.edges.get(id);
    if (!cell) {
      cell = { count: 0 };
      this.edges.set(id, cell);
    }
    return cell;
  }

  private exchange(name: string): ExchangeCount {
    let count = this.exchanges.get(name);
    if (!count) {
      count = { published: 0, unroutable: 0 };
      this.exchanges.set(name, count);
    }
    return count;
  }

  private add(id: string): void {
    this.cell(id).count += 1;
  }
}
