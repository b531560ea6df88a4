import { expect, test } from '../fixtures';
import type { CanvasPage } from '../pages/canvas-page';
import { MessageInspector } from '../pages/message-inspector';

/**
 * Lesson 7, topic exchange: `demo.topic` with three queues bound by patterns. A message goes
 * to every queue whose pattern matches its routing key, to several or to none. The learner
 * draws it with mouse and keyboard, sends three messages, and reads in the message inspector
 * where each one went and why.
 */

test.use({ viewport: { width: 1500, height: 900 } });

const QUEUES = [
  { name: 'critical', pattern: '#.critical' },
  { name: 'order', pattern: 'order.#' },
  { name: 'login', pattern: 'user.login.*' },
] as const;

/** Adds a node from the palette with the keyboard alone, and names it in the inspector. */
async function addWithKeyboard(
  canvas: CanvasPage,
  testId: string,
  node: Parameters<CanvasPage['node']>,
  defaultName: string,
): Promise<void> {
  const { page } = canvas;
  await page.getByTestId(testId).focus();
  await page.keyboard.press('Enter');
  await expect(canvas.node(node[0], defaultName)).toHaveClass(/is-selected/);
  const name = canvas.inspector.getByRole('textbox', { name: 'Name', exact: true });
  await name.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(node[1]);
  await page.keyboard.press('Enter');
  await expect(canvas.node(...node)).toBeVisible();
}

/**
 * Undo, redo and paste, where the canvas has them (they come with the editing commands): the
 * last binding key is undone and redone, and a queue copied and pasted, then the paste undone,
 * so the diagram is the lesson's again. Skipped, and said so, on a canvas without an Undo
 * button.
 */
async function undoRedoAndPaste(canvas: CanvasPage): Promise<boolean> {
  const { page } = canvas;
  const undo = page.getByRole('button', { name: 'Undo' });
  if ((await undo.count()) === 0) return false;
  const redo = page.getByRole('button', { name: 'Redo' });
  const label = page.getByTestId('binding-label-demo.topic-login');

  await undo.click();
  await expect(label).not.toHaveText('user.login.*');
  await redo.click();
  await expect(label).toHaveText('user.login.*');

  const queues = page.locator('[data-testid^="queue-node-"]');
  const before = await queues.count();
  await canvas.node('queue', 'login').click();
  await page.keyboard.press('ControlOrMeta+C');
  await page.keyboard.press('ControlOrMeta+V');
  await expect(queues).toHaveCount(before + 1);
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(queues).toHaveCount(before);
  return true;
}

test('lesson 7: a topic exchange routes by pattern, and the inspector says why', async ({
  canvas,
  consumers,
  broker,
  vhost,
  page,
}, testInfo) => {
  await addWithKeyboard(canvas, 'palette-add-producer', ['producer', 'app'], 'producer-1');
  await canvas.add('exchange', 'exchange-1', 'demo.topic', 'topic');
  for (const queue of QUEUES) await canvas.add('queue', 'queue-1', queue.name);

  await canvas.arrange([
    [canvas.node('producer', 'app'), 262, 300],
    [canvas.node('exchange', 'demo.topic'), 560, 320],
    [canvas.node('queue', 'critical'), 900, 120],
    [canvas.node('queue', 'order'), 900, 330],
    [canvas.node('queue', 'login'), 900, 540],
  ]);
  await consumers.fitView();

  await canvas.connect(canvas.node('producer', 'app'), canvas.node('exchange', 'demo.topic'));
  await expect(canvas.node('producer', 'app')).toContainText('demo.topic');
  for (const queue of QUEUES) {
    await canvas.connect(canvas.node('exchange', 'demo.topic'), canvas.node('queue', queue.name));
    await canvas.setBindingKey('demo.topic', queue.name, queue.pattern);
  }

  if (!(await undoRedoAndPaste(canvas)))
    testInfo.annotations.push({
      type: 'skipped step',
      description: 'undo, redo and paste: this canvas has no Undo button',
    });

  await canvas.apply();
  const bindings = (await broker.bindings(vhost)).filter((b) => b.source === 'demo.topic');
  expect(bindings.map((b) => `${b.destination} ${b.routing_key}`).sort()).toEqual([
    'critical #.critical',
    'login user.login.*',
    'order order.#',
  ]);

  // Two queues, one queue, no queue.
  await canvas.send('app', 'order.create.critical', '{"order": 1, "level": "critical"}');
  await expect(page.getByTestId('producer-result-app')).toContainText('critical');
  await expect(page.getByTestId('producer-result-app')).toContainText('order');
  await canvas.send('app', 'user.login.success', '{"user": "ada"}');
  await expect(page.getByTestId('producer-result-app')).toContainText('routed to login');
  await canvas.send('app', 'system.log.info', 'nobody listens');
  await expect(page.getByTestId('producer-result-app')).toContainText('unroutable');

  await expect(canvas.depth('critical')).toHaveText('1');
  await expect(canvas.depth('order')).toHaveText('1');
  await expect(canvas.depth('login')).toHaveText('1');
  await expect(page.getByTestId('edge-count-app-demo.topic')).toHaveText('3');
  for (const queue of QUEUES)
    await expect(page.getByTestId(`edge-count-demo.topic-${queue.name}`)).toHaveText('1');
  await expect(page.getByTestId('exchange-published-demo.topic')).toHaveText('3');
  await expect(page.getByTestId('exchange-unroutable-demo.topic')).toContainText('1');

  // The message inspector lists all three, newest first.
  const inspector = new MessageInspector(page);
  await inspector.open();
  await expect(inspector.rows).toHaveCount(3);
  await expect(inspector.rows.nth(0)).toContainText('system.log.info');
  await expect(inspector.rows.nth(0)).toHaveAttribute('data-outcome', 'unroutable');
  await expect(inspector.rows.nth(1)).toContainText('user.login.success');
  await expect(inspector.rows.nth(1)).toContainText('login');
  await expect(inspector.rows.nth(2)).toContainText('order.create.critical');
  await expect(inspector.rows.nth(2).getByTestId('message-row-queues')).toHaveText(
    'critical, order',
  );
  for (const row of await inspector.rows.all()) await expect(row).toContainText('demo.topic');

  // Rows are reached and opened with the keyboard.
  await inspector.rows.nth(0).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(inspector.rows.nth(2)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(inspector.detail).toBeVisible();
  await expect(inspector.detail.getByTestId('message-observed')).toHaveText(
    'Routed to critical, order',
  );
  await expect(inspector.why).toHaveAttribute('data-agree', 'true');
  await expect(inspector.why).toContainText(
    "The broker routed it to 'critical', 'order', as the explainer says.",
  );
  await expect(inspector.why).toContainText('#.critical');
  await expect(inspector.why).toContainText('order.#');
  await expect(inspector.detail.getByTestId('message-payload')).toHaveText(
    '{"order": 1, "level": "critical"}',
  );
  await expect(inspector.detail.getByTestId('message-properties')).toContainText('message id');
  await page.screenshot({ path: testInfo.outputPath('message-inspector.png') });

  // Filters: by queue, by part of the routing key, by outcome.
  await inspector.filterQueue('login');
  await expect(inspector.rows).toHaveCount(1);
  await expect(inspector.rows.first()).toContainText('user.login.success');
  await inspector.rows.first().click();
  await expect(inspector.why).toContainText(
    "The broker routed it to 'login', as the explainer says.",
  );
  await expect(inspector.why).toContainText('user.login.*');
  await inspector.filterQueue('');

  await inspector.filterKey('ORDER.create');
  await expect(inspector.rows).toHaveCount(1);
  await inspector.filterKey('');

  // All three came from the producer `app`.
  await inspector.filterClient('app');
  await expect(inspector.rows).toHaveCount(3);
  await inspector.filterClient('');

  await inspector.filterOutcome('unroutable');
  await expect(inspector.rows).toHaveCount(1);
  await inspector.rows.first().click();
  await expect(inspector.detail.getByTestId('message-observed')).toHaveText(
    'Routed to no queue (unroutable).',
  );
  await expect(inspector.why).toContainText(
    'The broker routed it to no queue, as the explainer says.',
  );
  await expect(inspector.why).toContainText('no binding matches');
  await expect(inspector.detail.getByTestId('message-payload')).toHaveText('nobody listens');

  const shot = testInfo.outputPath('lesson-topic.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('lesson 7 with the message inspector', {
    path: shot,
    contentType: 'image/png',
  });
});
