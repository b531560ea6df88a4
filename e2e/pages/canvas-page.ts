import { expect, type Locator, type Page } from '@playwright/test';

type Kind = 'producer' | 'exchange' | 'queue' | 'consumer';

/** The canvas as a user drives it: palette, nodes, edges, inspector, Apply. */
export class CanvasPage {
  constructor(readonly page: Page) {}

  async open(): Promise<string> {
    await this.page.goto('/');
    const id = this.page.getByTestId('session-id');
    await expect(id).not.toBeEmpty();
    // '…' stands in until the server has made the session.
    await expect(id).not.toHaveText('…');
    await expect(this.page.getByTestId('server-banner')).toBeHidden();
    return ((await id.textContent()) ?? '').trim();
  }

  node(kind: Kind, name: string): Locator {
    return this.page.getByTestId(`${kind}-node-${name}`);
  }

  /** Adds a node from the palette and renames it in the inspector. */
  async add(kind: Kind, defaultName: string, name: string, exchangeType = 'topic'): Promise<void> {
    const button =
      kind === 'exchange' ? `palette-add-exchange-${exchangeType}` : `palette-add-${kind}`;
    await this.page.getByTestId(button).click();
    // A node added from the palette is selected, so the inspector edits it.
    await expect(this.node(kind, defaultName)).toHaveClass(/is-selected/);
    const input = this.page.getByTestId('inspector-name');
    await input.fill(name);
    await input.press('Enter');
    await expect(this.node(kind, name)).toBeVisible();
  }

  /** Drags a new edge from one node's source handle to another's target handle. */
  async connect(from: Locator, to: Locator): Promise<void> {
    const source = from.locator('.react-flow__handle.source').first();
    const target = to.locator('.react-flow__handle.target').first();
    const a = await source.boundingBox();
    const b = await target.boundingBox();
    if (!a || !b) throw new Error('handle not visible');
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
    await this.page.mouse.up();
  }

  /** Drags a node by its header so that its top-left corner lands at (x, y) on the page. */
  async moveNode(node: Locator, x: number, y: number): Promise<void> {
    const header = node.locator('.node__header');
    const box = await node.boundingBox();
    const grip = await header.boundingBox();
    if (!box || !grip) throw new Error('node not visible');
    const from = { x: grip.x + 12, y: grip.y + grip.height / 2 };
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + (from.x - box.x), y + (from.y - box.y), { steps: 10 });
    await this.page.mouse.up();
  }

  async setBindingKey(source: string, destination: string, key: string): Promise<void> {
    await this.page.getByTestId(`binding-label-${source}-${destination}`).click();
    const input = this.page.getByTestId(`binding-key-input-${source}-${destination}`);
    await input.fill(key);
    await input.press('Enter');
    await expect(this.page.getByTestId(`binding-label-${source}-${destination}`)).toHaveText(key);
  }

  async apply(): Promise<void> {
    await this.page.getByTestId('apply-button').click();
    await expect(this.page.getByTestId('apply-status')).toHaveText('Applied');
  }

  async send(producer: string, routingKey: string, payload: string): Promise<void> {
    await this.node('producer', producer).click();
    await this.page.getByTestId('inspector-routing-key').fill(routingKey);
    await this.page.getByTestId('inspector-payload').fill(payload);
    await this.page.getByTestId('inspector-send').click();
  }

  depth(queue: string): Locator {
    return this.page.getByTestId(`queue-depth-${queue}`);
  }
}
