import { expect, type Locator, type Page } from '@playwright/test';

export type ConsumerCounter =
  'received' | 'acked' | 'rejected' | 'requeued' | 'duplicates' | 'inflight';

export interface ConsumerSettings {
  prefetch?: number;
  ack?: 'manual' | 'auto';
  /** A fixed processing time. */
  processingMs?: number;
  failureRatePercent?: number;
  onFailure?: 'requeue' | 'reject' | 'retry' | 'delayed-retry';
}

/** Consumer nodes and their inspector, as a user drives them. */
export class ConsumersPage {
  readonly inspector: Locator;

  constructor(readonly page: Page) {
    this.inspector = page.getByTestId('inspector');
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

  /** Selects the consumer and sets fields in its inspector. */
  async configure(name: string, settings: ConsumerSettings): Promise<void> {
    // Near the header's left end: clear of the status and of anything beside the node.
    await this.node(name)
      .locator('.node__header')
      .click({ position: { x: 40, y: 8 } });
    await expect(this.node(name)).toHaveClass(/is-selected/);
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
  }

  /** Clicks an empty spot of the canvas, so nothing is selected. */
  async deselect(): Promise<void> {
    await this.page.locator('.react-flow__pane').click({ position: { x: 24, y: 24 } });
  }

  /** Zooms the canvas out (or in) until the whole diagram is in view. */
  async fitView(): Promise<void> {
    await this.page.locator('.react-flow__controls-fitview').click();
  }
}
