import { test } from '@warren/playwright';

/** Lesson 13, Mandatory and return: A mandatory message that no queue takes comes back to its producer as 312 NO_ROUTE. */
test('mandatory-return', async ({ warren }) => {
  await warren.openLesson('mandatory-return');
  await warren.chapter(
    'Mandatory and return',
    'A mandatory message that no queue takes comes back to its producer as 312 NO_ROUTE.',
  );

  await warren.chapter('Nobody takes it');
  await warren.caption(
    'Send with routing key "sms" and the mandatory flag. No binding matches; instead of dropping it silently, the broker returns it to the producer with 312 NO_ROUTE.',
  );
  await warren.runLessonStep('return');

  await warren.chapter('A key that matches');
  await warren.caption('Send "email": it is routed, so nothing comes back.');
  await warren.runLessonStep('deliver');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
