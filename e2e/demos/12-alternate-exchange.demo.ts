import { test } from '@warren/playwright';

/** Lesson 12, Alternate exchange: Messages a direct exchange cannot route go to its alternate exchange instead of being dropped. */
test('alternate-exchange', async ({ warren }) => {
  await warren.openLesson('alternate-exchange');
  await warren.chapter(
    'Alternate exchange',
    'Messages a direct exchange cannot route go to its alternate exchange instead of being dropped.',
  );

  await warren.chapter('A known key');
  await warren.caption('Send "new": it matches the binding and lands in orders.new.');
  await warren.runLessonStep('routed');
  await warren.expectRouted('orders.direct', 'orders.new', 1);

  await warren.chapter('An unknown key');
  await warren.caption(
    'Send "cancel". No binding matches, so the exchange hands it to its alternate exchange, and it lands in "unrouted" instead of being lost.',
  );
  await warren.runLessonStep('unmatched');
  await warren.expectRouted('unrouted.fanout', 'unrouted', 1);

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
