import { test } from '@warren/playwright';

/** Lesson 17, Consistent hash: A consistent-hash exchange spreads keys over queues in proportion to their binding weights. */
test('consistent-hash', async ({ warren }) => {
  await warren.openLesson('consistent-hash');
  await warren.chapter(
    'Consistent hash',
    'A consistent-hash exchange spreads keys over queues in proportion to their binding weights.',
  );

  await warren.chapter('Two hundred keys');
  await warren.caption(
    'Send 200 orders, each with its own key. The binding keys are weights: shard.b has weight 3, shard.a weight 1.',
  );
  await warren.runLessonStep('send');

  await warren.chapter('Three to one');
  await warren.caption(
    'Compare the two queues: about three quarters of the orders went to shard.b. The same key always lands on the same shard.',
  );
  await warren.runLessonStep('weights');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
