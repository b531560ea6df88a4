import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';

/** Saved diagrams as a user drives them: save, share, history, my diagrams, export, open a file. */
export class SavedDiagrams {
  constructor(readonly page: Page) {}

  get status(): Locator {
    return this.page.getByTestId('save-status');
  }

  async rename(name: string): Promise<void> {
    const field = this.page.getByRole('textbox', { name: 'Diagram name' });
    await field.fill(name);
    await field.press('Enter');
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save', exact: true }).click();
  }

  async expectSaved(revision: number): Promise<void> {
    await expect(this.status).toHaveText(`Saved · revision ${revision}`);
  }

  /** The id in the page's address (`/d/<id>`). */
  async diagramId(): Promise<string> {
    await expect(this.page).toHaveURL(/\/d\/[^/?#]+/);
    return /\/d\/([^/?#]+)/.exec(this.page.url())?.[1] ?? '';
  }

  /** Opens the top bar's Diagram menu and picks an item (History, My diagrams, ...). */
  async fromMenu(item: 'History' | 'My diagrams' | 'Save as copy' | 'Open file…'): Promise<void> {
    await this.page.getByRole('button', { name: 'Diagram ▾' }).click();
    await this.page
      .getByRole('menu', { name: 'Diagram' })
      .getByRole('menuitem', { name: item })
      .click();
  }

  async openShare(): Promise<{ dialog: Locator; viewLink: string; editLink: string }> {
    await this.page.getByTestId('share-open').click();
    const dialog = this.page.getByRole('dialog', { name: /^Share/ });
    await expect(dialog).toBeVisible();
    return {
      dialog,
      viewLink: await dialog.getByTestId('share-view-link').inputValue(),
      editLink: await dialog.getByTestId('share-edit-link').inputValue(),
    };
  }

  async download(button: Locator): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  }

  /** Drops a file on the canvas, as a user dragging it from their desktop would. */
  async dropFile(name: string, type: string, bytes: Buffer): Promise<void> {
    const transfer = await this.page.evaluateHandle(
      ({ name, type, base64 }) => {
        const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([data], name, { type }));
        return dt;
      },
      { name, type, base64: bytes.toString('base64') },
    );
    await this.page.getByTestId('canvas').dispatchEvent('dragover', { dataTransfer: transfer });
    await this.page.getByTestId('canvas').dispatchEvent('drop', { dataTransfer: transfer });
  }
}
