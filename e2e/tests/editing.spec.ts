import { expect, test } from '../fixtures';
import { EditingPage } from '../pages/editing';

/**
 * Editing as in any diagram tool: undo and redo of every change, copy and paste of a selection
 * with the binding inside it, duplicate, box and Shift-click selection, delete, align and
 * arrow-key nudging, on the real server and broker.
 */
test('undo, redo, copy and paste with a binding, and duplicate, then Apply', async ({
  canvas,
  broker,
  page,
  vhost,
}, testInfo) => {
  const edit = new EditingPage(page);
  await expect(edit.undoButton).toBeDisabled();
  await expect(edit.redoButton).toBeDisabled();

  await canvas.add('exchange', 'exchange-1', 'orders', 'topic');
  await canvas.add('queue', 'queue-1', 'orders.eu');
  await canvas.arrange([
    [canvas.node('exchange', 'orders'), 420, 220],
    [canvas.node('queue', 'orders.eu'), 760, 220],
  ]);
  await canvas.connect(canvas.node('exchange', 'orders'), canvas.node('queue', 'orders.eu'));
  await canvas.setBindingKey('orders', 'orders.eu', 'order.eu.*');
  await expect(edit.undoButton).toBeEnabled();

  // Ctrl+Z takes the key back, Ctrl+Shift+Z and Ctrl+Y bring it back again.
  const label = page.getByTestId('binding-label-orders-orders.eu');
  await edit.click(canvas.node('queue', 'orders.eu'));
  await edit.shortcut('Z');
  await expect(label).not.toHaveText('order.eu.*');
  await expect(edit.redoButton).toBeEnabled();
  await edit.shortcut('Shift+Z');
  await expect(label).toHaveText('order.eu.*');
  await edit.undoButton.click();
  await expect(label).not.toHaveText('order.eu.*');
  await edit.shortcut('Y');
  await expect(label).toHaveText('order.eu.*');
  await expect(edit.redoButton).toBeDisabled();

  // Both nodes, Shift-clicked, copied and pasted: new names, the binding with its key.
  await edit.click(canvas.node('exchange', 'orders'));
  await edit.click(canvas.node('queue', 'orders.eu'), true);
  await expect(edit.selectionCount).toHaveText('2 selected');
  await edit.shortcut('C');
  await edit.shortcut('V');
  await expect(canvas.node('exchange', 'orders-copy')).toBeVisible();
  await expect(canvas.node('queue', 'orders.eu-copy')).toBeVisible();
  await expect(page.getByTestId('binding-label-orders-copy-orders.eu-copy')).toHaveText(
    'order.eu.*',
  );
  // The copies are selected and lie below the originals, clear of them.
  await expect(canvas.node('exchange', 'orders-copy')).toHaveClass(/is-selected/);
  const original = await canvas.node('queue', 'orders.eu').boundingBox();
  const copy = await edit.corner(canvas.node('queue', 'orders.eu-copy'));
  expect(copy.y).toBeGreaterThan((original?.y ?? 0) + (original?.height ?? 0));

  // Ctrl+D duplicates the pasted pair.
  await edit.shortcut('D');
  await expect(canvas.node('exchange', 'orders-copy-2')).toBeVisible();
  await expect(page.getByTestId('binding-label-orders-copy-2-orders.eu-copy-2')).toHaveText(
    'order.eu.*',
  );
  // Undo takes the whole duplicate back in one step; Redo brings it again.
  await edit.undoButton.click();
  await expect(canvas.node('exchange', 'orders-copy-2')).toHaveCount(0);
  await expect(canvas.node('queue', 'orders.eu-copy-2')).toHaveCount(0);
  await edit.redoButton.click();
  await expect(canvas.node('queue', 'orders.eu-copy-2')).toBeVisible();

  // Apply declares the copies like any drawn object (given time on a loaded machine).
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByTestId('apply-status')).toHaveText('Applied', { timeout: 60_000 });
  const exchanges = (await broker.exchanges(vhost)).map((x) => x.name);
  expect(exchanges).toEqual(expect.arrayContaining(['orders', 'orders-copy', 'orders-copy-2']));
  const bindings = (await broker.bindings(vhost))
    .filter((b) => b.source.startsWith('orders'))
    .map((b) => `${b.source} -> ${b.destination} (${b.routing_key})`)
    .sort();
  expect(bindings).toEqual([
    'orders -> orders.eu (order.eu.*)',
    'orders-copy -> orders.eu-copy (order.eu.*)',
    'orders-copy-2 -> orders.eu-copy-2 (order.eu.*)',
  ]);
  await page.screenshot({ path: testInfo.outputPath('editing-paste.png') });

  // The history outlives Apply: an Undo now is a change Apply would send.
  await edit.undoButton.click();
  await expect(canvas.node('exchange', 'orders-copy-2')).toHaveCount(0);
  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');
});

test('box and Shift-click selection, delete, align and nudge, each one undo step', async ({
  canvas,
  page,
  vhost: _vhost,
}, testInfo) => {
  const edit = new EditingPage(page);
  await canvas.add('queue', 'queue-1', 'alpha');
  // The next new queue takes the smallest free number again.
  await canvas.add('queue', 'queue-1', 'beta');
  await canvas.add('queue', 'queue-1', 'gamma');
  const [alpha, beta, gamma] = ['alpha', 'beta', 'gamma'].map((n) => canvas.node('queue', n));
  await canvas.arrange([
    [alpha!, 420, 200],
    [beta!, 700, 260],
    [gamma!, 560, 560],
  ]);

  // A box drawn with Shift held around alpha and beta selects both, and only them.
  const a = await alpha!.boundingBox();
  const b = await beta!.boundingBox();
  if (!a || !b) throw new Error('nodes not visible');
  await edit.boxSelect(
    { x: a.x - 30, y: a.y - 30 },
    { x: b.x + b.width + 30, y: b.y + b.height + 30 },
  );
  await expect(edit.selectionCount).toHaveText('2 selected');
  await expect(alpha!).toHaveClass(/is-selected/);
  await expect(gamma!).not.toHaveClass(/is-selected/);

  // Dragging the selection moves both; one Undo puts both back.
  const alphaAt = await edit.corner(alpha!);
  const betaAt = await edit.corner(beta!);
  await edit.dragSelection(60, 80);
  const moved = await edit.corner(alpha!);
  expect(moved.x - alphaAt.x).toBeGreaterThan(30);
  expect(moved.y - alphaAt.y).toBeGreaterThan(40);
  await edit.expectCorner(beta!, {
    x: betaAt.x + moved.x - alphaAt.x,
    y: betaAt.y + moved.y - alphaAt.y,
  });
  await edit.undoButton.click();
  await edit.expectCorner(alpha!, alphaAt);
  await edit.expectCorner(beta!, betaAt);
  await expect(beta!).toHaveClass(/is-selected/);

  // Delete removes both; one Undo brings both back.
  await page.keyboard.press('Delete');
  await expect(alpha!).toHaveCount(0);
  await expect(beta!).toHaveCount(0);
  await expect(gamma!).toBeVisible();
  await edit.undoButton.click();
  await expect(alpha!).toBeVisible();
  await expect(beta!).toBeVisible();

  // Shift-click picks alpha and beta, then alpha and gamma: Align top, Align left.
  await edit.click(alpha!);
  await edit.click(beta!, true);
  await expect(edit.selectionCount).toHaveText('2 selected');
  const top = await edit.corner(alpha!);
  await edit.align('Align top');
  await edit.expectCorner(beta!, { y: top.y });
  await edit.clearSelection();
  await edit.click(alpha!);
  await edit.click(gamma!, true);
  await expect(edit.selectionCount).toHaveText('2 selected');
  const gammaBefore = await edit.corner(gamma!);
  const left = Math.min(top.x, gammaBefore.x);
  await edit.align('Align left');
  await edit.expectCorner(gamma!, { x: left, y: gammaBefore.y });
  await edit.expectCorner(alpha!, { x: left, y: top.y });
  await page.screenshot({ path: testInfo.outputPath('editing-align.png') });
  // Undo takes the last alignment back only; Redo does it again.
  await edit.undoButton.click();
  await edit.expectCorner(gamma!, gammaBefore);
  await edit.expectCorner(beta!, { y: top.y });
  await edit.redoButton.click();
  await edit.expectCorner(gamma!, { x: left, y: gammaBefore.y });

  // Arrow keys nudge the selected node; Shift makes a bigger step; one Undo takes the run back.
  await edit.click(beta!);
  await expect(edit.selectionCount).toBeHidden();
  await expect(beta!).toHaveClass(/is-selected/);
  const before = await edit.corner(beta!);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const small = await edit.corner(beta!);
  expect(small.x).toBeGreaterThan(before.x);
  await page.keyboard.press('Shift+ArrowDown');
  const big = await edit.corner(beta!);
  expect(big.y - before.y).toBeGreaterThan(small.x - before.x);
  await edit.shortcut('Z');
  await edit.expectCorner(beta!, before);

  // While typing in a field, Delete and Ctrl+Z belong to the field.
  const name = canvas.inspector.getByRole('textbox', { name: 'Name', exact: true });
  const gammaAt = await edit.corner(gamma!);
  await name.click();
  await name.press('End');
  await name.press('Delete');
  await name.press('Control+z');
  await expect(beta!).toBeVisible();
  await expect(name).toHaveValue('beta');
  expect(await edit.corner(gamma!)).toEqual(gammaAt);

  // Snap to grid is a labelled toggle, and this browser remembers it.
  const snap = page.getByRole('button', { name: 'Snap to grid' });
  await snap.click();
  await expect(snap).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Snap to grid' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});
