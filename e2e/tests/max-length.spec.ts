import { expect, test } from '../fixtures';

/**
 * Scenario 16, max length overflow: a queue holding at most three messages drops the oldest to
 * its dead-letter exchange (x-death reason maxlen); switched to reject-publish it refuses new
 * messages instead, and a producer with publisher confirms gets a nack for each.
 */
test('scenario 16: drop-head dead-letters the oldest with reason maxlen; reject-publish nacks the publisher', async ({
  canvas,
  lesson,
  broker,
  vhost,
  producers,
  page,
}, testInfo) => {
  await lesson.drawPipeline({
    producer: { name: 'sensor', at: [262, 150] },
    exchange: { name: 'readings', type: 'fanout', at: [540, 190] },
    queue: { name: 'latest', at: [800, 170] },
    lanes: [
      {
        exchange: { name: 'overflow.x', type: 'fanout', at: [620, 450] },
        queue: { name: 'overflow', at: [860, 430] },
      },
    ],
    // No consumers out to the right: the diagram fits at the zoom it is drawn at.
    fitView: false,
  });

  // Three messages at most; when a fourth comes, the oldest goes to the dead-letter exchange.
  await canvas.setQueueArguments('latest', {
    'x-max-length': 3,
    'x-overflow': 'drop-head',
    'x-dead-letter-exchange': 'overflow.x',
  });
  const badges = page.getByTestId('queue-badges-latest');
  await expect(badges.locator('[data-badge=max-length]')).toHaveText('max 3');
  await expect(page.getByTestId('dead-letter-edge-latest-overflow.x')).toBeVisible();
  await canvas.apply();

  await producers.sendMessage('sensor', '', 'reading {{n}}', 5);
  await expect(producers.result('sensor')).toHaveText('5 sent · routed to latest');
  await expect(producers.counter('sensor', 'confirmed')).toHaveText('5');
  await expect(canvas.depth('latest')).toHaveText('3', { timeout: 15_000 });
  await expect(canvas.depth('overflow')).toHaveText('2', { timeout: 15_000 });
  // The queue's own log says why they left.
  await page.getByTestId('queue-node-latest').click();
  const log = page.getByTestId('inspector-queue-log');
  await expect(log.locator('.fate-log__row--dead-lettered')).toHaveCount(2);
  await expect(log).toContainText('maxlen');

  // On the broker: the newest three stay, the oldest two were dead-lettered for length.
  const kept = await broker.peek(vhost, 'latest', 10);
  expect(kept.map((m) => m.payload)).toEqual(['reading 3', 'reading 4', 'reading 5']);
  const dropped = await broker.peek(vhost, 'overflow', 10);
  expect(dropped.map((m) => m.payload)).toEqual(['reading 1', 'reading 2']);
  for (const message of dropped)
    expect(message.properties.headers?.['x-death']?.[0]).toMatchObject({
      reason: 'maxlen',
      queue: 'latest',
      exchange: 'readings',
    });

  // reject-publish: the broker refuses to change a declared queue's arguments, so the queue
  // is deleted and declared again from the list of problems (its messages go with it).
  await canvas.setQueueArguments('latest', { 'x-overflow': 'reject-publish' });
  await expect(badges.locator('[data-badge=max-length]')).toHaveText('max 3 · reject');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByTestId('apply-status')).toHaveText('Apply failed');
  await expect(page.getByTestId('apply-errors')).toContainText('latest');
  await page.getByRole('button', { name: 'Delete and re-declare them' }).click();
  await expect(page.getByTestId('apply-status')).toHaveText('Applied');
  await expect(canvas.depth('latest')).toHaveText('0', { timeout: 15_000 });
  expect((await broker.queue(vhost, 'latest')).arguments).toMatchObject({
    'x-max-length': 3,
    'x-overflow': 'reject-publish',
  });

  // Five more: three fit, the broker nacks the other two and keeps nothing of them.
  await producers.select('sensor');
  await producers.send(5);
  await expect(producers.result('sensor')).toContainText('2 nacked');
  await expect(producers.counter('sensor', 'nacked')).toHaveText('2');
  await expect(producers.counter('sensor', 'confirmed')).toHaveText('8');
  await expect(producers.counter('sensor', 'sent')).toHaveText('10');
  await expect(canvas.depth('latest')).toHaveText('3', { timeout: 15_000 });
  await expect(canvas.depth('overflow')).toHaveText('2');
  await page.screenshot({ path: testInfo.outputPath('max-length-nacked.png') });
  expect(await broker.readyCount(vhost, 'overflow')).toBe(2);
  const accepted = await broker.peek(vhost, 'latest', 10);
  expect(accepted.map((m) => m.payload)).toEqual(['reading 6', 'reading 7', 'reading 8']);
});
