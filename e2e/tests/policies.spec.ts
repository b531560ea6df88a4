import { expect, test } from '../fixtures';

/** A policy gives a queue a message TTL without redeclaring it; the inspector shows it in force. */
test('a policy sets message-ttl on ^work$, on the broker and in the inspector', async ({
  canvas,
  broker,
  vhost,
  page,
}, testInfo) => {
  await canvas.add('queue', 'queue-1', 'work');
  await canvas.add('queue', 'queue-1', 'work-archive');
  // Left of the canvas, so the policies panel on the right leaves them in view.
  await canvas.moveNode(canvas.node('queue', 'work'), 290, 140);
  await canvas.moveNode(canvas.node('queue', 'work-archive'), 290, 330);

  await page.getByRole('button', { name: 'Policies', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Policies' });
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: '+ Add policy' }).click();
  await panel.getByTestId('policy-name-0').fill('short-ttl');
  await panel.getByTestId('policy-pattern-0').fill('^work$');
  await panel.getByTestId('policy-apply-to-0').selectOption('queues');
  await panel.getByTestId('policy-add-key-0').selectOption('message-ttl');
  await panel.getByTestId('policy-def-0-message-ttl').fill('5000');

  // The pattern is anchored: work-archive does not match.
  const matches = panel.getByTestId('policy-matches-short-ttl');
  await expect(matches.getByRole('button', { name: 'work', exact: true })).toBeVisible();
  await expect(matches).not.toContainText('work-archive');
  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');
  await canvas.apply();

  expect(await broker.policies(vhost)).toEqual([
    expect.objectContaining({
      name: 'short-ttl',
      pattern: '^work$',
      'apply-to': 'queues',
      priority: 0,
      definition: { 'message-ttl': 5000 },
    }),
  ]);
  await expect
    .poll(async () => (await broker.queue(vhost, 'work')).policy, { timeout: 15_000 })
    .toBe('short-ttl');
  expect((await broker.queue(vhost, 'work')).arguments).toEqual({});

  // The inspector shows the TTL in force and where it comes from.
  await matches.getByRole('button', { name: 'work', exact: true }).click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const effective = inspector.getByTestId('inspector-effective-x-message-ttl');
  await expect(effective).toContainText('5000 ms');
  await expect(effective).toContainText('from policy short-ttl');
  await expect(page.getByTestId('queue-badges-work')).toContainText('TTL 5 s');
  const shot = testInfo.outputPath('policies-panel.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('policies', { path: shot, contentType: 'image/png' });

  // With an argument of its own the lower TTL wins, whichever sets it.
  await inspector.getByTestId('inspector-arg-x-message-ttl').fill('60000');
  await expect(effective).toContainText('5000 ms');
  await expect(effective).toContainText('the lower of the two wins');
  await inspector.getByTestId('inspector-arg-x-message-ttl').fill('');
  await expect(page.getByTestId('apply-status')).toHaveText('Applied');
});
