import { canonicalJson, type Consumer, type Topology } from '@warren/topology';
import type { ConsumerState, ConsumerTally } from '@warren/protocol';
import {
  RunningConsumer,
  type ConsumerEnvironment,
  type ConsumerPlacement,
} from './running-consumer';

export { CONSUMER_HEADER, ConsumerActionError, type ConsumerEnvironment } from './running-consumer';

/** What makes a consumer need a new channel: everything but where it is drawn. */
function definitionKey(consumer: Consumer, placement: ConsumerPlacement, brokerQueue: string) {
  const { position: _position, ...rest } = consumer;
  return canonicalJson({ ...rest, exclusive: placement.exclusive, brokerQueue });
}

/**
 * The consumer nodes of one session's diagram, run by Warren. After each apply, sync() makes the
 * running consumers match the diagram: new ones start (unless autoStart is false), removed ones
 * stop, changed ones reconnect with their new settings, failed ones try again.
 */
export class ConsumerRuntime {
  private readonly consumers = new Map<string, RunningConsumer>();
  private readonly keys = new Map<string, string>();
  private closed = false;

  constructor(private readonly env: ConsumerEnvironment) {}

  async sync(topology: Topology): Promise<void> {
    if (this.closed) return;
    const wanted = topology.consumers ?? [];
    const exclusive = new Set(topology.queues.filter((q) => q.exclusive).map((q) => q.name));
    const ids = new Set(wanted.map((c) => c.id));
    const work: Promise<unknown>[] = [];
    for (const [id, consumer] of this.consumers) {
      if (ids.has(id)) continue;
      this.consumers.delete(id);
      this.keys.delete(id);
      work.push(consumer.stop());
    }
    wanted.forEach((config, index) => {
      const placement = { path: `/consumers/${index}`, exclusive: exclusive.has(config.queue) };
      const key = definitionKey(config, placement, this.env.brokerQueueName(config.queue));
      const existing = this.consumers.get(config.id);
      const previous = this.keys.get(config.id);
      this.keys.set(config.id, key);
      if (!existing) {
        const consumer = new RunningConsumer(config, placement, this.env);
        this.consumers.set(config.id, consumer);
        if (config.autoStart !== false) work.push(consumer.start());
      } else if (previous !== key) {
        work.push(existing.reconfigure(config, placement));
      } else if (existing.failed) {
        work.push(existing.retry(placement));
      }
    });
    const results = await Promise.allSettled(work);
    for (const result of results) {
      if (result.status === 'rejected')
        this.env.log.warn({ err: result.reason as unknown }, 'consumer sync failed');
    }
  }

  list(): ConsumerState[] {
    return [...this.consumers.values()].map((c) => c.state());
  }

  /** Counts kept from before a restart of the server, by consumer id, added to each one's own. */
  restoreCounts(kept: Readonly<Record<string, ConsumerTally>>): void {
    for (const [id, tally] of Object.entries(kept)) this.consumers.get(id)?.restoreCounts(tally);
  }

  get(consumerId: string): RunningConsumer | undefined {
    return this.consumers.get(consumerId);
  }

  start(consumerId: string): Promise<ConsumerState> | undefined {
    return this.consumers.get(consumerId)?.start();
  }

  pause(consumerId: string): Promise<ConsumerState> | undefined {
    return this.consumers.get(consumerId)?.pause();
  }

  resume(consumerId: string): Promise<ConsumerState> | undefined {
    return this.consumers.get(consumerId)?.resume();
  }

  kill(consumerId: string): Promise<ConsumerState> | undefined {
    return this.consumers.get(consumerId)?.kill();
  }

  /**
   * Fault injection: closes the consumer's connection (its channel, for a consumer of an exclusive
   * queue, which shares the session's connection); unacked messages return to the queue and the
   * consumer reconnects by itself. Undefined when the diagram has no such consumer.
   */
  async closeConnection(consumerId: string): Promise<ConsumerState | undefined> {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) return undefined;
    await consumer.closeConnection();
    return consumer.state();
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.consumers.values()];
    this.consumers.clear();
    this.keys.clear();
    await Promise.allSettled(all.map((c) => c.stop()));
  }
}
