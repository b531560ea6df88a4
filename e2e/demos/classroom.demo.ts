import { test, Warren } from '@warren/playwright';

// This page is the student's; the teacher runs the lesson in a browser of their own.
test.use({ start: 'nothing' });

/** A live classroom, as a student sees it: the teacher's canvas and lesson step, live. */
test('classroom', async ({ warren: student, browser, baseURL, pace }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  const teacher = new Warren(await context.newPage(), { pace: 0 });
  try {
    await teacher.openLesson('topic');
    const { code } = await teacher.startClassroom();

    await student.chapter(
      'A live classroom',
      `A student joins with the code ${code} and follows the teacher's canvas, read only.`,
    );
    await student.followClassroom(code);
    await student.expectClassOnStep('critical-order');
    await student.caption('The lesson panel marks the step the class is on.');

    await student.chapter('The teacher runs a step');
    await student.caption(
      'The message the teacher sends travels on this canvas too, and both queues get a copy.',
    );
    await teacher.runLessonStep('critical-order');
    await student.expectRouted('demo.topic', 'critical', 1);
    await student.expectRouted('demo.topic', 'order', 1);
    await student.expectStepDone('critical-order');
    await student.expectClassOnStep('login');

    await student.chapter('The next step');
    await teacher.runLessonStep('login');
    await student.expectRouted('demo.topic', 'login', 1);
    await student.expectClassOnStep('nowhere');
    await student.pause(pace > 0 ? 2_000 : 0);
  } finally {
    await teacher.endSession();
    await context.close();
  }
});
