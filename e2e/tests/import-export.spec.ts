import { expect, test } from '../fixtures';
import { ImportExportDialogs } from '../pages/import-export';

/**
 * An engineer brings a definitions.json from a real broker: picks one vhost of a full export,
 * sees what could not come along, applies it, and takes it back out as code or definitions.
 */
test('import a full export, pick a vhost, apply it, export code and definitions', async ({
  canvas,
  broker,
  vhost,
  page,
}, testInfo) => {
  const dialogs = new ImportExportDialogs(page);

  await dialogs.openImport('definitions-two-vhosts.json');
  const pick = page.getByTestId('import-vhost');
  await expect(pick).toBeVisible();
  await expect(
    dialogs.importDialog.getByRole('button', { name: 'Import to canvas' }),
  ).toBeDisabled();
  await pick.selectOption('shop');
  await expect(page.getByTestId('import-summary')).toContainText('2 exchanges');
  await expect(page.getByTestId('import-summary')).toContainText('3 queues');
  await expect(page.getByTestId('import-summary')).toContainText('4 bindings');
  const notImported = page.getByTestId('import-not-imported');
  await expect(notImported).toContainText('shop.later');
  await expect(notImported).toContainText('warehouse');
  const importShot = testInfo.outputPath('import-dialog.png');
  await page.screenshot({ path: importShot });
  await testInfo.attach('import dialog', { path: importShot, contentType: 'image/png' });

  await dialogs.importDialog.getByRole('button', { name: 'Import to canvas' }).click();
  await expect(dialogs.importDialog).toBeHidden();

  // Laid out left to right: exchanges, then the queues they feed.
  const orders = canvas.node('exchange', 'shop.orders');
  const events = canvas.node('exchange', 'shop.events');
  await expect(orders).toBeVisible();
  await expect(events).toBeVisible();
  for (const queue of ['orders.paid', 'orders.all', 'audit'])
    await expect(canvas.node('queue', queue)).toBeVisible();
  const x = async (name: string, kind: 'exchange' | 'queue') =>
    (await canvas.node(kind, name).boundingBox())?.x ?? Number.NaN;
  expect(await x('shop.orders', 'exchange')).toBeLessThan(await x('orders.paid', 'queue'));
  expect(await x('shop.events', 'exchange')).toBeLessThan(await x('audit', 'queue'));
  await expect(page.getByTestId('binding-label-shop.orders-orders.all')).toHaveText('order.#');

  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');
  await canvas.apply();
  const exchanges = await broker.exchanges(vhost);
  expect(exchanges.find((e) => e.name === 'shop.orders')?.type).toBe('topic');
  expect(exchanges.find((e) => e.name === 'shop.events')?.type).toBe('fanout');
  expect(exchanges.some((e) => e.name === 'shop.later')).toBe(false);
  // Warren's own firehose queue is bound in the vhost too; only the diagram's bindings count.
  const bindings = (await broker.bindings(vhost)).filter((b) => b.source.startsWith('shop.'));
  expect(bindings.map((b) => `${b.source} ${b.destination} ${b.routing_key}`).sort()).toEqual([
    'shop.events audit ',
    'shop.orders orders.all order.#',
    'shop.orders orders.paid order.paid',
    'shop.orders shop.events order.*.critical',
  ]);
  const queues = Object.keys(await broker.depths(vhost)).filter((q) => !q.startsWith('amq.'));
  expect(queues.sort()).toEqual(['audit', 'orders.all', 'orders.paid']);

  // Code: the amqplib tab declares the same exchanges.
  await dialogs.openExport();
  await dialogs.exportDialog.getByRole('tab', { name: /^amqplib/ }).click();
  const code = page.getByTestId('export-code');
  await expect(code).toContainText('shop.orders');
  await expect(code).toContainText('shop.events');
  await expect(code).toContainText('order.*.critical');
  const exportShot = testInfo.outputPath('export-dialog.png');
  await page.screenshot({ path: exportShot });
  await testInfo.attach('export dialog', { path: exportShot, contentType: 'image/png' });

  // Definitions: downloaded as a file RabbitMQ can import again.
  await dialogs.exportDialog.getByRole('tab', { name: /^definitions\.json/ }).click();
  await expect(code).toContainText('"exchanges"');
  const file = await dialogs.download();
  expect(file.name).toBe('definitions.json');
  const definitions = JSON.parse(file.text) as {
    exchanges: { name: string; type: string }[];
    queues: { name: string }[];
    bindings: {
      source: string;
      destination: string;
      destination_type: string;
      routing_key: string;
    }[];
  };
  expect(definitions.exchanges.map((e) => `${e.name} ${e.type}`).sort()).toEqual([
    'shop.events fanout',
    'shop.orders topic',
  ]);
  expect(definitions.queues.map((q) => q.name).sort()).toEqual([
    'audit',
    'orders.all',
    'orders.paid',
  ]);
  expect(definitions.bindings).toContainEqual(
    expect.objectContaining({
      source: 'shop.orders',
      destination: 'shop.events',
      destination_type: 'exchange',
      routing_key: 'order.*.critical',
    }),
  );
});
