import type { Topology } from '@warren/topology';
import { expect, test } from '../fixtures';
import { closeSession, openSession, post } from './producers-session';

/**
 * Teaching on a projector: the animation slows down and pauses while counts keep counting,
 * the theme follows the system or the reader's choice (remembered), presentation mode hides
 * the palette and the inspector, and queues and exchanges show their last minute of traffic.
 * Screenshots of the light, dark and presentation views are attached to the report.
 */

function lessonTopology(): Topology {
  const queue = (id: string, name: string, y: number) => ({
    id,
    name,
    durable: true,
    exclusive: false,
    autoDelete: false,
    position: { x: 720, y },
  });
  return {
    version: 1,
    exchanges: [
      {
        id: 'x-orders',
        name: 'orders',
        type: 'topic',
        durable: true,
        autoDelete: false,
        internal: false,
        position: { x: 380, y: 180 },
      },
    ],
    queues: [queue('q-eu', 'order.eu', 60), queue('q-all', 'order.all', 300)],
    bindings: [
      {
        id: 'b-eu',
        source: 'orders',
        destination: 'order.eu',
        destinationType: 'queue',
        routingKey: 'order.eu.*',
      },
      {
        id: 'b-all',
        source: 'orders',
        destination: 'order.all',
        destinationType: 'queue',
        routingKey: 'order.#',
      },
    ],
    producers: [
      {
        id: 'p-shop',
        name: 'shop',
        exchange: 'orders',
        routingKey: 'order.eu.created',
        payload: '{"order": {{n}}}',
        mandatory: false,
        ratePerSecond: 4,
        position: { x: 40, y: 150 },
      },
    ],
    consumers: [
      {
        id: 'c-billing',
        name: 'billing',
        queue: 'order.all',
        prefetch: 10,
        autoAck: false,
        processingMs: { min: 400, max: 400 },
        position: { x: 1040, y: 300 },
      },
    ],
  };
}

test('speed, pause, dark theme and presentation mode', async ({ page }, testInfo) => {
  // A long story on a shared machine: several phases of a running producer.
  test.setTimeout(240_000);
  await page.emulateMedia({ colorScheme: 'light' });
  const session = await openSession(page, lessonTopology());
  const root = page.locator('html');
  const layer = page.getByTestId('message-layer');
  const inFlight = async () => Number(await layer.getAttribute('data-in-flight'));
  const published = page.getByTestId('exchange-published-orders');
  const shot = async (name: string) => {
    const path = testInfo.outputPath(`${name}.png`);
    await page.screenshot({ path });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  };
  try {
    // No choice made yet: the theme follows the system, also when the system changes.
    await expect(root).toHaveAttribute('data-theme', 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(root).toHaveAttribute('data-theme', 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(root).toHaveAttribute('data-theme', 'light');

    await post(page, session, '/producers/p-shop/start');
    await expect(page.getByTestId('consumer-received-billing')).not.toHaveText('0');

    // Slower: the dots take four times as long, so more of them are on their way at once.
    const quarter = page.getByRole('button', { name: 'Animation at ¼× speed' });
    await quarter.click();
    await expect(quarter).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('speed-1')).toHaveAttribute('aria-pressed', 'false');
    await expect.poll(inFlight).toBeGreaterThan(0);

    // Paused: dots stand still and none arrives, while the exchange keeps counting.
    await page.getByRole('button', { name: 'Pause animation' }).click();
    await expect(page.getByTestId('pause-animation')).toHaveText('Resume');
    const frozen = await inFlight();
    const countBefore = Number((await published.textContent())?.replace(/,/g, ''));
    await expect
      .poll(async () => Number((await published.textContent())?.replace(/,/g, '')))
      .toBeGreaterThan(countBefore + 3);
    expect(await inFlight()).toBeGreaterThanOrEqual(frozen);
    await page.getByRole('button', { name: 'Resume animation' }).click();
    await page.getByTestId('speed-1').click();
    await expect(page.getByTestId('pause-animation')).toHaveText('Pause');

    // The last minute of traffic: a depth sparkline on queues, rates on the exchange.
    await expect
      .poll(async () =>
        Number(await page.getByTestId('queue-sparkline-order.eu').getAttribute('data-samples')),
      )
      .toBeGreaterThanOrEqual(4);
    await expect(page.getByTestId('exchange-rate-in-orders')).not.toHaveText('0');
    await expect(page.getByTestId('exchange-rate-out-orders')).not.toHaveText('0');

    await page.getByTestId('queue-node-order.eu').locator('.node__header').click();
    await shot('light');

    // Dark, by choice: it stays dark after a reload, whatever the system says.
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect(root).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('button', { name: 'Light theme' })).toBeVisible();
    await page.reload();
    await expect(root).toHaveAttribute('data-theme', 'dark');
    await expect
      .poll(async () =>
        Number(await page.getByTestId('queue-sparkline-order.eu').getAttribute('data-samples')),
      )
      .toBeGreaterThanOrEqual(4);
    await page.getByTestId('queue-node-order.eu').locator('.node__header').click();
    await shot('dark');

    // Presentation: one key, not while typing; palette and inspector go away.
    const palette = page.getByRole('navigation', { name: 'Add to the diagram' });
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await page.getByRole('button', { name: 'Light theme' }).click();
    await page.locator('.react-flow__pane').click({ position: { x: 60, y: 560 } });
    await page.keyboard.press('p');
    await expect(root).toHaveAttribute('data-presentation', 'on');
    await expect(palette).toBeHidden();
    await expect(inspector).toBeHidden();
    await page.getByRole('button', { name: 'Fit View' }).click();
    await shot('presentation');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await shot('presentation-dark');
    await page.getByRole('button', { name: 'Leave presentation' }).click();
    await expect(root).not.toHaveAttribute('data-presentation', 'on');
    await expect(palette).toBeVisible();

    // Typing a "p" into a field types it.
    const key = page.getByTestId('producer-node-shop').locator('input').first();
    await key.click();
    await page.keyboard.press('End');
    await page.keyboard.press('p');
    await expect(key).toHaveValue(/p$/);
    await expect(root).not.toHaveAttribute('data-presentation', 'on');
  } finally {
    await post(page, session, '/producers/p-shop/stop').catch(() => undefined);
    await closeSession(page, session);
  }
});
