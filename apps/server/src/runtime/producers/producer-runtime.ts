import type { Topology } from '@warren/topology';
import {
  MAX_SEND_COUNT,
  type ProducerOutboxResponse,
  type ProducerSendResult,
  type ProducerState,
  type ProducerTally,
} from '@warren/protocol';
import { ProducerNotFoundError } from './producer-errors';
import { RunningProducer, type ProducerHost } from './running-producer';

export type { ProducerHost } from './running-producer';

/**
 * The producers of one session's diagram, run by the server. Each opens its own connection on
 * first use and keeps it up; the diagram decides which exist and with what settings (see update).
 */
export class ProducerRuntime {
  private readonly producers = new Map<string, RunningProducer>();
  private order: string[] = [];
  private closed = false;

  constructor(private readonly host: ProducerHost) {}

  /**
   * Follows an applied diagram: producers it no longer has stop and disconnect, changed ones
   * take their new settings (a running one from its next tick), new ones wait to be used.
   */
  update(topology: Topology): void {
    if (this.closed) return;
    const wanted = new Set(topology.producers.map((p) => p.id));
    for (const [id, producer] of this.producers) {
      if (wanted.has(id)) continue;
      this.producers.delete(id);
      void producer
        .close()
        .catch((error: unknown) =>
          this.host.log.warn({ err: error, producer: id }, 'closing a removed producer failed'),
        );
    }
    topology.producers.forEach((settings, index) => {
      const running = this.producers.get(settings.id);
      if (running) running.configure(settings, index);
      else this.producers.set(settings.id, new RunningProducer(this.host, settings, index));
    });
    this.order = topology.producers.map((p) => p.id);
  }

  /** Counts kept from before a restart of the server, by producer id, added to each one's own. */
  restoreCounts(kept: Readonly<Record<string, ProducerTally>>): void {
    for (const [id, tally] of Object.entries(kept)) this.producers.get(id)?.restoreCounts(tally);
  }

  has(producerId: string): boolean {
    return this.producers.has(producerId);
  }

  /** States of the diagram's producers, in the diagram's order. */
  list(): ProducerState[] {
    return this.order.flatMap((id) => {
      const producer = this.producers.get(id);
      return producer ? [producer.state()] : [];
    });
  }

  state(producerId: string): ProducerState {
    return this.get(producerId).state();
  }

  /** Starts continuous sending at the producer's rate (throws when it has none). */
  start(producerId: string): ProducerState {
    const producer = this.get(producerId);
    producer.start();
    return producer.state();
  }

  async stop(producerId: string): Promise<ProducerState> {
    const producer = this.get(producerId);
    await producer.stop();
    return producer.state();
  }

  /** One-shot sends with the producer's full settings; what became of each message. */
  async send(producerId: string, count = 1): Promise<ProducerSendResult[]> {
    const n = Math.max(1, Math.min(MAX_SEND_COUNT, Math.floor(count)));
    return this.get(producerId).send(n);
  }

  outbox(producerId: string): ProducerOutboxResponse {
    return this.get(producerId).outboxTable();
  }

  /**
   * Fault injection: the broker closes the producer's connection. True when one was open; the
   * producer connects again by itself, and a running one goes on sending.
   */
  async closeConnection(producerId: string): Promise<boolean> {
    return this.get(producerId).closeConnection();
  }

  private get(producerId: string): RunningProducer {
    const producer = this.producers.get(producerId);
    if (!producer) throw new ProducerNotFoundError(producerId);
    return producer;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.producers.values()];
    this.producers.clear();
    this.order = [];
    await Promise.all(all.map((p) => p.close().catch(() => {})));
  }
}
