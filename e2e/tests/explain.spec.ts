import { expect, test } from '../fixtures';
import type { CanvasPage } from '../pages/canvas-page';
import { ExplainPanel } from '../pages/explain-panel';
import { ImportExportDialogs } from '../pages/import-export';

/**
 * The route explainer, driven through the UI: it predicts where a message goes and why, binding
 * by binding, and the real broker's routing is then held against that prediction.
 */

/** Loads the fixture diagram, applies it, and adds a producer publishing to `exchange`. */
async function prepare(canvas: CanvasPage, exchange: string): Promise<void> {
  await canvas.open();
  await new ImportExportDialogs(canvas.page).importFile('explain-headers-topic.json');
  await canvas.apply();
  await canvas.page.getByTestId('palette-add-producer').click();
  const producer = canvas.node('producer', 'producer-1');
  await expect(producer).toBeVisible();
  // Put the producer to the left of the exchanges, where a reader expects messages to start.
  const from = await producer.locator('.node__name').boundingBox();
  const to = await canvas.node('exchange', 'docs').boundingBox();
  if (!from || !to) throw new Error('nodes not visible');
  await canvas.page.mouse.move(from.x + 20, from.y + from.height / 2);
  await canvas.page.mouse.down();
  await canvas.page.mouse.move(to.x - 220, to.y + 60, { steps: 10 });
  await canvas.page.mouse.up();
  await canvas.connect(canvas.node('producer', 'producer-1'), canvas.node('exchange', exchange));
  await expect(canvas.node('producer', 'producer-1')).toContainText(exchange);
}

test('headers exchange: x-match any takes one header, x-match all wants both; the broker agrees', async ({
  canvas,
  page,
}, testInfo) => {
  await prepare(canvas, 'docs');
  const explain = new ExplainPanel(page);
  await explain.openFor('producer-1');
  await expect(explain.hop('docs')).toBeVisible();

  await explain.setHeader(0, 'format', 'pdf');
  const any = explain.binding('docs', 'pdf-or-urgent');
  const all = explain.binding('docs', 'urgent-pdf');
  await expect(any).toHaveAttribute('data-matched', 'true');
  await expect(all).toHaveAttribute('data-matched', 'false');
  // Each verdict says why, and shows the header comparison as a table.
  await expect(any).toContainText(/any/);
  await expect(any).toContainText(/format/);
  await expect(all).toContainText(/priority/);
  await expect(all.getByRole('table')).toContainText('missing');
  await expect(explain.queues).toContainText('pdf-or-urgent');
  await expect(explain.queues).not.toContainText('urgent-pdf');

  // The canvas lights the route and dims the rest while the panel is open.
  const label = (destination: string) =>
    page.locator('.edge-label', { has: page.getByTestId(`binding-label-docs-${destination}`) });
  await expect(label('pdf-or-urgent')).toHaveClass(/route-mark--route/);
  await expect(label('urgent-pdf')).toHaveClass(/route-mark--off/);

  const shot = testInfo.outputPath('explain-headers.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('explain panel', { path: shot, contentType: 'image/png' });

  await explain.send();
  await expect(explain.agreement).toContainText('Broker agreed');
  await expect(explain.agreement).toHaveAttribute('data-agreed', 'true');
  await expect(page.getByTestId('explain-agreement-broker')).toHaveText('pdf-or-urgent');
  await expect(canvas.depth('pdf-or-urgent')).toHaveText('1');
  await expect(canvas.depth('urgent-pdf')).toHaveText('0');

  // With both headers, x-match all matches too; sending from the node is compared as well.
  await explain.setHeader(1, 'priority', 'urgent');
  await expect(all).toHaveAttribute('data-matched', 'true');
  await page.getByTestId('producer-send-producer-1').click();
  await expect(page.getByTestId('explain-agreement-broker')).toHaveText(
    'pdf-or-urgent, urgent-pdf',
  );
  await expect(explain.agreement).toContainText('Broker agreed');

  const agreed = testInfo.outputPath('explain-agreed.png');
  await page.screenshot({ path: agreed });
  await testInfo.attach('broker agreed', { path: agreed, contentType: 'image/png' });
});

test('topic exchange: the pattern is compared with the routing key word by word', async ({
  canvas,
  page,
}, testInfo) => {
  await prepare(canvas, 'orders');
  const explain = new ExplainPanel(page);
  await explain.openFor('producer-1');
  await explain.setRoutingKey('order.eu.paid');
  // The producer sends what the panel explains.
  await expect(page.getByTestId('producer-routing-key-producer-1')).toHaveValue('order.eu.paid');

  await expect(explain.binding('orders', 'eu-paid')).toHaveAttribute('data-matched', 'true');
  await expect(explain.binding('orders', 'all-orders')).toHaveAttribute('data-matched', 'true');
  await expect(explain.binding('orders', 'refunds')).toHaveAttribute('data-matched', 'false');

  // 'order.eu.*' against 'order.eu.paid': three words, each matching.
  const euPaid = explain.topicSteps('orders', 'eu-paid');
  await expect(euPaid.locator('[data-ok]')).toHaveCount(3);
  await expect(euPaid.locator('[data-ok="false"]')).toHaveCount(0);
  await expect(euPaid).toContainText('eu');
  await expect(euPaid).toContainText('paid');
  // '*.refund' fails on a word, and the reason says which.
  const refunds = explain.topicSteps('orders', 'refunds');
  await expect(refunds.locator('[data-ok="false"]').first()).toBeVisible();
  await expect(explain.binding('orders', 'refunds')).toContainText(/refund/);
  await expect(explain.queues).toContainText('eu-paid');
  await expect(explain.queues).toContainText('all-orders');

  const shot = testInfo.outputPath('explain-topic.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('topic words', { path: shot, contentType: 'image/png' });

  await explain.send();
  await expect(explain.agreement).toContainText('Broker agreed');
  await expect(page.getByTestId('explain-agreement-broker')).toHaveText('all-orders, eu-paid');
  await expect(canvas.depth('eu-paid')).toHaveText('1');
  await expect(canvas.depth('refunds')).toHaveText('0');
});
