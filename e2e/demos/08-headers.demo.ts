import { test } from '@warren/playwright';

/** Lesson 8, Headers exchange: A headers exchange matches on message headers: x-match all needs every header, any needs one. */
test('headers', async ({ warren }) => {
  await warren.openLesson('headers');
  await warren.chapter(
    'Headers exchange',
    'A headers exchange matches on message headers: x-match all needs every header, any needs one.',
  );

  await warren.chapter('One header');
  await warren.caption(
    'Send a message with only format=pdf. The "any" binding needs one matching header and takes it; the "all" binding needs both and does not.',
  );
  await warren.runLessonStep('one-header');

  await warren.chapter('Both headers');
  await warren.caption(
    'Send format=pdf and type=report: now both bindings match. The routing key plays no part.',
  );
  await warren.runLessonStep('both-headers');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
