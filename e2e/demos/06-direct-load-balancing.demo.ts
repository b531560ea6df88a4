import { test } from '@warren/playwright';

/** Lesson 6, Direct load balancing: A producer rotates its routing key over three bindings to spread messages evenly. */
test('direct-load-balancing', async ({ warren }) => {
  await warren.openLesson('direct-load-balancing');
  await warren.chapter(
    'Direct load balancing',
    'A producer rotates its routing key over three bindings to spread messages evenly.',
  );

  await warren.chapter('Send nine jobs');
  await warren.caption(
    'The producer takes the keys route.1, route.2 and route.3 in turn. Send nine jobs and watch them spread.',
  );
  await warren.runLessonStep('send');

  await warren.chapter('Three each');
  await warren.caption(
    "Each queue holds three jobs: the spreading was done by the producer's keys, the exchange only matched them.",
  );
  await warren.runLessonStep('even');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
