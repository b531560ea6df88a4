import { expect, type Locator, type Page } from '@playwright/test';

export type ConsumerCounter =
  'received' | 'acked' | 'rejected' | 'requeued' | 'duplicates' | 'inflight' | 'replied';

/** Local retry inside the consumer, then a recoverer (the inspector's "retry locally"). */
export interface LocalRetry {
  /** The first wait, in ms. */
  intervalMs: number;
  multiplier: number;
  attempts: number;
  recoverer: 'reject' | 'republish';
  /** For `republish`: the error exchange and the routing key the failed message goes with. */
  errorExchange?: string;
  errorRoutingKey?: string;
}

/** Delayed retry through a TTL retry queue, then the parking exchange. */
export interface DelayedRetry {
  maxRetries: number;
  parkingExchange: string;
  parkingRoutingKey?: string;
}

export interface ConsumerSettings {
  /** 0 is no limit. */
  prefetch?: number;
  ack?: 'manual' | 'auto';
  /** A fixed processing time. */
  processingMs?: number;
  failureRatePercent?: number;
  onFailure?: 'requeue' | 'reject' | 'retry' | 'delayed-retry';
  /** Sets `onFailure` to `retry` and fills in its fields. */
  retry?: LocalRetry;
  /** Sets `onFailure` to `delayed-retry` and fills in its fields. */
  delayedRetry?: DelayedRetry;
  idempotent?: boolean;
  rpcReply?: boolean;
}

/** Consumer nodes and their inspector, as a user drives them. */
export class ConsumersPage {
  readonly inspector: Locator;

  constructor(readonly page: Page) {
    this.inspector = page.getByRole('complementary', { name: 'Inspector' });
  }

  node(name: string): Locator {
    return this.page.getByTestId(`consumer-node-${name}`);
  }

  counter(name: string, counter: ConsumerCounter): Locator {
    return this.page.getByTestId(`consumer-${counter}-${name}`);
  }

  status(name: string): Locator {
    return this.page.getByTestId(`consumer-status-${name}`);
  }

  /** A counter's number as the node shows it now. */
  async count(name: string, counter: ConsumerCounter): Promise<number> {
    return Number((await this.counter(name, counter).textContent()) ?? 'NaN');
  }

  /**
   * Waits until every listed counter of the node reads exactly its number. Counters come from
   * the server's consumer-state events, so they are exact; waiting for all of them together
   * does not depend on the order in which the throttled events arrive.
   */
  async expectCounts(
    name: string,
    counts: Partial<Record<ConsumerCounter, number>>,
    timeout = 20_000,
  ): Promise<void> {
    const keys = Object.keys(counts) as ConsumerCounter[];
    await expect
      .poll(
        async () => {
          const now: Partial<Record<ConsumerCounter, number>> = {};
          for (const key of keys) now[key] = await this.count(name, key);
          return now;
        },
        { timeout },
      )
      .toEqual(counts);
  }

  /** Selects the consumer, so the inspector shows it. */
  async select(name: string): Promise<void> {
    // Near the header's left end: clear of the status and of anything beside the node.
    await this.node(name)
      .locator('.node__header')
      .click({ position: { x: 40, y: 8 } });
    await expect(this.node(name)).toHaveClass(/is-selected/);
  }

  /** Selects the consumer and sets fields in its inspector. */
  async configure(name: string, settings: ConsumerSettings): Promise<void> {
    await this.select(name);
    const field = (id: string) => this.inspector.getByTestId(`inspector-consumer-${id}`);
    if (settings.prefetch !== undefined) await field('prefetch').fill(String(settings.prefetch));
    if (settings.ack !== undefined) await field('ack').selectOption(settings.ack);
    if (settings.processingMs !== undefined) {
      await field('processing-fixed').click();
      await field('processing-ms').fill(String(settings.processingMs));
    }
    if (settings.failureRatePercent !== undefined)
      await field('failure-rate').fill(String(settings.failureRatePercent));
    if (settings.onFailure !== undefined)
      await field('on-failure').selectOption(settings.onFailure);
    if (settings.retry !== undefined) {
      const retry = settings.retry;
      await field('on-failure').selectOption('retry');
      await field('retry-interval').fill(String(retry.intervalMs));
      await field('retry-multiplier').fill(String(retry.multiplier));
      await field('retry-attempts').fill(String(retry.attempts));
      await field('recoverer').selectOption(retry.recoverer);
      if (retry.errorExchange !== undefined)
        await field('error-exchange').selectOption(retry.errorExchange);
      if (retry.errorRoutingKey !== undefined)
        await field('error-routing-key').fill(retry.errorRoutingKey);
    }
    if (settings.delayedRetry !== undefined) {
      const delayed = settings.delayedRetry;
      await field('on-failure').selectOption('delayed-retry');
      await field('max-retries').fill(String(delayed.maxRetries));
      await field('parking-exchange').selectOption(delayed.parkingExchange);
      if (delayed.parkingRoutingKey !== undefined)
        await field('parking-routing-key').fill(delayed.parkingRoutingKey);
    }
    if (settings.idempotent !== undefined)
      await field('idempotent').setChecked(settings.idempotent);
    if (settings.rpcReply !== undefined) await field('rpc-reply').setChecked(settings.rpcReply);
  }

  /** The inspector's log of what the selected consumer did with each message, newest first. */
  log(): Locator {
    return this.inspector.getByTestId('inspector-consumer-log');
  }

  /** Rows of the selected consumer's log of one kind (`acked`, `retrying`, `duplicate`, …). */
  logRows(kind: string): Locator {
    return this.log().locator(`.fate-log__row--${kind}`);
  }

  /** The selected consumer's state in the inspector: counters, status, replies and the like. */
  state(): Locator {
    return this.inspector.getByTestId('inspector-consumer-state');
  }

  /** Clicks an empty spot of the canvas, so nothing is selected. */
  async deselect(): Promise<void> {
    await this.page.locator('.react-flow__pane').click({ position: { x: 24, y: 24 } });
  }

  /**
   * Zooms the canvas out (or in) until the whole diagram is in view, and waits for the move to
   * end: a drag started while the view still glides would grab whatever passes under it.
   */
  async fitView(): Promise<void> {
    await this.page.locator('.react-flow__controls-fitview').click();
    const viewport = this.page.locator('.react-flow__viewport');
    let last: string | null = null;
    await expect
      .poll(
        async () => {
          const now = await viewport.getAttribute('style');
          const settled = now === last;
          last = now;
          return settled;
        },
        { intervals: [200] },
      )
      .toBe(true);
  }
}
