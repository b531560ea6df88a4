import { expect, type Locator, type Page } from '@playwright/test';

export type ProducerCounter = 'sent' | 'confirmed' | 'nacked' | 'returned';

/** Message properties a producer sets, as the inspector's fields name them; '' clears one. */
export interface ProducerProperties {
  messageId?: string;
  correlationId?: string;
  replyTo?: string;
}

/** Producer nodes and their inspector, as a user drives them. */
export class ProducersPage {
  readonly inspector: Locator;

  constructor(readonly page: Page) {
    this.inspector = page.getByRole('complementary', { name: 'Inspector' });
  }

  node(name: string): Locator {
    return this.page.getByTestId(`producer-node-${name}`);
  }

  /** An exact counter on the node, from the server's producer-state events. */
  counter(name: string, counter: ProducerCounter): Locator {
    return this.page.getByTestId(`producer-${counter}-${name}`);
  }

  /** What the last Send gave, in words (`3 sent · routed to q · 1 nacked`). */
  result(name: string): Locator {
    return this.page.getByTestId(`producer-result-${name}`);
  }

  /** Selects the producer by its header (its inputs would take the click). */
  async select(name: string): Promise<void> {
    await this.node(name).locator('.node__header').click();
    await expect(this.node(name)).toHaveClass(/is-selected/);
  }

  /** Routing key and payload of the selected producer. */
  async setMessage(routingKey: string, payload: string): Promise<void> {
    await this.inspector
      .getByRole('textbox', { name: 'Routing key', exact: true })
      .fill(routingKey);
    await this.inspector.getByLabel('Payload').fill(payload);
  }

  async setProperties(properties: ProducerProperties): Promise<void> {
    const fields: [keyof ProducerProperties, string][] = [
      ['messageId', 'message-id'],
      ['correlationId', 'correlation-id'],
      ['replyTo', 'reply-to'],
    ];
    for (const [key, testId] of fields) {
      const value = properties[key];
      if (value !== undefined)
        await this.inspector.getByTestId(`inspector-producer-${testId}`).fill(value);
    }
  }

  /** Publisher confirms of the selected producer (on unless turned off). */
  async setConfirms(on: boolean): Promise<void> {
    await this.inspector.getByRole('checkbox', { name: 'publisher confirms' }).setChecked(on);
  }

  /** Sends `count` messages with one click of the selected producer's Send. */
  async send(count: number): Promise<void> {
    await this.inspector.getByTestId('inspector-producer-count').fill(String(count));
    const send = this.inspector.getByRole('button', {
      name: count === 1 ? 'Send message' : `Send ${count} messages`,
      exact: true,
    });
    await expect(send).toBeVisible();
    await send.click();
  }

  /** Selects a producer, gives it this routing key and payload, and sends `count` messages. */
  async sendMessage(name: string, routingKey: string, payload: string, count = 1): Promise<void> {
    await this.select(name);
    await this.setMessage(routingKey, payload);
    await this.send(count);
  }
}
