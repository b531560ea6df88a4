import type { Page } from '@playwright/test';
import { generatedTopology } from '@warren/topology/testing';
import { expect, test } from '../fixtures';
import { closeSession, openSession } from './producers-session';

interface Rect {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every diagram node and every floating Explain button, as drawn on the page. */
async function drawnBoxes(page: Page): Promise<Rect[]> {
  return page.evaluate(() => {
    const boxes: Rect[] = [];
    const selector = '.react-flow__node, .react-flow__node-toolbar';
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const r = element.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const name =
        element.getAttribute('data-id') ??
        element.querySelector('[data-testid]')?.getAttribute('data-testid') ??
        'toolbar';
      boxes.push({ name, x: r.x, y: r.y, width: r.width, height: r.height });
    }
    return boxes;
  });
}

/** Pairs of boxes that intersect. */
function overlaps(boxes: Rect[]): string[] {
  const pairs: string[] = [];
  boxes.forEach((a, i) => {
    for (const b of boxes.slice(i + 1)) {
      if (
        a.x < b.x + b.width - 0.5 &&
        b.x < a.x + a.width - 0.5 &&
        a.y < b.y + b.height - 0.5 &&
        b.y < a.y + a.height - 0.5
      )
        pairs.push(`${a.name} / ${b.name}`);
    }
  });
  return pairs;
}

const zoom = async (page: Page) =>
  page.evaluate(() => {
    const style = document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform;
    return Number(/scale\(([\d.]+)\)/.exec(style ?? '')?.[1] ?? Number.NaN);
  });

/** Waits for the view to stop gliding (fit view animates). */
async function settled(page: Page): Promise<void> {
  const viewport = page.locator('.react-flow__viewport');
  let last: string | null = null;
  await expect
    .poll(
      async () => {
        const now = await viewport.getAttribute('style');
        const same = now === last;
        last = now;
        return same;
      },
      { intervals: [300] },
    )
    .toBe(true);
}

/** Zooms in with the mouse wheel over the node with `testId`, to about 0.9. */
async function zoomInOn(page: Page, testId: string): Promise<void> {
  for (let i = 0; i < 12 && (await zoom(page)) < 0.9; i++) {
    const box = (await page.getByTestId(testId).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -240);
    await page.waitForTimeout(80);
  }
  await settled(page);
}

/**
 * A diagram of 100 objects made through the API without positions, as a class would bring
 * one: laid out without overlaps, fitted to the view in compact cards, readable up close, and
 * tidied in one step.
 */
test('a 100-node diagram without positions is laid out apart, readable, and tidied', async ({
  page,
}, testInfo) => {
  const topology = generatedTopology(100);
  const session = await openSession(page, topology);
  try {
    const nodes = page.locator('.react-flow__node');
    await expect(nodes).toHaveCount(100);
    await settled(page);

    // Zoomed out to the whole diagram: compact cards, every one inside the canvas.
    expect(await zoom(page)).toBeLessThan(0.42);
    await expect(page.getByTestId('queue-compact-gen.q0')).toBeVisible();
    const canvasBox = (await page.getByTestId('canvas').boundingBox())!;
    const all = await drawnBoxes(page);
    expect(all.length).toBeGreaterThanOrEqual(100);
    expect(overlaps(all)).toEqual([]);
    for (const box of all) {
      expect(box.x).toBeGreaterThanOrEqual(canvasBox.x - 1);
      expect(box.y).toBeGreaterThanOrEqual(canvasBox.y - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(canvasBox.x + canvasBox.width + 1);
      expect(box.y + box.height).toBeLessThanOrEqual(canvasBox.y + canvasBox.height + 1);
    }
    const outShot = testInfo.outputPath('layout-100-zoomed-out.png');
    await page.screenshot({ path: outShot });
    await testInfo.attach('100 nodes, zoomed out', { path: outShot, contentType: 'image/png' });

    // Up close: full cards, their Explain buttons clear of every node.
    await zoomInOn(page, 'producer-node-gen.p0');
    expect(await zoom(page)).toBeGreaterThan(0.42);
    await expect(page.getByTestId('queue-compact-gen.q0')).toHaveCount(0);
    await expect(page.getByTestId('producer-explain-gen.p0')).toBeVisible();
    expect(overlaps(await drawnBoxes(page))).toEqual([]);
    const inShot = testInfo.outputPath('layout-100-zoomed-in.png');
    await page.screenshot({ path: inShot });
    await testInfo.attach('100 nodes, zoomed in', { path: inShot, contentType: 'image/png' });

    // Tidy: one change of the document (every node gets a position), and the whole diagram in view.
    await page.getByRole('button', { name: 'Tidy' }).click();
    await settled(page);
    expect(await zoom(page)).toBeLessThan(0.42);
    expect(overlaps(await drawnBoxes(page))).toEqual([]);
    const tidyShot = testInfo.outputPath('layout-100-tidied.png');
    await page.screenshot({ path: tidyShot });
    await testInfo.attach('100 nodes, tidied', { path: tidyShot, contentType: 'image/png' });

    // The queues up close, badges and all.
    await zoomInOn(page, 'queue-node-gen.q22');
    expect(overlaps(await drawnBoxes(page))).toEqual([]);
    const queuesShot = testInfo.outputPath('layout-100-queues.png');
    await page.screenshot({ path: queuesShot });
    await testInfo.attach('100 nodes, queues up close', {
      path: queuesShot,
      contentType: 'image/png',
    });
    await page.locator('.react-flow__controls-fitview').click();
    await settled(page);

    // Moved by hand, then tidied by the keyboard: back where the layout puts it.
    const queue = page.getByTestId('queue-node-gen.q1');
    const flowPosition = () =>
      page
        .locator('.react-flow__node[data-id="q-gen.q1"]')
        .evaluate((element) => (element as HTMLElement).style.transform);
    const laidOut = await flowPosition();
    const before = (await queue.boundingBox())!;
    await page.mouse.move(before.x + 10, before.y + 5);
    await page.mouse.down();
    await page.mouse.move(before.x + 200, before.y + 150, { steps: 5 });
    await page.mouse.up();
    // The drop lands in the document: the node stays where it was let go.
    let dropped = '';
    await expect
      .poll(
        async () => {
          const now = await flowPosition();
          const still = now === dropped && now !== laidOut;
          dropped = now;
          return still;
        },
        { intervals: [300] },
      )
      .toBe(true);
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+T');
    await expect.poll(flowPosition).toBe(laidOut);
  } finally {
    await closeSession(page, session);
  }
});
