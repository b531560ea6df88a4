import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';

/** A file in e2e/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** The import and export dialogs of the top bar. */
export class ImportExportDialogs {
  readonly importDialog: Locator;
  readonly exportDialog: Locator;

  constructor(readonly page: Page) {
    this.importDialog = page.getByRole('dialog', { name: 'Import definitions' });
    this.exportDialog = page.getByRole('dialog', { name: 'Export', exact: true });
  }

  async openImport(file: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(this.importDialog).toBeVisible();
    await this.page.getByTestId('import-file').setInputFiles(fixture(file));
  }

  /** Imports a one-vhost definitions file onto the canvas. */
  async importFile(file: string): Promise<void> {
    await this.openImport(file);
    await this.importDialog.getByRole('button', { name: 'Import to canvas' }).click();
    await expect(this.importDialog).toBeHidden();
  }

  async openExport(): Promise<void> {
    await this.page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(this.exportDialog).toBeVisible();
  }

  /**
   * The AMQP URL of the session, as a learner copies it from the exported amqplib code (an
   * applied diagram's code carries the session's own vhost and credentials).
   */
  async amqpUrl(): Promise<string> {
    await this.openExport();
    await this.exportDialog.getByRole('tab', { name: /^amqplib/ }).click();
    const code = this.page.getByTestId('export-code');
    await expect(code).toContainText('amqp://');
    const url = /amqp:\/\/[^'"\s]+/.exec((await code.textContent()) ?? '')?.[0];
    await this.exportDialog.getByRole('button', { name: 'Close' }).click();
    await expect(this.exportDialog).toBeHidden();
    if (url === undefined) throw new Error('no AMQP URL in the exported code');
    return url;
  }

  /** Downloads the current export tab and returns the file's name and text. */
  async download(): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.exportDialog.getByRole('button', { name: /^Download/ }).click(),
    ]);
    const path = await download.path();
    return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
  }
}
