import { expect, test } from '@warren/playwright';

/**
 * Lesson 18, Durability: Persistent messages in a durable queue survive a broker restart;
 * transient ones do not. The restart is real, so it is offered only where this Warren's operator
 * allows it (WARREN_BROKER_RESTART); elsewhere the demo shows the step saying so.
 */
test('durability', async ({ warren }) => {
  await warren.openLesson('durability');
  await warren.chapter(
    'Durability',
    'Persistent messages in a durable queue survive a broker restart; transient ones do not.',
  );

  await warren.chapter('Send a persistent message');
  await warren.narrateLessonStep('send-persistent');
  await warren.chapter('Send a transient message');
  await warren.narrateLessonStep('send-transient');

  await warren.chapter('Restart the broker');
  const restart = warren.lessonStep('restart');
  const { text } = await warren.stepText('restart');
  await warren.caption(text);
  if ((await restart.getAttribute('data-available')) === 'false') {
    const unavailable = restart.getByTestId('lesson-step-unavailable');
    await unavailable.scrollIntoViewIfNeeded();
    await warren.caption(await unavailable.innerText());
    await warren.screenshot('restart-not-allowed');
  } else {
    await restart.getByRole('button', { name: 'Restart the broker' }).click();
    await warren.caption(await restart.getByRole('group').locator('p').innerText());
    await restart.getByRole('button', { name: 'Restart it now' }).click();
    await expect(restart).toHaveAttribute('data-done', 'true', { timeout: 120_000 });
    await warren.chapter('See what survived');
    await warren.narrateLessonStep('survivors');
  }

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
