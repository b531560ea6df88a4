import { expect, test } from '../fixtures';

/**
 * A work queue whose messages expire into a dead-letter queue, fed by a headers exchange:
 * drawn and set up in the inspector only, checked on the broker itself.
 */
test('queue arguments, dead-lettering and a headers binding reach the broker as drawn', async ({
  canvas,
  broker,
  vhost,
  page,
}, testInfo) => {
  const inspector = page.getByRole('complementary', { name: 'Inspector' });

  await canvas.add('producer', 'producer-1', 'shop');
  await canvas.add('exchange', 'exchange-1', 'tasks', 'headers');
  await canvas.add('queue', 'queue-1', 'work');
  await canvas.add('exchange', 'exchange-1', 'dead-letters', 'fanout');
  await canvas.add('queue', 'queue-1', 'dlq');
  await canvas.connect(canvas.node('producer', 'shop'), canvas.node('exchange', 'tasks'));
  await canvas.connect(canvas.node('exchange', 'tasks'), canvas.node('queue', 'work'));
  await canvas.connect(canvas.node('exchange', 'dead-letters'), canvas.node('queue', 'dlq'));
  // Routed messages flow left to right; dead letters drop to the row below.
  await canvas.moveNode(canvas.node('producer', 'shop'), 256, 110);
  await canvas.moveNode(canvas.node('exchange', 'tasks'), 516, 170);
  await canvas.moveNode(canvas.node('queue', 'work'), 900, 150);
  await canvas.moveNode(canvas.node('exchange', 'dead-letters'), 620, 440);
  await canvas.moveNode(canvas.node('queue', 'dlq'), 900, 440);

  // The work queue: messages live 2 s, then go to the dead-letter exchange.
  await canvas.node('queue', 'work').click();
  const ttl = inspector.getByTestId('inspector-arg-x-message-ttl');
  await ttl.fill('-5');
  await expect(inspector.getByTestId('field-error-x-message-ttl')).toContainText('at least 0');
  await ttl.fill('2000');
  await expect(inspector.getByTestId('field-error-x-message-ttl')).toBeHidden();
  await inspector.getByTestId('inspector-arg-x-dead-letter-exchange').selectOption('dead-letters');
  await expect(page.getByTestId('queue-badges-work')).toContainText('TTL 2 s');
  await expect(page.getByTestId('queue-badges-work')).toContainText('DLX → dead-letters');
  await expect(page.getByTestId('dead-letter-edge-work-dead-letters')).toBeVisible();
  const inspectorShot = testInfo.outputPath('inspector-queue-arguments.png');
  await inspector.screenshot({ path: inspectorShot });
  await testInfo.attach('inspector', { path: inspectorShot, contentType: 'image/png' });

  // The headers binding: any one of two headers is enough.
  await page.getByTestId('binding-label-tasks-work').click();
  await page.getByTestId('binding-key-input-tasks-work').press('Escape');
  await inspector.getByTestId('inspector-x-match').selectOption('any');
  await inspector.getByRole('button', { name: '+ Add header' }).click();
  await inspector.getByTestId('binding-header-key-0').fill('format');
  await inspector.getByTestId('binding-header-value-0').fill('pdf');
  await inspector.getByRole('button', { name: '+ Add header' }).click();
  await inspector.getByTestId('binding-header-key-1').fill('copies');
  await inspector.getByTestId('binding-header-type-1').selectOption('number');
  await inspector.getByTestId('binding-header-value-1').fill('5');

  await canvas.apply();
  const work = await broker.queue(vhost, 'work');
  expect(work.arguments).toEqual({
    'x-message-ttl': 2000,
    'x-dead-letter-exchange': 'dead-letters',
  });
  const binding = (await broker.bindingsWithArguments(vhost)).find(
    (b) => b.source === 'tasks' && b.destination === 'work',
  );
  expect(binding?.arguments).toEqual({ 'x-match': 'any', format: 'pdf', copies: 5 });
  expect((await broker.exchange(vhost, 'tasks')).type).toBe('headers');

  // One matching header routes the message; 2 s later it is dead-lettered into dlq.
  await canvas.node('producer', 'shop').click();
  await inspector.getByLabel('Headers').fill('format: pdf');
  await canvas.send('shop', '', 'report');
  await expect(page.getByTestId('producer-result-shop')).toContainText('work');
  await expect(canvas.depth('dlq')).toHaveText('1', { timeout: 20_000 });
  await expect
    .poll(() => broker.depths(vhost), { timeout: 20_000 })
    .toMatchObject({ work: 0, dlq: 1 });
  await canvas.node('queue', 'work').click();
  const canvasShot = testInfo.outputPath('canvas-dead-letter.png');
  await page.screenshot({ path: canvasShot });
  await testInfo.attach('canvas', { path: canvasShot, contentType: 'image/png' });

  // A queue's arguments are fixed once declared: the broker refuses another TTL (406) ...
  await canvas.node('queue', 'work').click();
  await inspector.getByTestId('inspector-arg-x-message-ttl').fill('5000');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByTestId('apply-status')).toHaveText('Apply failed');
  await expect(page.getByTestId('node-error-work')).toContainText('x-message-ttl');
  // ... until it is deleted and declared again, bindings included.
  await page.getByRole('button', { name: 'Delete and re-declare them' }).click();
  await expect(page.getByTestId('apply-status')).toHaveText('Applied');
  await expect(page.getByTestId('node-error-work')).toBeHidden();
  expect((await broker.queue(vhost, 'work')).arguments).toEqual({
    'x-message-ttl': 5000,
    'x-dead-letter-exchange': 'dead-letters',
  });
  const rebound = (await broker.bindingsWithArguments(vhost)).find(
    (b) => b.source === 'tasks' && b.destination === 'work',
  );
  expect(rebound?.arguments).toEqual({ 'x-match': 'any', format: 'pdf', copies: 5 });
});
