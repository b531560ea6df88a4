import { expect, test } from '../fixtures';
import { ConsumersPage } from '../pages/consumers';

/**
 * Fault injection from the canvas: purge a queue, delete a queue and an exchange on the broker
 * behind the diagram's back (shown missing until Apply declares them again), and close a
 * consumer's connection.
 */
test('purge, delete on the broker until Apply, and close a consumer connection', async ({
  canvas,
  broker,
  vhost,
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const consumers = new ConsumersPage(page);

  await canvas.add('producer', 'producer-1', 'shop');
  await canvas.add('exchange', 'exchange-1', 'orders', 'fanout');
  await canvas.add('queue', 'queue-1', 'billing');
  await canvas.connect(canvas.node('producer', 'shop'), canvas.node('exchange', 'orders'));
  await canvas.connect(canvas.node('exchange', 'orders'), canvas.node('queue', 'billing'));
  await canvas.apply();

  for (let i = 1; i <= 3; i++) await page.getByTestId('producer-send-shop').click();
  await expect(canvas.depth('billing')).toHaveText('3', { timeout: 15_000 });

  // Purge: the ready messages are gone, on the canvas and on the broker.
  await canvas.node('queue', 'billing').hover();
  await page.getByTestId('queue-faults-billing').click();
  const menuShot = testInfo.outputPath('queue-fault-menu.png');
  await page.screenshot({ path: menuShot });
  await testInfo.attach('fault menu', { path: menuShot, contentType: 'image/png' });
  await page.getByTestId('queue-purge-billing').click();
  await expect(canvas.depth('billing')).toHaveText('0', { timeout: 15_000 });
  await expect
    .poll(() => broker.queueCounts(vhost, 'billing'), { timeout: 20_000 })
    .toEqual({ ready: 0, unacked: 0 });

  // Delete on the broker: the diagram keeps the queue, marked missing, until Apply.
  await canvas.node('queue', 'billing').hover();
  await page.getByTestId('queue-faults-billing').click();
  await page.getByTestId('queue-delete-billing').click();
  await expect(page.getByTestId('queue-missing-billing')).toBeVisible();
  await expect(canvas.node('queue', 'billing')).toHaveClass(/is-missing/);
  expect(await broker.hasQueue(vhost, 'billing')).toBe(false);
  await canvas.node('exchange', 'orders').hover();
  await page.getByTestId('exchange-faults-orders').click();
  await page.getByTestId('exchange-delete-orders').click();
  await expect(page.getByTestId('exchange-missing-orders')).toBeVisible();
  expect((await broker.exchanges(vhost)).some((x) => x.name === 'orders')).toBe(false);
  const missingShot = testInfo.outputPath('canvas-missing-on-broker.png');
  await page.screenshot({ path: missingShot });
  await testInfo.attach('missing on the broker', { path: missingShot, contentType: 'image/png' });

  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByTestId('apply-status')).toHaveText('Applied');
  await expect(page.getByTestId('queue-missing-billing')).toBeHidden();
  await expect(page.getByTestId('exchange-missing-orders')).toBeHidden();
  expect(await broker.hasQueue(vhost, 'billing')).toBe(true);
  expect(
    (await broker.bindings(vhost)).some(
      (b) => b.source === 'orders' && b.destination === 'billing',
    ),
  ).toBe(true);
  await page.getByTestId('producer-send-shop').click();
  await expect(canvas.depth('billing')).toHaveText('1', { timeout: 15_000 });

  // A consumer whose connection is closed gives its unacked message back and reconnects.
  await canvas.node('queue', 'billing').click();
  await canvas.add('consumer', 'consumer-1', 'invoicer');
  await consumers.configure('invoicer', { processingMs: 20_000 });
  await canvas.apply();
  await expect(consumers.counter('invoicer', 'inflight')).toHaveText('1', { timeout: 15_000 });
  await expect(page.getByTestId('queue-unacked-billing')).toHaveText('1', { timeout: 15_000 });
  await page
    .getByRole('complementary', { name: 'Inspector' })
    .getByRole('button', { name: 'Close connection' })
    .click();
  await expect(consumers.counter('invoicer', 'inflight')).toHaveText('0', { timeout: 15_000 });
  // Back on its own, it takes the returned message again, marked redelivered.
  await expect(consumers.status('invoicer')).toHaveText('running', { timeout: 20_000 });
  await expect(consumers.counter('invoicer', 'received')).toHaveText('2', { timeout: 20_000 });
  await expect(consumers.counter('invoicer', 'inflight')).toHaveText('1');
});
