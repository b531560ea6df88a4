import { test } from '@warren/playwright';

/** Lesson 9, Multiple producers: Several sensors publish to one exchange at their own rates; each type lands in its own queue. */
test('multiple-producers', async ({ warren }) => {
  await warren.openLesson('multiple-producers');
  await warren.chapter(
    'Multiple producers',
    'Several sensors publish to one exchange at their own rates; each type lands in its own queue.',
  );

  await warren.chapter('Start the kitchen sensor');
  await warren.caption(
    'Start the kitchen thermometer: four readings a second go to the temperature queue.',
  );
  await warren.runLessonStep('kitchen');

  await warren.chapter('Add the garden sensor');
  await warren.caption(
    "Start the garden thermometer. The temperature queue now fills from two producers; each producer's edge shows its own rate.",
  );
  await warren.runLessonStep('garden');

  await warren.chapter('A different type');
  await warren.caption(
    'Start the cellar hygrometer: its key says humidity, so its readings go to the other queue.',
  );
  await warren.runLessonStep('cellar');

  await warren.chapter('Stop the sensors');
  await warren.caption(
    'Stop the three producers when you have seen enough; the queues keep what they received.',
  );
  await warren.runLessonStep('stop');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
