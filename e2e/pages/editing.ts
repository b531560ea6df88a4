import { expect, type Locator, type Page } from '@playwright/test';

/** The edit toolbar over the canvas and the editing gestures: selection, shortcuts, undo. */
export class EditingPage {
  constructor(readonly page: Page) {}

  get undoButton(): Locator {
    return this.page.getByRole('button', { name: 'Undo', exact: true });
  }

  get redoButton(): Locator {
    return this.page.getByRole('button', { name: 'Redo', exact: true });
  }

  /** "2 selected", while nodes are selected. */
  get selectionCount(): Locator {
    return this.page.getByTestId('selection-count');
  }

  /** A click on a node's header; with `add`, Shift is held so it joins the selection. */
  async click(node: Locator, add = false): Promise<void> {
    const header = node.locator('.node__header');
    if (add) {
      await this.page.keyboard.down('Shift');
      await header.click();
      await this.page.keyboard.up('Shift');
    } else {
      await header.click();
    }
  }

  /** Clicks an empty spot of the canvas, so nothing is selected. */
  async clearSelection(): Promise<void> {
    await this.page.locator('.react-flow__pane').click({ position: { x: 24, y: 24 } });
  }

  /** Holds Shift and drags a selection box over the canvas between two page points. */
  async boxSelect(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
    await this.page.keyboard.down('Shift');
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 6 });
    await this.page.mouse.move(to.x, to.y, { steps: 6 });
    await this.page.mouse.up();
    await this.page.keyboard.up('Shift');
  }

  /** Drags the frame drawn around a box selection, which moves every node in it. */
  async dragSelection(dx: number, dy: number): Promise<void> {
    const frame = await this.page.locator('.react-flow__nodesselection-rect').boundingBox();
    if (!frame) throw new Error('no selection frame');
    const x = frame.x + frame.width / 2;
    const y = frame.y + frame.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx, y + dy, { steps: 10 });
    await this.page.mouse.up();
  }

  /** Presses a shortcut with Control, e.g. `shortcut('Z')`, `shortcut('Shift+Z')`. */
  async shortcut(keys: string): Promise<void> {
    await this.page.keyboard.press(`Control+${keys}`);
  }

  async align(label: string): Promise<void> {
    await this.page
      .getByRole('toolbar', { name: 'Selection' })
      .getByRole('button', { name: label, exact: true })
      .click();
  }

  /** A node's top-left corner on the page. */
  async corner(node: Locator): Promise<{ x: number; y: number }> {
    const box = await node.boundingBox();
    if (!box) throw new Error('node not visible');
    return { x: Math.round(box.x), y: Math.round(box.y) };
  }

  /** Waits until the node's top-left corner is at `at` on the page, give or take a pixel. */
  async expectCorner(node: Locator, at: { x?: number; y?: number }): Promise<void> {
    await expect
      .poll(async () => {
        const now = await this.corner(node);
        return (
          (at.x === undefined || Math.abs(now.x - at.x) <= 1) &&
          (at.y === undefined || Math.abs(now.y - at.y) <= 1)
        );
      })
      .toBe(true);
  }
}
