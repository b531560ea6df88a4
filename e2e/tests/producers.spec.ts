import { expect, test } from '../fixtures';
import {
  closeSession,
  inspector,
  openSession,
  ordersTopology,
  post,
  select,
  sendButton,
} from './producers-session';

/**
 * Producers run by the server on the session's vhost: confirms, the reliable producer's
 * outbox, continuous sending, with counters that equal what the broker holds.
 */

test('scenario 19: a producer with publisher confirms sends 5 and shows 5 confirmed', async ({
  page,
}, testInfo) => {
  const session = await openSession(page, ordersTopology());
  await select(page, 'producer-node-shop');

  // Confirms are on unless turned off; the inspector says so.
  await expect(inspector(page).getByRole('checkbox', { name: 'publisher confirms' })).toBeChecked();
  await expect(page.getByTestId('inspector-producer-transactions')).not.toBeChecked();
  await page.getByTestId('inspector-producer-count').fill('5');
  await expect(sendButton(page)).toHaveText('Send 5 messages');
  await sendButton(page).click();

  await expect(page.getByTestId('producer-confirmed-shop')).toHaveText('5');
  await expect(page.getByTestId('producer-sent-shop')).toHaveText('5');
  await expect(page.getByTestId('producer-nacked-shop')).toHaveText('0');
  await expect(page.getByTestId('producer-returned-shop')).toHaveText('0');
  await expect(page.getByTestId('inspector-producer-confirmed')).toHaveText('5');
  await expect(page.getByTestId('producer-result-shop')).toHaveText('5 sent · routed to order.q');
  await expect(page.getByTestId('queue-depth-order.q')).toHaveText('5');

  await page.screenshot({ path: testInfo.outputPath('confirms.png') });
  // Tall enough for the whole inspector, every section of it in one picture.
  await page.setViewportSize({ width: 1440, height: 1480 });
  await inspector(page).screenshot({ path: testInfo.outputPath('inspector.png') });
  await closeSession(page, session);
});

test('the inspector’s key strategy and properties reach the server’s producer', async ({
  page,
}) => {
  const session = await openSession(page, ordersTopology());
  await select(page, 'producer-node-shop');

  // Round-robin over a bound and an unbound key: every other message is unroutable.
  await page.getByTestId('inspector-producer-strategy').selectOption('round-robin');
  await page.getByTestId('inspector-producer-keys').fill('new\nold');
  await expect(page.getByTestId('inspector-producer-key-preview').locator('code')).toHaveText([
    'new',
    'old',
    'new',
  ]);
  await expect(page.getByTestId('producer-keys-shop')).toHaveText(/keys\s*new \| old/);
  await page.getByTestId('inspector-producer-persistent').check();
  await page.getByTestId('inspector-producer-content-type').fill('application/json');
  await page.getByTestId('inspector-producer-priority').fill('300');
  await expect(page.getByTestId('field-error-priority')).toBeVisible();
  await page.getByTestId('inspector-producer-priority').fill('5');
  await expect(page.getByTestId('field-error-priority')).toBeHidden();
  await page.getByTestId('inspector-producer-count').fill('4');
  await sendButton(page).click();

  await expect(page.getByTestId('producer-result-shop')).toHaveText(
    '4 sent · routed to order.q · 2 unroutable',
  );
  await expect(page.getByTestId('producer-sent-shop')).toHaveText('4');
  await expect(page.getByTestId('queue-depth-order.q')).toHaveText('2');
  // Producer fields need no Apply: the diagram stays applied.
  await expect(page.getByTestId('apply-status')).toHaveText('Applied');
  await closeSession(page, session);
});

test('scenario 20: a reliable producer’s outbox shows confirmed rows, then failed ones when its exchange is gone', async ({
  page,
}, testInfo) => {
  const session = await openSession(page, ordersTopology());
  await select(page, 'producer-node-shop');

  await page.getByTestId('inspector-producer-reliable').check();
  await page.getByTestId('inspector-producer-outbox-timeout').fill('1000');
  await expect(page.getByTestId('inspector-producer-outbox-attempts')).toHaveValue('3');
  await page.getByTestId('inspector-producer-count').fill('3');
  await sendButton(page).click();
  await expect(page.getByTestId('producer-confirmed-shop')).toHaveText('3');

  await page.getByTestId('producer-outbox-shop').click();
  const outbox = page.getByTestId('outbox-shop');
  await expect(outbox).toBeVisible();
  const rows = outbox.locator('[data-testid^="outbox-row-"]');
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-status', 'confirmed');
  await expect(page.getByTestId('outbox-count-confirmed')).toHaveText('3 confirmed');

  // The broker refuses from now on: the exchange is deleted behind the diagram's back.
  await post(page, session, '/faults/delete', { kind: 'exchange', name: 'orders' });
  await page.getByTestId('inspector-producer-count').fill('1');
  await sendButton(page).click();
  await expect(page.getByTestId('producer-result-shop')).toContainText('failed: NOT_FOUND');

  await expect(rows).toHaveCount(4);
  const newest = rows.first();
  await expect(newest).toHaveAttribute('data-status', 'failed');
  await expect(newest.locator('[data-testid^="outbox-attempts-"]')).toHaveText('3');
  await expect(newest).toContainText("no exchange 'orders'");
  await expect(page.getByTestId('outbox-count-failed')).toHaveText('1 failed');
  await expect(page.getByTestId('node-error-shop')).toContainText('Apply');

  await outbox.screenshot({ path: testInfo.outputPath('outbox.png') });
  await page.screenshot({ path: testInfo.outputPath('outbox-canvas.png') });

  // Apply declares the exchange again, and the producer's messages are confirmed again.
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByTestId('apply-status')).toHaveText('Applied');
  await sendButton(page).click();
  await expect(page.getByTestId('producer-confirmed-shop')).toHaveText('4');
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toHaveAttribute('data-status', 'confirmed');
  await expect(page.getByTestId('node-error-shop')).toBeHidden();

  await page.getByTestId('outbox-close').click();
  await expect(outbox).toBeHidden();
  await closeSession(page, session);
});

test('continuous mode: start at 50 msg/s, stop, and the sent count equals the queue depth', async ({
  page,
  broker,
}, testInfo) => {
  // The broker's statistics lag a few seconds behind; on a busy machine more.
  test.setTimeout(90_000);
  const session = await openSession(page, ordersTopology({ ratePerSecond: 50 }));
  const sent = page.getByTestId('producer-sent-shop');

  await page.getByTestId('producer-start-shop').click();
  await expect(page.getByTestId('producer-stop-shop')).toBeVisible();
  await expect(page.getByTestId('producer-rate-shop')).toContainText('msg/s');
  await expect
    .poll(async () => Number(await sent.textContent()), { timeout: 15_000 })
    .toBeGreaterThan(60);
  await page.screenshot({ path: testInfo.outputPath('running.png') });
  await page.getByTestId('producer-stop-shop').click();
  await expect(page.getByTestId('producer-start-shop')).toBeVisible();
  await expect(page.getByTestId('producer-rate-shop')).toHaveText('stopped');

  // The counter settles once the last confirms are in; then it is the broker's count.
  let settled = -1;
  await expect
    .poll(
      async () => {
        const now = Number(await sent.textContent());
        const same = now === settled;
        settled = now;
        return same;
      },
      { intervals: [700], timeout: 10_000 },
    )
    .toBe(true);
  await expect(page.getByTestId('producer-confirmed-shop')).toHaveText(String(settled));
  await expect(page.getByTestId('queue-depth-order.q')).toHaveText(String(settled));
  await expect
    .poll(async () => (await broker.depths(session.vhost))['order.q'], { timeout: 30_000 })
    .toBe(settled);
  await closeSession(page, session);
});
