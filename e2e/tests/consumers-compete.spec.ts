import { expect, test } from '../fixtures';

/**
 * Scenario 2, a work queue with competing consumers: two consumers share one queue and each
 * message goes to exactly one of them. Without a prefetch limit the broker deals messages
 * round-robin however slow a consumer is; with prefetch 1 a consumer gets its next message
 * only once it has acked the last, so the slow one gets fewer (fair dispatch). A consumer
 * killed mid-flight gives its unacked message back to the queue.
 *
 * Every check waits on exact numbers (the consumers' counters from the server, depths read
 * from the broker), never on the timing of the animation.
 */
test('scenario 2: round-robin with unlimited prefetch, fair dispatch with prefetch 1; a killed consumer gives its messages back', async ({
  canvas,
  lesson,
  broker,
  vhost,
  consumers,
  producers,
  page,
}, testInfo) => {
  // Three rounds of sending, and twice the broker's statistics, which lag a few seconds (more
  // on a busy machine).
  test.setTimeout(90_000);
  /** Both consumers' counters at once: they change together, and are compared together. */
  const received = async () => ({
    fast: await consumers.count('fast', 'received'),
    slow: await consumers.count('slow', 'received'),
  });
  const acked = async () =>
    (await consumers.count('fast', 'acked')) + (await consumers.count('slow', 'acked'));
  /** Applies the changed settings; both consumers come back and the broker counts them. */
  const applyWithBothRunning = async () => {
    await canvas.apply();
    await expect(consumers.status('fast')).toHaveText('running');
    await expect(consumers.status('slow')).toHaveText('running');
    await expect(page.getByTestId('queue-consumers-work')).toHaveText('2 consumers', {
      timeout: 15_000,
    });
  };

  await lesson.drawPipeline({
    producer: { name: 'app', at: [262, 250] },
    exchange: { name: 'tasks', type: 'direct', at: [524, 300] },
    bindingKey: 'work',
    queue: { name: 'work', at: [790, 280] },
    consumers: [
      { name: 'fast', at: [1050, 120] },
      { name: 'slow', at: [1050, 420] },
    ],
  });

  // No prefetch limit; one consumer works fifteen times slower than the other.
  await consumers.configure('fast', { prefetch: 0, processingMs: 100 });
  await consumers.configure('slow', { prefetch: 0, processingMs: 1500 });
  await expect(page.getByTestId('consumer-settings-slow')).toContainText('prefetch ∞');
  await expect(page.getByTestId('consumer-settings-slow')).toContainText('1.5 s');
  await applyWithBothRunning();

  await producers.sendMessage('app', 'work', 'job {{n}}', 6);
  await expect(producers.result('app')).toHaveText('6 sent · routed to work');

  // Round-robin: three each, the slow consumer holding its share unacked while it works.
  await expect.poll(received, { timeout: 15_000 }).toEqual({ fast: 3, slow: 3 });
  await page.screenshot({ path: testInfo.outputPath('canvas-round-robin.png') });
  await expect.poll(acked, { timeout: 20_000 }).toBe(6);

  // Fair dispatch: prefetch 1 on both, and ten more jobs.
  await consumers.configure('fast', { prefetch: 1 });
  await consumers.configure('slow', { prefetch: 1 });
  await expect(page.getByTestId('consumer-settings-slow')).toContainText('prefetch 1');
  await applyWithBothRunning();
  await producers.select('app');
  await producers.send(10);
  await expect(producers.result('app')).toHaveText('10 sent · routed to work');
  await expect.poll(acked, { timeout: 20_000 }).toBe(16);
  const fair = await received();
  const fast = fair.fast - 3;
  const slow = fair.slow - 3;
  // Every message went to exactly one consumer; the slow one took one or two.
  expect(fast + slow).toBe(10);
  expect(slow).toBeGreaterThan(0);
  expect(fast).toBeGreaterThan(slow);
  await expect(canvas.depth('work')).toHaveText('0', { timeout: 15_000 });
  expect(await broker.readyCount(vhost, 'work')).toBe(0);
  await page.screenshot({ path: testInfo.outputPath('canvas-fair-dispatch.png') });

  // The slow consumer gets stuck on a message (a minute each), and only it takes messages now: it
  // holds one unacked, long enough for the broker's statistics to show it, while the rest wait.
  await consumers.configure('slow', { processingMs: 60_000 });
  await canvas.apply();
  await expect(consumers.status('slow')).toHaveText('running');
  await consumers.node('fast').getByTestId('consumer-pause-fast').click();
  await expect(consumers.status('fast')).toHaveText('paused');
  await expect(page.getByTestId('queue-consumers-work')).toHaveText('1 consumer', {
    timeout: 15_000,
  });
  await producers.select('app');
  await producers.send(4);
  await expect(producers.result('app')).toHaveText('4 sent · routed to work');
  await consumers.expectCounts('slow', { received: fair.slow + 1, inflight: 1 });
  await expect(page.getByTestId('queue-unacked-work')).toHaveText('1', { timeout: 20_000 });
  await expect(canvas.depth('work')).toHaveText('3', { timeout: 20_000 });

  // Killed mid-flight: the broker puts the unacked message back, and the depth goes up.
  await consumers.node('slow').getByTestId('consumer-kill-slow').click();
  await expect(consumers.status('slow')).toHaveText('killed');
  await consumers.expectCounts('slow', { acked: fair.slow, inflight: 0 });
  await expect(canvas.depth('work')).toHaveText('4', { timeout: 20_000 });
  await expect(page.getByTestId('queue-unacked-work')).toHaveText('0', { timeout: 20_000 });
  expect(await broker.readyCount(vhost, 'work')).toBe(4);

  // Resumed, the fast consumer takes what is left.
  await consumers.node('fast').getByTestId('consumer-resume-fast').click();
  await expect(consumers.status('fast')).toHaveText('running');
  await expect.poll(acked, { timeout: 20_000 }).toBe(20);
  await expect(canvas.depth('work')).toHaveText('0', { timeout: 20_000 });
});
