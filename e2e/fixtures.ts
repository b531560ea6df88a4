import { test as base, expect, type Page } from '@playwright/test';
import { CanvasPage } from './pages/canvas-page';
import { BrokerView } from './pages/broker-view';
import { ConsumersPage } from './pages/consumers';
import { ProducersPage } from './pages/producers';

export const test = base.extend<{
  canvas: CanvasPage;
  broker: BrokerView;
  consumers: ConsumersPage;
  producers: ProducersPage;
}>({
  canvas: async ({ page }: { page: Page }, use) => {
    await use(new CanvasPage(page));
  },
  broker: async ({}, use) => {
    await use(new BrokerView());
  },
  consumers: async ({ page }: { page: Page }, use) => {
    await use(new ConsumersPage(page));
  },
  producers: async ({ page }: { page: Page }, use) => {
    await use(new ProducersPage(page));
  },
});

export { expect };
