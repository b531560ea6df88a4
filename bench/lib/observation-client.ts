/**
 * The outside side of bench/observation.ts, in its own process so that it does not share the
 * server's event loop: an amqplib publisher and three amqplib consumers on the session's vhost
 * (clients outside Warren, as a learner's script would be), and a websocket client of the
 * session's event stream that counts what reaches it and how late.
 */
import WebSocket from 'ws';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { ServerFrame } from '@warren/protocol';
import { latencySummary, type LatencySummary } from './observation-stats';

export interface ClientConfig {
  wsUrl: string;
  /** The session's AMQP URL (its own user, its vhost). */
  amqpUrl: string;
  /** The session's edge counters (GET …/counters). */
  countersUrl: string;
  exchange: string;
  routingKey: string;
  queues: string[];
  seconds: number;
  warmupSeconds: number;
  stepRates: number[];
  stepSeconds: number;
  rawSeconds: number;
  /** Broker URL without a vhost, and the management API, for the untraced comparison vhost. */
  brokerUrl: string;
  managementUrl: string;
  managementAuth: string;
  rawVhost: string;
}

export interface PhaseResult {
  name: string;
  targetRate: number;
  seconds: number;
  /** Publishes the broker confirmed. */
  published: number;
  /** Rate of publish calls (what the client asked for). */
  achievedRate: number;
  /** Rate at which the broker confirmed them: what it really took in. */
  confirmedRate: number;
  /** Publish to broker confirm: how far the broker itself was behind. */
  confirmLatencyMs: LatencySummary;
  /** Deliveries the three consumers received (the broker's count, seen by its clients). */
  consumed: number;
  routedEvents: number;
  /** Queue entries in the routed events (3 per message here). */
  routedQueueEntries: number;
  deliveredEvents: number;
  /**
   * Events the server said it left out for this client: animation events under backpressure, and
   * queue-stats snapshots replaced by newer ones before they were sent.
   */
  droppedReported: number;
  missingRouted: number;
  missingDelivered: number;
  routedLatencyMs: LatencySummary;
  deliveredLatencyMs: LatencySummary;
  /**
   * Where the time of routed events goes: publish → the server observes it (broker, firehose,
   * server), and the server observes it → the websocket client has it (batching, socket).
   */
  routedBrokerToServerMs: LatencySummary;
  routedServerToClientMs: LatencySummary;
  /** How long after the last publish the last event arrived. */
  drainMs: number;
}

export type ChildMessage =
  | { type: 'phase'; name: string; state: 'start' | 'end' }
  | { type: 'result'; result: ClientResult }
  | { type: 'error'; message: string };

export interface ClientResult {
  phases: PhaseResult[];
  management: {
    /** Messages the broker counted into the three queues, and the routed events' entries. */
    brokerQueuePublishes: number | null;
    wsRoutedQueueEntries: number;
    /** The server's counters on the binding edges into the queues. */
    edgeCountersIntoQueues: number | null;
    brokerDeliveries: number | null;
    wsDeliveredEvents: number;
    /** The server's counters on the consumers' lines from the queues. */
    edgeCountersToConsumers: number | null;
  };
  raw: { untracedPublishRate: number; tracedPublishRate: number; seconds: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const send = (message: ChildMessage) => process.send?.(message);

/** Counts the events of the session that belong to one phase (by message id prefix). */
class Tally {
  routed = 0;
  routedEntries = 0;
  delivered = 0;
  routedLatency: number[] = [];
  deliveredLatency: number[] = [];
  routedToServer: number[] = [];
  routedServerToClient: number[] = [];
  lastEventAt = 0;
  constructor(readonly prefix: string) {}
}

class Observer {
  private tally: Tally | undefined;
  readonly publishedAt = new Map<string, number>();
  dropped = 0;
  totalRoutedEntries = 0;
  totalDelivered = 0;
  private socket: WebSocket | undefined;

  async connect(url: string): Promise<void> {
    const socket = new WebSocket(url);
    this.socket = socket;
    let hello = false;
    socket.on('message', (data: Buffer) => {
      const now = Date.now();
      const frame = JSON.parse(data.toString('utf8')) as ServerFrame;
      if (frame.type === 'hello') hello = true;
      if (frame.type !== 'events') return;
      this.dropped += frame.dropped + (frame.replaced ?? 0);
      for (const event of frame.events) {
        if (event.type === 'routed') this.totalRoutedEntries += event.routedQueues.length;
        if (event.type === 'delivered') this.totalDelivered += 1;
        const tally = this.tally;
        if (!tally) continue;
        if (event.type !== 'routed' && event.type !== 'delivered') continue;
        const id = event.messageId;
        if (id === null || !id.startsWith(tally.prefix)) continue;
        const at = this.publishedAt.get(id);
        tally.lastEventAt = now;
        if (event.type === 'routed') {
          tally.routed += 1;
          tally.routedEntries += event.routedQueues.length;
          if (at !== undefined) {
            tally.routedLatency.push(now - at);
            tally.routedToServer.push(event.at - at);
          }
          tally.routedServerToClient.push(now - event.at);
        } else {
          tally.delivered += 1;
          if (at !== undefined) tally.deliveredLatency.push(now - at);
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve());
      socket.on('error', reject);
    });
    const deadline = Date.now() + 5000;
    while (!hello) {
      if (Date.now() > deadline) throw new Error('no hello from the event stream');
      await sleep(20);
    }
  }

  begin(prefix: string): Tally {
    this.tally = new Tally(prefix);
    return this.tally;
  }

  close(): void {
    this.socket?.close();
  }
}

class Consumers {
  received = 0;
  private channels: Channel[] = [];
  constructor(private readonly connection: ChannelModel) {}

  async start(queues: string[]): Promise<void> {
    for (const queue of queues) {
      const channel = await this.connection.createChannel();
      await channel.prefetch(500);
      await channel.consume(queue, (message) => {
        if (!message) return;
        this.received += 1;
        channel.ack(message);
      });
      this.channels.push(channel);
    }
  }
}

/** Publishes at `rate` msg/s for `seconds`, each message stamped with its publish time. */
async function publishAtRate(
  channel: ConfirmChannel,
  config: ClientConfig,
  observer: Observer,
  prefix: string,
  rate: number,
  seconds: number,
): Promise<{
  published: number;
  elapsedMs: number;
  lastPublishAt: number;
  confirmedRate: number;
  confirmLatency: number[];
}> {
  const total = Math.round(rate * seconds);
  const started = Date.now();
  const confirmLatency: number[] = [];
  let lastConfirmAt = started;
  let sent = 0;
  let blocked: Promise<void> | undefined;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
    while (sent < due) {
      const messageId = `${prefix}${sent}`;
      const now = Date.now();
      observer.publishedAt.set(messageId, now);
      const ok = channel.publish(
        config.exchange,
        config.routingKey,
        Buffer.from(`{"n":${sent}}`),
        { messageId, contentType: 'application/json', headers: { 'x-bench-published-at': now } },
        () => {
          lastConfirmAt = Date.now();
          confirmLatency.push(lastConfirmAt - now);
        },
      );
      sent += 1;
      if (!ok) {
        blocked ??= new Promise<void>((resolve) => channel.once('drain', () => resolve()));
        await blocked;
        blocked = undefined;
      }
    }
    await sleep(5);
  }
  const lastPublishAt = Date.now();
  await channel.waitForConfirms();
  return {
    published: sent,
    elapsedMs: lastPublishAt - started,
    lastPublishAt,
    confirmedRate: Math.round((sent / Math.max(1, lastConfirmAt - started)) * 1000),
    confirmLatency,
  };
}

async function runPhase(
  name: string,
  rate: number,
  seconds: number,
  config: ClientConfig,
  publisher: ConfirmChannel,
  consumers: Consumers,
  observer: Observer,
): Promise<PhaseResult> {
  send({ type: 'phase', name, state: 'start' });
  const prefix = `${name}-`;
  const tally = observer.begin(prefix);
  const consumedBefore = consumers.received;
  const droppedBefore = observer.dropped;
  const { published, elapsedMs, lastPublishAt, confirmedRate, confirmLatency } =
    await publishAtRate(publisher, config, observer, prefix, rate, seconds);
  const expectedDeliveries = published * config.queues.length;
  // Let the broker, the server and the socket catch up; the counts then stop moving.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const consumed = consumers.received - consumedBefore;
    if (tally.routed >= published && consumed >= expectedDeliveries && tally.delivered >= consumed)
      break;
    await sleep(50);
  }
  await sleep(500);
  send({ type: 'phase', name, state: 'end' });
  const consumed = consumers.received - consumedBefore;
  for (let i = 0; i < published; i++) observer.publishedAt.delete(`${prefix}${i}`);
  return {
    name,
    targetRate: rate,
    seconds,
    published,
    achievedRate: Math.round((published / elapsedMs) * 1000),
    confirmedRate,
    confirmLatencyMs: latencySummary(confirmLatency),
    consumed,
    routedEvents: tally.routed,
    routedQueueEntries: tally.routedEntries,
    deliveredEvents: tally.delivered,
    droppedReported: observer.dropped - droppedBefore,
    missingRouted: Math.max(0, published - tally.routed),
    missingDelivered: Math.max(0, consumed - tally.delivered),
    routedLatencyMs: latencySummary(tally.routedLatency),
    deliveredLatencyMs: latencySummary(tally.deliveredLatency),
    routedBrokerToServerMs: latencySummary(tally.routedToServer),
    routedServerToClientMs: latencySummary(tally.routedServerToClient),
    drainMs: Math.max(0, tally.lastEventAt - lastPublishAt),
  };
}

async function management<T>(config: ClientConfig, method: string, path: string, body?: unknown) {
  const response = await fetch(`${config.managementUrl}/api${path}`, {
    method,
    headers: {
      authorization: config.managementAuth,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** The broker's own per-queue totals (publishes into, deliveries from), once its stats settle. */
async function brokerTotals(config: ClientConfig, vhost: string) {
  const rows = await management<
    { name: string; message_stats?: { publish?: number; deliver_get?: number } }[]
  >(
    config,
    'GET',
    `/queues/${encodeURIComponent(vhost)}?columns=name,message_stats.publish,message_stats.deliver_get`,
  );
  const mine = rows.filter((r) => config.queues.includes(r.name));
  return {
    publishes: mine.reduce((n, r) => n + (r.message_stats?.publish ?? 0), 0),
    deliveries: mine.reduce((n, r) => n + (r.message_stats?.deliver_get ?? 0), 0),
  };
}

/**
 * The server's edge counters: the binding edges into the bench queues (the topology names each
 * `b-<queue>`) and the outside consumers' lines from them.
 */
async function edgeTotals(config: ClientConfig) {
  const response = await fetch(config.countersUrl);
  if (!response.ok) throw new Error(`counters: ${response.status}`);
  const { edges } = (await response.json()) as { edges: Record<string, number> };
  const sum = (match: (id: string) => boolean) =>
    Object.entries(edges).reduce((n, [id, count]) => n + (match(id) ? count : 0), 0);
  return {
    intoQueues: sum((id) => config.queues.some((q) => id === `b-${q}`)),
    toConsumers: sum(
      (id) => id.startsWith('outside:') && config.queues.some((q) => id.endsWith(`:consume:${q}`)),
    ),
  };
}

/** Publishes as fast as the broker confirms, in pipelined batches; confirmed msg/s. */
async function floodRate(url: string, config: ClientConfig, seconds: number): Promise<number> {
  const connection = await amqp.connect(url);
  try {
    const consumers = new Consumers(connection);
    await consumers.start(config.queues);
    const channel = await connection.createConfirmChannel();
    const started = Date.now();
    let confirmed = 0;
    while (Date.now() - started < seconds * 1000) {
      for (let i = 0; i < 500; i++) {
        if (!channel.publish(config.exchange, config.routingKey, Buffer.from('{}'))) {
          await new Promise<void>((resolve) => channel.once('drain', () => resolve()));
        }
      }
      await channel.waitForConfirms();
      confirmed += 500;
    }
    return Math.round((confirmed / (Date.now() - started)) * 1000);
  } finally {
    await connection.close().catch(() => {});
  }
}

/** The same topology in a vhost with tracing off and nobody observing it. */
async function untracedRate(config: ClientConfig): Promise<number> {
  const vhost = config.rawVhost;
  await management(config, 'PUT', `/vhosts/${encodeURIComponent(vhost)}`, { tracing: false });
  try {
    const user = decodeURIComponent(new URL(config.brokerUrl).username) || 'guest';
    await management(config, 'PUT', `/permissions/${encodeURIComponent(vhost)}/${user}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    const url = new URL(config.brokerUrl);
    url.pathname = `/${encodeURIComponent(vhost)}`;
    const connection = await amqp.connect(url.href);
    const channel = await connection.createChannel();
    await channel.assertExchange(config.exchange, 'topic', { durable: false });
    const patterns = ['#', 'order.*', '*.created'];
    for (const [i, queue] of config.queues.entries()) {
      await channel.assertQueue(queue, { durable: false });
      await channel.bindQueue(queue, config.exchange, patterns[i % patterns.length] ?? '#');
    }
    await connection.close();
    return await floodRate(url.href, config, config.rawSeconds);
  } finally {
    await management(config, 'DELETE', `/vhosts/${encodeURIComponent(vhost)}`).catch(() => {});
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_CONFIG ?? '') as ClientConfig;
  const observer = new Observer();
  await observer.connect(config.wsUrl);
  const consumerConnection = await amqp.connect(config.amqpUrl, {
    clientProperties: { connection_name: 'bench consumers' },
  });
  const publisherConnection = await amqp.connect(config.amqpUrl, {
    clientProperties: { connection_name: 'bench publisher' },
  });
  const consumers = new Consumers(consumerConnection);
  await consumers.start(config.queues);
  const publisher = await publisherConnection.createConfirmChannel();

  const phases: PhaseResult[] = [];
  phases.push(
    await runPhase('warmup', 200, config.warmupSeconds, config, publisher, consumers, observer),
  );
  phases.push(await runPhase('main', 1000, config.seconds, config, publisher, consumers, observer));
  for (const rate of config.stepRates) {
    const step = await runPhase(
      `step${rate}`,
      rate,
      config.stepSeconds,
      config,
      publisher,
      consumers,
      observer,
    );
    phases.push(step);
    // Past what the publisher or the observation keeps up with, higher steps say nothing more.
    if (step.missingRouted + step.missingDelivered > 0 || step.confirmedRate < rate * 0.9) break;
  }

  // The management API refreshes its counters every 5 s.
  await sleep(6000);
  const sessionVhost = decodeURIComponent(new URL(config.amqpUrl).pathname.slice(1));
  const totals = await brokerTotals(config, sessionVhost).catch(() => undefined);
  const counters = await edgeTotals(config).catch(() => undefined);
  const wsRoutedQueueEntries = observer.totalRoutedEntries;
  const wsDeliveredEvents = observer.totalDelivered;
  await publisherConnection.close();
  await consumerConnection.close();

  send({ type: 'phase', name: 'raw', state: 'start' });
  const untraced = await untracedRate(config);
  const traced = await floodRate(config.amqpUrl, config, config.rawSeconds);
  send({ type: 'phase', name: 'raw', state: 'end' });
  observer.close();

  send({
    type: 'result',
    result: {
      phases,
      management: {
        brokerQueuePublishes: totals?.publishes ?? null,
        wsRoutedQueueEntries,
        edgeCountersIntoQueues: counters?.intoQueues ?? null,
        brokerDeliveries: totals?.deliveries ?? null,
        wsDeliveredEvents,
        edgeCountersToConsumers: counters?.toConsumers ?? null,
      },
      raw: { untracedPublishRate: untraced, tracedPublishRate: traced, seconds: config.rawSeconds },
    },
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
