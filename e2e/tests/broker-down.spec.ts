import { expect, test } from '../fixtures';

const downPort = Number(process.env.E2E_PORT ?? 8181) + 1;

test('a server without a broker says so plainly and how to start one', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${downPort}/`);
  const banner = page.getByTestId('broker-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(/RabbitMQ/);
  await expect(banner).toContainText(/rabbitmq-server|docker compose/);
  // The canvas still works for drawing.
  await page.getByTestId('palette-add-queue').click();
  await expect(page.getByTestId('queue-node-queue-1')).toBeVisible();
});
