import { writeFile } from 'node:fs/promises';
import { isPng, PNG_DOCUMENT_KEYWORD, readPngText } from '@warren/diagram-image';
import { expect, test } from '../fixtures';
import { CanvasPage } from '../pages/canvas-page';
import { SavedDiagrams } from '../pages/saved-diagrams';

// Screenshots of the saved-diagram screens, for people to look at, when SHOTS_DIR names a folder.
const shots = process.env.SHOTS_DIR;
const shot = (name: string) => (shots ? { path: `${shots}/${name}.png` } : {});

test('a diagram is saved, shared, run, forked, restored, exported and opened again', async ({
  page,
  canvas,
  saved,
  browser,
  request,
}) => {
  await canvas.open();
  await canvas.add('exchange', 'exchange-1', 'orders', 'topic');
  await canvas.add('queue', 'queue-1', 'order-log');
  await canvas.connect(canvas.node('exchange', 'orders'), canvas.node('queue', 'order-log'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);

  // Save: a new diagram, revision 1, and the address names it.
  await expect(saved.status).toHaveText('Not saved');
  await saved.rename('Orders');
  await saved.save();
  await saved.expectSaved(1);
  const id = await saved.diagramId();
  await page.locator('.topbar').screenshot(shot('topbar'));

  // Another change, saved with Ctrl+S: revision 2.
  await canvas.add('queue', 'queue-1', 'audit');
  await expect(saved.status).toHaveText('Unsaved changes');
  await page.keyboard.press('Control+s');
  await saved.expectSaved(2);

  // Share: the view link and the edit link (its token only in the fragment).
  const share = await saved.openShare();
  expect(share.viewLink).toMatch(new RegExp(`/d/${id}$`));
  expect(share.editLink).toMatch(new RegExp(`/d/${id}#edit=.+`));
  await expect(share.dialog.getByRole('button', { name: 'Copy view link' })).toBeVisible();
  await expect(share.dialog.getByTestId('share-revoke')).toBeVisible();
  await page.screenshot(shot('share-dialog'));
  await share.dialog.getByRole('button', { name: 'Close' }).click();

  // The view link in another browser: read-only, with Run it and Fork.
  const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const viewer = await other.newPage();
  const viewerSaved = new SavedDiagrams(viewer);
  await viewer.goto(share.viewLink);
  await expect(viewer.getByTestId('view-bar')).toBeVisible();
  await expect(viewer.getByTestId('view-name')).toHaveText('Orders');
  await expect(viewer.getByTestId('queue-node-audit')).toBeVisible();
  await expect(viewer.getByTestId('save-button')).toHaveCount(0);
  await expect(viewer.getByTestId('palette-add-queue')).toBeDisabled();
  await viewer.getByTestId('queue-node-audit').click();
  await viewer.keyboard.press('Delete');
  await expect(viewer.getByTestId('queue-node-audit')).toBeVisible();
  await viewer.screenshot(shot('view-mode'));

  // Run it: a session of the viewer's own, running the diagram on the broker.
  await viewer.getByRole('button', { name: 'Run it' }).click();
  await expect(viewer).toHaveURL(/\?session=/);
  await expect(viewer.getByTestId('session-id')).not.toHaveText('…');
  await expect(viewer.getByTestId('queue-node-audit')).toBeVisible();
  await expect(viewer.getByTestId('apply-status')).toHaveText('Applied');
  const viewerSession = (await viewer.getByTestId('session-id').textContent())?.trim();
  expect(viewerSession).not.toBe((await page.getByTestId('session-id').textContent())?.trim());

  // Fork from the view link: a copy the viewer edits and saves; the original stays as it was.
  await viewer.goto(share.viewLink);
  await viewer.getByRole('button', { name: 'Fork' }).click();
  await expect(viewer).toHaveURL(/\?session=/);
  const forkId = await viewerSaved.diagramId();
  expect(forkId).not.toBe(id);
  expect(viewer.url()).not.toContain('#edit=');
  await viewerSaved.expectSaved(1);
  await new CanvasPage(viewer).add('queue', 'queue-1', 'fork-only');
  await viewerSaved.save();
  await viewerSaved.expectSaved(2);
  const original = await request.get(`/api/diagrams/${id}`);
  expect((await original.json()) as { revision: number }).toMatchObject({ revision: 2 });
  const fork = (await (await request.get(`/api/diagrams/${forkId}`)).json()) as {
    forkedFrom: { id: string };
    document: { queues: { name: string }[] };
  };
  expect(fork.forkedFrom.id).toBe(id);
  expect(fork.document.queues.map((q) => q.name)).toContain('fork-only');
  await other.close();

  // History: preview revision 1, restore it as revision 3.
  await saved.fromMenu('History');
  const history = page.getByRole('dialog', { name: 'History' });
  await expect(history.getByTestId('history-item-2')).toBeVisible();
  await history.getByTestId('history-item-1').click();
  await expect(history.getByTestId('history-preview')).toHaveAttribute('src', /revision=1/);
  await expect
    .poll(() =>
      history.getByTestId('history-preview').evaluate((img: HTMLImageElement) => img.naturalWidth),
    )
    .toBeGreaterThan(0);
  await page.screenshot(shot('history'));
  await history.getByRole('button', { name: 'Restore revision 1' }).click();
  await saved.expectSaved(3);
  await expect(canvas.node('queue', 'audit')).toHaveCount(0);

  // My diagrams: this browser's diagram, with its thumbnail.
  await saved.fromMenu('My diagrams');
  const mine = page.getByRole('dialog', { name: 'My diagrams' });
  const item = mine.getByTestId(`my-diagram-${id}`);
  await expect(item.getByTestId('my-diagram-name')).toContainText('Orders');
  await expect(item).toContainText('revision 3');
  await expect
    .poll(() => item.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  await page.screenshot(shot('my-diagrams'));
  await mine.getByRole('button', { name: 'Close' }).click();

  // Export: PNG and SVG carrying the document, Warren JSON, definitions.json.
  await page.getByTestId('export-open').click();
  const exportDialog = page.getByRole('dialog', { name: 'Export' });
  const png = await saved.download(exportDialog.getByTestId('export-png'));
  expect(png.name).toBe('orders.png');
  expect(isPng(png.bytes)).toBe(true);
  const inPng = JSON.parse(readPngText(png.bytes)[PNG_DOCUMENT_KEYWORD] ?? '{}') as {
    queues: { name: string }[];
  };
  expect(inPng.queues.map((q) => q.name)).toEqual(['order-log']);
  const svg = await saved.download(exportDialog.getByTestId('export-svg'));
  expect(svg.name).toBe('orders.svg');
  expect(svg.bytes.toString('utf8')).toContain('<metadata><warren:document>');
  const json = await saved.download(exportDialog.getByTestId('export-json'));
  expect(JSON.parse(json.bytes.toString('utf8'))).toMatchObject({ version: 1 });
  await exportDialog.getByTestId('export-tab-definitions').click();
  const definitions = await saved.download(exportDialog.getByTestId('export-download'));
  expect(definitions.name).toBe('definitions.json');
  expect(JSON.parse(definitions.bytes.toString('utf8'))).toMatchObject({
    exchanges: [expect.objectContaining({ name: 'orders' })],
  });
  if (shots) {
    await writeFile(`${shots}/exported.png`, png.bytes);
    await writeFile(`${shots}/exported.svg`, svg.bytes);
    await exportDialog.getByRole('checkbox', { name: 'Transparent background' }).check();
    const clear = await saved.download(exportDialog.getByTestId('export-png'));
    await writeFile(`${shots}/exported-transparent.png`, clear.bytes);
    await exportDialog.getByRole('checkbox', { name: 'Transparent background' }).uncheck();
    const svgPage = await page.context().newPage();
    await svgPage.setContent(svg.bytes.toString('utf8'));
    await svgPage
      .locator('svg')
      .first()
      .screenshot({ path: `${shots}/exported-svg.png` });
    await svgPage.close();
  }
  await exportDialog.getByRole('button', { name: 'Close' }).click();

  // Dropping the exported PNG on a fresh canvas opens the diagram again.
  await canvas.open();
  await expect(canvas.node('exchange', 'orders')).toHaveCount(0);
  await saved.dropFile('orders.png', 'image/png', png.bytes);
  await expect(canvas.node('exchange', 'orders')).toBeVisible();
  await expect(canvas.node('queue', 'order-log')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Diagram name' })).toHaveValue('orders');
  await expect(saved.status).toHaveText('Not saved');

  // A document from a newer Warren is refused with the reason.
  await saved.dropFile(
    'future.json',
    'application/json',
    Buffer.from(JSON.stringify({ ...inPng, version: 2 })),
  );
  await expect(page.getByTestId('toast-text')).toHaveText(
    'future.json: This document was saved by a newer Warren (document version 2); this Warren reads version 1. Open it with a newer Warren.',
  );
});

test('a save made from an old revision asks; revoked edit links stop; a delete can be undone', async ({
  page,
  canvas,
  saved,
  request,
}) => {
  await canvas.open();
  await canvas.add('queue', 'queue-1', 'inbox');
  await saved.rename('Shared inbox');
  await page.keyboard.press('Control+s');
  await saved.expectSaved(1);
  const id = await saved.diagramId();
  const share = await saved.openShare();
  const token = decodeURIComponent(share.editLink.split('#edit=')[1] ?? '');

  // Someone else saves revision 2 with the edit link.
  const theirs = (await (await request.get(`/api/diagrams/${id}`)).json()) as { document: object };
  const put = await request.put(`/api/diagrams/${id}`, {
    headers: { authorization: `Bearer ${token}` },
    data: { document: theirs.document, name: 'Shared inbox', baseRevision: 1 },
  });
  expect(put.status()).toBe(200);

  // Revoke: the edit link given out no longer edits; this browser keeps editing with the new one.
  await share.dialog.getByRole('button', { name: 'Revoke edit link' }).click();
  await expect(share.dialog.getByTestId('share-note')).toContainText('no longer edits');
  const renewed = await share.dialog.getByTestId('share-edit-link').inputValue();
  expect(renewed).not.toBe(share.editLink);
  const refused = await request.put(`/api/diagrams/${id}`, {
    headers: { authorization: `Bearer ${token}` },
    data: { document: theirs.document, baseRevision: 2 },
  });
  expect(refused.status()).toBe(401);
  await share.dialog.getByRole('button', { name: 'Close' }).click();

  // This canvas was made from revision 1: saving asks instead of overwriting revision 2.
  await canvas.add('queue', 'queue-1', 'mine');
  await saved.save();
  const conflict = page.getByRole('dialog', { name: 'Someone saved this diagram meanwhile' });
  await expect(conflict).toContainText('revision 2 now; your changes were made on revision 1');
  await page.screenshot(shot('conflict'));
  await conflict.getByRole('button', { name: 'Save mine as a copy' }).click();
  await saved.expectSaved(2);
  const copyId = await saved.diagramId();
  expect(copyId).not.toBe(id);
  await expect(page.getByRole('textbox', { name: 'Diagram name' })).toHaveValue(
    'Shared inbox (copy)',
  );
  const original = (await (await request.get(`/api/diagrams/${id}`)).json()) as {
    revision: number;
  };
  expect(original.revision).toBe(2);

  // My diagrams: delete, then undo; the diagram is still on the server.
  await saved.fromMenu('My diagrams');
  const mine = page.getByRole('dialog', { name: 'My diagrams' });
  await expect(mine.getByTestId(`my-diagram-${id}`)).toBeVisible();
  await mine.getByTestId(`my-diagram-${id}`).getByRole('button', { name: 'Delete' }).click();
  await expect(mine.getByTestId(`my-diagram-${id}`)).toHaveCount(0);
  await page.getByTestId('toast-undo').click();
  await expect(mine.getByTestId(`my-diagram-${id}`)).toBeVisible();
  expect((await request.get(`/api/diagrams/${id}`)).status()).toBe(200);

  // Rename from the list: a new revision with the new name.
  const card = mine.getByTestId(`my-diagram-${id}`);
  await card.getByRole('button', { name: 'Rename' }).click();
  await card.getByRole('textbox', { name: 'New name' }).fill('Team inbox');
  await card.getByRole('textbox', { name: 'New name' }).press('Enter');
  await expect(card.getByTestId('my-diagram-name')).toHaveText('Team inbox');
  await expect(card).toContainText('revision 3');
});

test('an edit link opens the diagram for editing in this browser, and the token leaves the address', async ({
  page,
  canvas,
  saved,
  request,
}) => {
  // Saved over the API with the defaults left out, as a script would.
  const created = await request.post('/api/diagrams', {
    data: {
      name: 'Scripted',
      document: { version: 1, queues: [{ id: 'q1', name: 'jobs' }] },
    },
  });
  expect(created.status()).toBe(201);
  const { id, editUrl } = (await created.json()) as { id: string; editUrl: string };

  await page.goto(editUrl);
  await expect(page).toHaveURL(new RegExp(`/d/${id}\\?session=`));
  expect(page.url()).not.toContain('#edit=');
  await expect(canvas.node('queue', 'jobs')).toBeVisible();
  await saved.expectSaved(1);

  await canvas.add('queue', 'queue-1', 'done');
  await page.keyboard.press('Control+s');
  await saved.expectSaved(2);

  // A reload keeps the session and saves on from revision 2. The save did not Apply, so the
  // saved queue is there to apply.
  await page.reload();
  await expect(canvas.node('queue', 'done')).toBeVisible();
  await saved.expectSaved(2);
  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');
  await saved.fromMenu('My diagrams');
  await expect(page.getByTestId(`my-diagram-${id}`)).toContainText('Scripted');
});
