import type { LessonReply } from '@warren/protocol';
import { expect, test } from '../fixtures';

/**
 * Lesson 18 asks for a real broker restart. This Warren's operator has not allowed restarts (the
 * default), and the steps say so plainly; where one is allowed, the button asks first, saying the
 * whole broker stops for everyone on it. The restart itself runs in the broker-restart stage.
 */

test('says plainly that this Warren does not restart the broker', async ({
  page,
  request,
  lessons,
}, testInfo) => {
  const health = (await (await request.get('/api/health')).json()) as { brokerRestart: boolean };
  expect(health.brokerRestart).toBe(false);
  await lessons.open('durability');
  await expect(lessons.step('restart')).toHaveAttribute('data-available', 'false');
  await expect(lessons.step('restart').getByTestId('lesson-step-unavailable')).toHaveText(
    /^Not available here: this Warren's operator has not allowed it to restart the broker/,
  );
  await expect(lessons.step('restart').getByRole('button')).toHaveCount(0);
  await lessons.runAllSteps();
  await expect(page.getByTestId('lesson-done-count')).toHaveText('2/4');
  await testInfo.attach('lesson-durability-not-allowed', {
    body: await lessons.panel.screenshot(),
    contentType: 'image/png',
  });
  await lessons.endSession();
});

test('where restarts are allowed, the button first says every session sees the outage', async ({
  page,
  lessons,
}, testInfo) => {
  // This server does not allow restarts: the page is told it does, and nothing is restarted
  // (Cancel is the only answer given).
  await page.route('**/api/lessons/durability', async (route) => {
    const reply = await route.fetch();
    const lesson = (await reply.json()) as LessonReply;
    await route.fulfill({ response: reply, json: { ...lesson, brokerRestart: true } });
  });
  let runs = 0;
  page.on('request', (r) => {
    if (r.url().includes('/lesson/steps/restart/run')) runs += 1;
  });
  await lessons.open('durability');
  const step = lessons.step('restart');
  await expect(step).toHaveAttribute('data-available', 'true');
  await step.getByRole('button', { name: 'Restart the broker' }).click();
  const confirm = step.getByRole('group');
  await expect(confirm).toContainText('Every session on this broker, not only yours');
  await testInfo.attach('lesson-durability-confirm', {
    body: await lessons.panel.screenshot(),
    contentType: 'image/png',
  });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(step.getByRole('button', { name: 'Restart the broker' })).toBeVisible();
  expect(runs).toBe(0);
  await lessons.endSession();
});
