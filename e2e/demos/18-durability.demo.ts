import { test } from '@warren/playwright';

/** Lesson 18, Durability: Persistent messages in a durable queue survive a broker restart; transient ones do not. */
test('durability', async ({ warren }) => {
  await warren.openLesson('durability');
  await warren.chapter(
    'Durability',
    'Persistent messages in a durable queue survive a broker restart; transient ones do not.',
  );

  await warren.chapter('Fill both queues');
  await warren.caption(
    'Send a message with each producer. One is persistent and goes to a durable queue; the other is transient in a non-durable queue.',
  );
  await warren.runLessonStep('fill');

  await warren.chapter('Restart the broker');
  await warren.caption(
    'A broker restart is needed to see the difference, and Warren never fakes one: restart the broker on its host (for example rabbitmqctl stop_app, then rabbitmqctl start_app) where you are allowed to. Warren reconnects by itself. After the restart, durable.q still holds its persistent message; transient.q is declared again by Warren, empty.',
  );
  await warren.runLessonStep('restart');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
