import { expect, test } from '../fixtures';
import { ConsumersPage } from '../pages/consumers';

/**
 * Scenario 14, dead-letter on reject: a consumer that fails every message and rejects it
 * without requeue sends it to the queue's dead-letter exchange, and the broker's x-death
 * header says why.
 */
test('a consumer that rejects every message fills the dead-letter queue', async ({
  canvas,
  broker,
  vhost,
  page,
}, testInfo) => {
  const consumers = new ConsumersPage(page);
  const inspector = page.getByRole('complementary', { name: 'Inspector' });

  test.setTimeout(120_000);
  await canvas.add('producer', 'producer-1', 'app');
  await canvas.add('exchange', 'exchange-1', 'tasks', 'direct');
  await canvas.add('queue', 'queue-1', 'work');
  await canvas.add('exchange', 'exchange-1', 'dlx', 'fanout');
  await canvas.add('queue', 'queue-1', 'dlq');
  await consumers.deselect();
  await canvas.add('consumer', 'consumer-1', 'worker');

  await canvas.connect(canvas.node('producer', 'app'), canvas.node('exchange', 'tasks'));
  await canvas.connect(canvas.node('exchange', 'tasks'), canvas.node('queue', 'work'));
  await canvas.connect(canvas.node('exchange', 'dlx'), canvas.node('queue', 'dlq'));
  // The consumer reads the work queue: a drag from the queue's right dot.
  await canvas.connect(canvas.node('queue', 'work'), consumers.node('worker'));
  await expect(consumers.node('worker')).toContainText('from work');
  await canvas.setBindingKey('tasks', 'work', 'work');

  await canvas.moveNode(canvas.node('producer', 'app'), 262, 96);
  await canvas.moveNode(canvas.node('exchange', 'tasks'), 530, 150);
  await canvas.moveNode(canvas.node('queue', 'work'), 770, 126);
  await canvas.moveNode(consumers.node('worker'), 1064, 100);
  await canvas.moveNode(canvas.node('exchange', 'dlx'), 640, 430);
  await canvas.moveNode(canvas.node('queue', 'dlq'), 900, 408);
  // The consumer sticks out under the inspector until the view fits the diagram.
  await consumers.fitView();

  await canvas.node('queue', 'work').click();
  await inspector.getByTestId('inspector-arg-x-dead-letter-exchange').selectOption('dlx');
  await expect(page.getByTestId('dead-letter-edge-work-dlx')).toBeVisible();

  // Every message fails, and a failure is a reject without requeue.
  await consumers.configure('worker', {
    processingMs: 300,
    failureRatePercent: 100,
    onFailure: 'reject',
  });
  await expect(inspector.getByTestId('inspector-consumer-dlx')).toContainText(
    'dead-letters to dlx',
  );
  await expect(page.getByTestId('consumer-settings-worker')).toContainText('100% fail → reject');
  await expect(page.getByTestId('apply-status')).toHaveText('Unapplied changes');
  await canvas.apply();
  await expect(consumers.status('worker')).toHaveText('running');

  await page.getByTestId('producer-routing-key-app').fill('work');
  for (let i = 1; i <= 3; i++) {
    await page.getByTestId('producer-payload-app').fill(`task ${i}`);
    await page.getByTestId('producer-send-app').click();
    await expect(page.getByTestId('producer-result-app')).toContainText('work');
  }
  // Dots are animation and may be sampled, so the test reads the exact counters instead.
  // Exact counters from the consumer, and the dead-letter queue as the broker reports it.
  await expect(consumers.counter('worker', 'rejected')).toHaveText('3', { timeout: 15_000 });
  await expect(consumers.counter('worker', 'received')).toHaveText('3');
  await expect(consumers.counter('worker', 'acked')).toHaveText('0');
  await expect(consumers.counter('worker', 'inflight')).toHaveText('0');
  await expect(canvas.depth('dlq')).toHaveText('3', { timeout: 20_000 });
  await expect(canvas.depth('work')).toHaveText('0');
  await expect
    .poll(() => broker.depths(vhost), { timeout: 20_000 })
    .toMatchObject({ work: 0, dlq: 3 });
  const dead = await broker.peek(vhost, 'dlq', 3);
  expect(dead.map((m) => m.payload).sort()).toEqual(['task 1', 'task 2', 'task 3']);
  for (const message of dead)
    expect(message.properties.headers?.['x-death']?.[0]).toMatchObject({
      reason: 'rejected',
      queue: 'work',
    });

  // What the consumer did, message by message, in its inspector.
  await consumers.node('worker').locator('.node__header').click();
  await expect(inspector.getByTestId('inspector-consumer-log')).toContainText('rejected');
  // Tall enough for the whole inspector, the log at its end included.
  const height = await inspector.evaluate((el) => el.scrollHeight);
  await page.setViewportSize({ width: 1440, height: height + 56 });
  const inspectorShot = testInfo.outputPath('consumer-inspector.png');
  await inspector.screenshot({ path: inspectorShot });
  await page.setViewportSize({ width: 1440, height: 900 });
  await testInfo.attach('consumer inspector', { path: inspectorShot, contentType: 'image/png' });
  const canvasShot = testInfo.outputPath('canvas-consumer-reject.png');
  await page.screenshot({ path: canvasShot });
  await testInfo.attach('canvas', { path: canvasShot, contentType: 'image/png' });
});
