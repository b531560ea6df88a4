import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from '../fixtures';
import { ExplainPanel } from '../pages/explain-panel';
import { ImportExportDialogs } from '../pages/import-export';
import { MessageInspector } from '../pages/message-inspector';
import { closeSession, openSession, ordersTopology } from './producers-session';

/**
 * axe-core on the main views: no serious or critical violation of WCAG 2.1 A and AA. Each
 * view's full report is attached, minor findings included, for whoever improves it next.
 */

async function audit(page: Page, testInfo: TestInfo, view: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  await testInfo.attach(`axe ${view}`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: 'application/json',
  });
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    }));
  expect(blocking, `${view}: serious or critical accessibility violations`).toEqual([]);
}

test('the empty canvas has no serious accessibility violation', async ({ page }, testInfo) => {
  await page.goto('/');
  // The first session after the server starts waits for the broker's event feed; on a busy
  // machine that alone can take longer than the usual 10 s.
  await expect(page.getByTestId('session-id')).toHaveText(/^[a-z0-9]+$/, { timeout: 30_000 });
  await expect(page.getByTestId('server-banner')).toBeHidden();
  await audit(page, testInfo, 'empty canvas');
});

test('a diagram with the inspector, the explainer, code export and the message inspector have none', async ({
  page,
  canvas,
}, testInfo) => {
  // Seven full audits; axe alone takes several seconds each on a loaded machine.
  test.setTimeout(240_000);
  const topology = ordersTopology();
  topology.consumers = [
    {
      id: 'c-billing',
      name: 'billing',
      queue: 'order.q',
      prefetch: 10,
      autoAck: false,
      position: { x: 1000, y: 120 },
    },
  ];
  const session = await openSession(page, topology);
  try {
    // A diagram, with the inspector open on its queue.
    await canvas.node('queue', 'order.q').click();
    await expect(canvas.inspector).toBeVisible();
    await audit(page, testInfo, 'diagram and queue inspector');
    await canvas.node('exchange', 'orders').click();
    await expect(canvas.inspector.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(
      'orders',
    );
    await audit(page, testInfo, 'exchange inspector');
    await canvas.node('producer', 'shop').click();
    await expect(canvas.inspector.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(
      'shop',
    );
    await audit(page, testInfo, 'producer inspector');
    await page.getByTestId('consumer-node-billing').click();
    await expect(canvas.inspector.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(
      'billing',
    );
    await audit(page, testInfo, 'consumer inspector');

    // The route explainer for the producer's message.
    const explain = new ExplainPanel(page);
    await explain.openFor('shop');
    await expect(explain.queues).toContainText('order.q');
    await audit(page, testInfo, 'explain panel');
    await explain.panel.getByRole('button', { name: 'Close the route explainer' }).click();

    // The code export.
    const dialogs = new ImportExportDialogs(page);
    await dialogs.openExport();
    await dialogs.exportDialog.getByRole('tab', { name: /^amqplib/ }).click();
    await expect(page.getByTestId('export-code')).toContainText('amqp://');
    await audit(page, testInfo, 'code export');
    await dialogs.exportDialog.getByRole('button', { name: 'Close' }).click();

    // The message inspector, with one message open.
    await page.getByTestId('producer-send-shop').click();
    await expect(page.getByTestId('producer-result-shop')).toContainText('routed to order.q');
    const messages = new MessageInspector(page);
    await messages.open();
    await messages.rows.first().click();
    await expect(messages.why).toHaveAttribute('data-agree', 'true');
    await audit(page, testInfo, 'message inspector');
    await page.screenshot({ path: testInfo.outputPath('message-inspector.png') });
  } finally {
    await closeSession(page, session);
  }
});

test('every control of the top bar and palette is reached with Tab and shows where focus is', async ({
  canvas,
  page,
}, testInfo) => {
  await canvas.open();
  const seen: { label: string; outline: string }[] = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!(el instanceof HTMLElement) || el === document.body) return null;
      const style = getComputedStyle(el);
      return {
        label: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName,
        testId: el.dataset.testid ?? '',
        outline: `${style.outlineStyle} ${style.outlineWidth}`,
        shadow: style.boxShadow,
      };
    });
    if (!focused) continue;
    seen.push({ label: `${focused.testId} ${focused.label}`, outline: focused.outline });
    // A visible focus ring: an outline, or a focus shadow drawn instead.
    expect(
      focused.outline.startsWith('none') && focused.shadow === 'none',
      `focus on ${focused.testId || focused.label} is not visible`,
    ).toBe(false);
  }
  await page.getByTestId('messages-button').focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await page.screenshot({
    path: testInfo.outputPath('focus-ring.png'),
    clip: { x: 0, y: 0, width: 1440, height: 120 },
  });
  const labels = seen.map((s) => s.label).join('\n');
  expect(labels).toContain('messages-button');
  expect(labels).toContain('palette-add-producer');
  expect(labels).toContain('apply-button');
});

test('the lesson gallery and a running lesson have none', async ({ page, lessons }, testInfo) => {
  await page.goto('/');
  await lessons.openGallery();
  await audit(page, testInfo, 'lesson gallery');
  await lessons.open('dead-letter-reject');
  await lessons.runAllSteps();
  await audit(page, testInfo, 'running lesson');
  // A step this Warren cannot do, saying so.
  await lessons.open('durability');
  await expect(lessons.step('restart')).toHaveAttribute('data-available', 'false');
  await audit(page, testInfo, 'lesson with a restart not allowed');
});
