import { test as base, expect, type Page } from '@playwright/test';
import { CanvasPage } from './pages/canvas-page';
import { BrokerView } from './pages/broker-view';

export const test = base.extend<{ canvas: CanvasPage; broker: BrokerView }>({
  canvas: async ({ page }: { page: Page }, use) => {
    await use(new CanvasPage(page));
  },
  broker: async ({}, use) => {
    await use(new BrokerView());
  },
});

export { expect };
