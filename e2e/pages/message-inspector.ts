import { expect, type Locator, type Page } from '@playwright/test';

/** The message inspector: recent messages, their filters, and one message in detail. */
export class MessageInspector {
  readonly panel: Locator;
  readonly rows: Locator;
  readonly detail: Locator;
  readonly why: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('message-inspector');
    this.rows = this.panel.getByTestId('message-row');
    this.detail = this.panel.getByTestId('message-detail');
    this.why = this.panel.getByTestId('message-why');
  }

  async open(): Promise<void> {
    if (await this.panel.isVisible()) return;
    await this.page.getByTestId('messages-button').click();
    await expect(this.panel).toBeVisible();
  }

  async filterKey(text: string): Promise<void> {
    await this.panel.getByRole('searchbox', { name: 'Routing key' }).fill(text);
  }

  /** '' is any queue. */
  async filterQueue(queue: string): Promise<void> {
    await this.panel.getByRole('combobox', { name: 'Queue' }).selectOption(queue);
  }

  /** By the name the canvas shows; '' is any client. */
  async filterClient(name: string): Promise<void> {
    await this.panel
      .getByRole('combobox', { name: 'Client' })
      .selectOption(name === '' ? '' : { label: name });
  }

  async filterOutcome(outcome: string): Promise<void> {
    await this.panel.getByRole('combobox', { name: 'Outcome' }).selectOption(outcome);
  }
}
