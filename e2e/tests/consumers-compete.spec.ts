import { expect, test } from '../fixtures';
import { ConsumersPage } from '../pages/consumers';

/**
 * Scenario 2, a work queue with competing consumers: two consumers share one queue, each
 * message goes to exactly one of them, and a consumer killed mid-flight gives its unacked
 * messages back to the queue.
 */
test('two consumers compete for one queue; a killed one gives its messages back', async ({
  canvas,
  broker,
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const sessionId = await canvas.open();
  const vhost = `warren-e2e-${sessionId}`;
  const consumers = new ConsumersPage(page);

  await canvas.add('producer', 'producer-1', 'app');
  await canvas.add('exchange', 'exchange-1', 'tasks', 'direct');
  await canvas.add('queue', 'queue-1', 'work');
  // Added while the queue is selected, a consumer reads from it at once.
  await canvas.add('consumer', 'consumer-1', 'fast');
  await expect(consumers.node('fast')).toContainText('from work');
  await canvas.node('queue', 'work').click();
  await canvas.add('consumer', 'consumer-1', 'slow');
  await expect(consumers.node('slow')).toContainText('from work');

  await canvas.connect(canvas.node('producer', 'app'), canvas.node('exchange', 'tasks'));
  await canvas.connect(canvas.node('exchange', 'tasks'), canvas.node('queue', 'work'));
  await canvas.setBindingKey('tasks', 'work', 'work');
  await canvas.moveNode(canvas.node('producer', 'app'), 262, 250);
  await canvas.moveNode(canvas.node('exchange', 'tasks'), 524, 300);
  await canvas.moveNode(canvas.node('queue', 'work'), 790, 280);
  await canvas.moveNode(consumers.node('fast'), 1050, 120);
  await canvas.moveNode(consumers.node('slow'), 1050, 400);
  // The consumers stick out under the inspector until the view fits the diagram.
  await consumers.fitView();

  // Both take one message at a time; one works ten times slower than the other.
  await consumers.configure('fast', { prefetch: 1, processingMs: 150 });
  await consumers.configure('slow', { prefetch: 1, processingMs: 3000 });
  await expect(page.getByTestId('consumer-settings-slow')).toContainText('3 s');
  await canvas.apply();
  await expect(consumers.status('fast')).toHaveText('running');
  await expect(consumers.status('slow')).toHaveText('running');
  await expect(page.getByTestId('queue-consumers-work')).toHaveText('2 consumers', {
    timeout: 15_000,
  });

  await page.getByTestId('producer-routing-key-app').fill('work');
  for (let i = 1; i <= 10; i++) {
    await page.getByTestId('producer-payload-app').fill(`job ${i}`);
    await page.getByTestId('producer-send-app').click();
  }
  await expect(page.getByTestId('message-dot').first()).toBeVisible();
  const canvasShot = testInfo.outputPath('canvas-competing-consumers.png');
  await page.screenshot({ path: canvasShot });
  await testInfo.attach('competing consumers', { path: canvasShot, contentType: 'image/png' });

  // Every message went to exactly one consumer, and each got some.
  await expect
    .poll(
      async () =>
        (await consumers.count('fast', 'acked')) + (await consumers.count('slow', 'acked')),
      { timeout: 20_000 },
    )
    .toBe(10);
  const fast = await consumers.count('fast', 'received');
  const slow = await consumers.count('slow', 'received');
  expect(fast + slow).toBe(10);
  expect(fast).toBeGreaterThan(0);
  expect(slow).toBeGreaterThan(0);
  // Fair dispatch: with prefetch 1 the slow consumer gets fewer.
  expect(fast).toBeGreaterThan(slow);
  await expect(canvas.depth('work')).toHaveText('0', { timeout: 15_000 });

  // Only the slow consumer takes messages now; it holds one unacked while the rest wait.
  await consumers.node('fast').getByTestId('consumer-pause-fast').click();
  await expect(consumers.status('fast')).toHaveText('paused');
  const slowAckedBefore = await consumers.count('slow', 'acked');
  for (let i = 11; i <= 14; i++) {
    await page.getByTestId('producer-payload-app').fill(`job ${i}`);
    await page.getByTestId('producer-send-app').click();
  }
  await expect(consumers.counter('slow', 'inflight')).toHaveText('1');
  await expect(page.getByTestId('queue-unacked-work')).toHaveText('1', { timeout: 15_000 });

  // Killed mid-flight: the broker puts the unacked message back, and the depth goes up.
  await consumers.node('slow').getByTestId('consumer-kill-slow').click();
  await expect(consumers.status('slow')).toHaveText('killed');
  const settled = (await consumers.count('slow', 'acked')) - slowAckedBefore;
  await expect(canvas.depth('work')).toHaveText(String(4 - settled), { timeout: 20_000 });
  await expect(page.getByTestId('queue-unacked-work')).toHaveText('0');
  await expect
    .poll(() => broker.queueCounts(vhost, 'work'), { timeout: 20_000 })
    .toEqual({ ready: 4 - settled, unacked: 0 });

  // Resumed, the fast consumer takes what is left.
  await consumers.node('fast').getByTestId('consumer-resume-fast').click();
  await expect(consumers.status('fast')).toHaveText('running');
  await expect(canvas.depth('work')).toHaveText('0', { timeout: 20_000 });
  const after = testInfo.outputPath('canvas-consumer-killed.png');
  await page.screenshot({ path: after });
  await testInfo.attach('killed consumer', { path: after, contentType: 'image/png' });
});
