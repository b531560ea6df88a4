import { Type } from 'typebox';
import { LessonSchema, LessonSummarySchema } from '@warren/lessons';
import { SessionParamsSchema } from './common';

export { LessonSchema, LessonSummarySchema };

/** Reply of `GET /api/lessons`: every lesson of the gallery, by number. */
export const LessonsResponseSchema = Type.Object({ lessons: Type.Array(LessonSummarySchema) });
export type LessonsResponse = Type.Static<typeof LessonsResponseSchema>;

/**
 * Reply of `GET /api/lessons/:id`: the lesson file, and whether this Warren may restart the
 * broker, which steps that need it (see `needsBrokerRestart`) depend on.
 */
export const LessonReplySchema = Type.Interface([LessonSchema], {
  brokerRestart: Type.Boolean(),
});
export type LessonReply = Type.Static<typeof LessonReplySchema>;

export const LessonParamsSchema = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** A step of a running lesson and whether the live session has done it. */
export const StepProgressSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  done: Type.Boolean(),
});

/** Reply of `GET /api/sessions/:id/lesson`, and the body of a `lesson-progress` event. */
export const LessonProgressSchema = Type.Object({
  lessonId: Type.String(),
  steps: Type.Array(StepProgressSchema),
});
export type LessonProgressReport = Type.Static<typeof LessonProgressSchema>;

export const LessonStepParamsSchema = Type.Interface([SessionParamsSchema], {
  stepId: Type.String({ maxLength: 64 }),
});

/** Reply of `POST /api/sessions/:id/lesson/steps/:stepId/run`. */
export const RunLessonStepResponseSchema = Type.Interface([LessonProgressSchema], {
  stepId: Type.String(),
  /** What the action did, in words: "published 3 messages", "started producer p-kitchen". */
  did: Type.String(),
});
export type RunLessonStepResponse = Type.Static<typeof RunLessonStepResponseSchema>;
