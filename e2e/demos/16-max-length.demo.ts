import { test } from '@warren/playwright';

/** Lesson 16, Max length overflow: A full queue drops its oldest messages to the dead-letter exchange, or refuses new ones with a nack. */
test('max-length', async ({ warren }) => {
  await warren.openLesson('max-length');
  await warren.chapter(
    'Max length overflow',
    'A full queue drops its oldest messages to the dead-letter exchange, or refuses new ones with a nack.',
  );

  await warren.chapter('Drop the oldest');
  await warren.caption(
    'Send five messages to "bounded", which holds three. The two oldest are pushed out and dead-lettered with reason maxlen.',
  );
  await warren.runLessonStep('drop-head');

  await warren.chapter('Refuse the newest');
  await warren.caption(
    '"bounded.strict" holds two and refuses more. Send three with publisher confirms: the third is nacked by the broker.',
  );
  await warren.runLessonStep('reject-publish');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
