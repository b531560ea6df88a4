import { test as base, expect, type Page } from '@playwright/test';
import { CanvasPage } from './pages/canvas-page';
import { BrokerView } from './pages/broker-view';
import { ConsumersPage } from './pages/consumers';
import { LessonGallery } from './pages/lesson-gallery';
import { LessonDiagram } from './pages/lessons';
import { ProducersPage } from './pages/producers';
import { SavedDiagrams } from './pages/saved-diagrams';

export const test = base.extend<{
  canvas: CanvasPage;
  broker: BrokerView;
  consumers: ConsumersPage;
  producers: ProducersPage;
  lesson: LessonDiagram;
  lessons: LessonGallery;
  saved: SavedDiagrams;
  /**
   * A new session opened on the canvas, named by the vhost its diagram is applied to on the
   * broker: the server under test prefixes session ids with `warren-e2e-` (playwright.config.ts).
   */
  vhost: string;
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
  saved: async ({ page }: { page: Page }, use) => {
    await use(new SavedDiagrams(page));
  },
  lessons: async ({ page }: { page: Page }, use) => {
    await use(new LessonGallery(page));
  },
  lesson: async ({ canvas, consumers }, use) => {
    await use(new LessonDiagram(canvas, consumers));
  },
  vhost: async ({ canvas }, use) => {
    const sessionId = await canvas.open();
    await use(`warren-e2e-${sessionId}`);
  },
});

export { expect };
