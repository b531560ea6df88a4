import { test } from '@warren/playwright';

/** Lesson 2, Work queue (competing consumers): Two workers share one queue; with a prefetch of 1 the slow worker gets fewer tasks. */
test('work-queue', async ({ warren }) => {
  await warren.openLesson('work-queue');
  await warren.chapter(
    'Work queue (competing consumers)',
    'Two workers share one queue; with a prefetch of 1 the slow worker gets fewer tasks.',
  );

  await warren.chapter('Queue ten tasks');
  await warren.caption(
    'Send ten tasks at once. Both workers consume from "task_queue"; the broker hands each task to one worker only.',
  );
  await warren.runLessonStep('send');

  await warren.chapter('Fair dispatch');
  await warren.caption(
    'Each worker has a prefetch of 1: the broker sends a worker its next task only after it acknowledged the last one. The fast worker finishes most of the tasks while the slow one is still busy.',
  );
  await warren.runLessonStep('fair');

  await warren.chapter('Try round-robin');
  await warren.caption(
    "Set both workers' prefetch to 0 (unlimited) and send ten more. The broker now deals tasks out in turn as they arrive, five each, and the slow worker holds a backlog while the fast one sits idle.",
  );
  await warren.runLessonStep('round-robin');

  await warren.chapter('Where the messages went');
  await warren.showWhereMessagesWent();
});
