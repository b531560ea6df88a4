import { planTicks, tickAt } from '@warren/topology';
import { sleep } from '../../broker/waits';

export interface Pace {
  ratePerSecond: number;
  burst: number;
}

/** How far a running producer may fall behind its rate before it goes on from now. */
const MAX_LAG_MS = 1000;

/**
 * Continuous sending at the producer's rate: ticks are planned from a fixed anchor, so a slow
 * tick is caught up, and one more than a second late (a reconnect, a stalled broker) is skipped.
 */
export class PublishRate {
  private run: { stop: AbortController; done: Promise<void> } | undefined;
  /** Aborted to end the wait for the next tick when the pace changes. */
  private repaced: AbortController | undefined;
  private version = 0;

  constructor(
    /** Resolves once publishing can begin (the first tick is counted from then). */
    private readonly ready: (signal: AbortSignal) => Promise<unknown>,
    private readonly pace: () => Pace,
    /** Publishes `count` messages; gives up early when `signal` aborts. */
    private readonly publish: (count: number, signal: AbortSignal) => Promise<void>,
    /** The run could not go on; it has stopped. */
    private readonly failed: (error: unknown) => void,
  ) {}

  get running(): boolean {
    return this.run !== undefined;
  }

  start(): void {
    if (this.run) return;
    const stop = new AbortController();
    const done = this.loop(stop.signal).catch((error: unknown) => {
      // A run stopped meanwhile ends quietly, whatever its last publish met.
      if (stop.signal.aborted) return;
      if (this.run?.stop === stop) this.run = undefined;
      this.failed(error);
    });
    this.run = { stop, done };
  }

  /** Stops; resolves once the tick under way has been handed to the broker. */
  async stop(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    if (!run) return;
    run.stop.abort();
    await run.done;
  }

  /** Stops without waiting for the tick under way (the producer failed inside it). */
  halt(): void {
    this.run?.stop.abort();
    this.run = undefined;
  }

  /** The rate or burst changed: the next tick follows the new pace, counted from now. */
  repace(): void {
    this.version += 1;
    this.repaced?.abort();
  }

  private async loop(signal: AbortSignal): Promise<void> {
    await this.ready(signal);
    let pace = this.pace();
    let version = this.version;
    let anchor = performance.now();
    let done = 0;
    while (!signal.aborted) {
      if (version !== this.version) {
        pace = this.pace();
        version = this.version;
        anchor = performance.now();
        done = 0;
      }
      const plan = planTicks(performance.now() - anchor, done, pace, MAX_LAG_MS);
      done += plan.send + plan.skipped;
      if (plan.send > 0) await this.publish(plan.send * pace.burst, signal);
      if (signal.aborted) return;
      const repaced = new AbortController();
      this.repaced = repaced;
      await sleep(anchor + tickAt(done, pace) - performance.now(), signal, repaced.signal);
    }
  }
}
