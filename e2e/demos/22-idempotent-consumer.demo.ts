import { test } from '@warren/playwright';

/** Lesson 22, Idempotent consumer: The consumer remembers message ids and skips duplicates. */
test('idempotent-consumer', async ({ warren }) => {
  await warren.openLesson('idempotent-consumer');
  await warren.chapter(
    'Idempotent consumer',
    'The consumer remembers message ids and skips duplicates.',
  );

  await warren.chapter('The same payment twice');
  await warren.caption(
    'Publish pay-1, pay-1 again, and pay-2. The consumer processes pay-1 once and acknowledges the second copy without doing the work again.',
  );
  await warren.runLessonStep('duplicates');

  await warren.chapter('Every copy acknowledged');
  await warren.caption(
    'All three copies were acknowledged; the consumer counts one duplicate skipped.',
  );
  await warren.runLessonStep('counted');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
