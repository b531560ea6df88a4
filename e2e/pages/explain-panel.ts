import { expect, type Locator, type Page } from '@playwright/test';

/** The route explainer: the message form, the verdicts, and the broker's agreement. */
export class ExplainPanel {
  readonly panel: Locator;
  readonly queues: Locator;
  readonly agreement: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByRole('complementary', { name: 'Route explainer' });
    this.queues = page.getByTestId('explain-queues');
    this.agreement = page.getByTestId('explain-agreement');
  }

  /** Opens the explainer on a producer's message, from the button above its node. */
  async openFor(producer: string): Promise<void> {
    await this.page.getByTestId(`producer-explain-${producer}`).click();
    await expect(this.panel).toBeVisible();
  }

  async setHeader(index: number, name: string, value: string): Promise<void> {
    if ((await this.page.getByTestId(`explain-header-key-${index}`).count()) === 0)
      await this.panel.getByRole('button', { name: '+ header' }).click();
    await this.page.getByTestId(`explain-header-key-${index}`).fill(name);
    await this.page.getByTestId(`explain-header-value-${index}`).fill(value);
  }

  async setRoutingKey(key: string): Promise<void> {
    await this.panel.getByRole('textbox', { name: 'Routing key', exact: true }).fill(key);
  }

  async setExchange(name: string): Promise<void> {
    await this.panel.getByRole('combobox', { name: 'Exchange', exact: true }).selectOption(name);
  }

  hop(exchange: string): Locator {
    return this.page.getByTestId(`explain-hop-${exchange}`);
  }

  binding(source: string, destination: string): Locator {
    return this.page.getByTestId(`explain-binding-${source}-${destination}`);
  }

  topicSteps(source: string, destination: string): Locator {
    return this.page.getByTestId(`explain-topic-${source}-${destination}`);
  }

  async send(): Promise<void> {
    await this.panel
      .getByRole('button', { name: /^Send (and compare|from the producer)$/ })
      .click();
  }
}
