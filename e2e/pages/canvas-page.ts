import { expect, type Locator, type Page } from '@playwright/test';

type Kind = 'producer' | 'exchange' | 'queue' | 'consumer';

/** The canvas as a user drives it: palette, nodes, edges, inspector, Apply. */
export class CanvasPage {
  constructor(readonly page: Page) {}

  /** The inspector beside the canvas, editing what is selected. */
  get inspector(): Locator {
    return this.page.getByRole('complementary', { name: 'Inspector' });
  }

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
    const input = this.inspector.getByRole('textbox', { name: 'Name', exact: true });
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

  /**
   * Drags a node by its header so that its top-left corner lands at (x, y) on the page. The
   * drag starts on a spot of the header no other node covers (a press on a node lying over it
   * would move that one instead); a header covered all along is an error.
   */
  async moveNode(node: Locator, x: number, y: number): Promise<void> {
    const from = await this.freeGrip(node);
    if (!from) throw new Error('node header not visible or covered by another node');
    const box = await node.boundingBox();
    if (!box) throw new Error('node not visible');
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + (from.x - box.x), y + (from.y - box.y), { steps: 10 });
    await this.page.mouse.up();
  }

  /**
   * Moves several nodes, each to the top-left corner given on the page. A node whose header
   * another node still covers waits until the others have moved out of its way.
   */
  async arrange(moves: [node: Locator, x: number, y: number][]): Promise<void> {
    let pending = moves;
    while (pending.length > 0) {
      const blocked: typeof moves = [];
      for (const move of pending) {
        if (await this.freeGrip(move[0])) await this.moveNode(...move);
        else blocked.push(move);
      }
      if (blocked.length === pending.length) throw new Error('nodes cover each other’s headers');
      pending = blocked;
    }
  }

  /** A point of the node's header that the node itself shows on top, if there is one. */
  private async freeGrip(node: Locator): Promise<{ x: number; y: number } | undefined> {
    const header = node.locator('.node__header');
    if ((await header.count()) === 0) return undefined;
    // One look in the page for every candidate spot along the header, left to right.
    const spot = await header.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const y = box.top + box.height / 2;
      for (let x = box.left + 12; x < box.right - 12; x += 16) {
        const top = document.elementFromPoint(x, y);
        if (top !== null && el.contains(top)) return { x, y };
      }
      return null;
    });
    return spot ?? undefined;
  }

  async setBindingKey(source: string, destination: string, key: string): Promise<void> {
    await this.page.getByTestId(`binding-label-${source}-${destination}`).click();
    const input = this.page.getByTestId(`binding-key-input-${source}-${destination}`);
    await input.fill(key);
    await input.press('Enter');
    await expect(this.page.getByTestId(`binding-label-${source}-${destination}`)).toHaveText(key);
  }

  /**
   * Selects a queue and sets catalogue arguments in its inspector (`x-message-ttl`,
   * `x-dead-letter-exchange`, `x-overflow`, …): a number or text is typed, a choice is picked.
   */
  async setQueueArguments(queue: string, args: Record<string, string | number>): Promise<void> {
    await this.node('queue', queue).click();
    await expect(this.node('queue', queue)).toHaveClass(/is-selected/);
    const inspector = this.inspector;
    for (const [key, value] of Object.entries(args)) {
      const field = inspector.getByTestId(`inspector-arg-${key}`);
      const isChoice = await field.evaluate((el) => el.tagName === 'SELECT');
      if (isChoice) await field.selectOption(String(value));
      else await field.fill(String(value));
      await expect(inspector.getByTestId(`field-error-${key}`)).toBeHidden();
    }
  }

  /** Selects a queue and sets one of its flags in the inspector. */
  async setQueueFlag(
    queue: string,
    flag: 'durable' | 'exclusive' | 'auto-delete',
    on: boolean,
  ): Promise<void> {
    await this.node('queue', queue).click();
    await expect(this.node('queue', queue)).toHaveClass(/is-selected/);
    await this.inspector.getByRole('checkbox', { name: flag, exact: true }).setChecked(on);
  }

  async apply(): Promise<void> {
    await this.page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(this.page.getByTestId('apply-status')).toHaveText('Applied');
  }

  async send(producer: string, routingKey: string, payload: string): Promise<void> {
    await this.node('producer', producer).click();
    await this.inspector
      .getByRole('textbox', { name: 'Routing key', exact: true })
      .fill(routingKey);
    await this.inspector.getByLabel('Payload').fill(payload);
    await this.inspector.getByRole('button', { name: /^Send (message|\d+ messages)$/ }).click();
  }

  depth(queue: string): Locator {
    return this.page.getByTestId(`queue-depth-${queue}`);
  }
}
