import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  LessonParamsSchema,
  LessonProgressSchema,
  LessonReplySchema,
  LessonStepParamsSchema,
  LessonsResponseSchema,
  RunLessonStepResponseSchema,
  SessionParamsSchema,
  type LessonReply,
  type LessonsResponse,
  type RunLessonStepResponse,
} from '@warren/protocol';
import { Type } from 'typebox';
import { renderSvg } from '@warren/diagram-image';
import type { Lesson } from '@warren/lessons';
import { WarrenError } from '../../errors/warren-error';
import { errorReplies } from './error-replies';
import { editableSession, findSession } from './topology-input';

/** The lesson gallery, and the lesson a session runs: its progress and its steps' actions. */
export const lessonRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/lessons',
    {
      schema: {
        summary: 'Every lesson of the gallery, by number',
        tags: ['lessons'],
        response: { 200: LessonsResponseSchema },
      },
    },
    async (): Promise<LessonsResponse> => ({ lessons: app.lessons.list() }),
  );

  app.get(
    '/api/lessons/:id',
    {
      schema: {
        summary: 'A lesson: its diagram and its steps, with their actions and checks',
        description:
          '`brokerRestart` says whether this Warren may restart the broker (its operator sets WARREN_BROKER_RESTART): where false, steps with the `restart-broker` action, and checks waiting for the `broker-restart` event, cannot be done here.',
        tags: ['lessons'],
        params: LessonParamsSchema,
        response: { 200: LessonReplySchema, ...errorReplies(404) },
      },
    },
    async (request): Promise<LessonReply> => ({
      ...lessonOrThrow(app.lessons.get(request.params.id), request.params.id),
      brokerRestart: app.lessonRuns.brokerRestart,
    }),
  );

  app.get(
    '/api/lessons/:id/image.svg',
    {
      schema: {
        summary: "The lesson's diagram as an SVG image, for the gallery's thumbnails",
        tags: ['lessons'],
        params: LessonParamsSchema,
        querystring: Type.Object({
          theme: Type.Optional(Type.Union([Type.Literal('light'), Type.Literal('dark')])),
        }),
        produces: ['image/svg+xml'],
        response: { 200: Type.String({ description: 'An SVG document.' }), ...errorReplies(404) },
      },
    },
    async (request, reply) => {
      const lesson = lessonOrThrow(app.lessons.get(request.params.id), request.params.id);
      const svg = renderSvg(lesson.document, {
        theme: request.query.theme ?? 'light',
        title: lesson.title,
      });
      // Lessons change only with a new version of Warren.
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(svg);
    },
  );

  app.get(
    '/api/sessions/:id/lesson',
    {
      schema: {
        summary: 'The lesson a session runs and which of its steps are done',
        tags: ['lessons'],
        params: SessionParamsSchema,
        response: { 200: LessonProgressSchema, ...errorReplies(404) },
      },
    },
    async (request) => app.lessonRuns.report(findSession(app, request.params.id)),
  );

  app.post(
    '/api/sessions/:id/lesson/steps/:stepId/run',
    {
      schema: {
        summary: "Run a lesson step's action on the session's broker",
        description:
          "For example publish the step's messages or start a producer. Its check ticks the step off when the broker has done it; a `lesson-progress` event announces it. A `restart-broker` step stops and starts the whole broker with the operator's WARREN_BROKER_RESTART command and answers once the broker is back and the session has recovered; 403 `BROKER_RESTART_NOT_ALLOWED` where the operator does not allow it, 409 `BROKER_RESTART_BUSY` while another restart runs, 502 `BROKER_RESTART_FAILED` when it did not happen.",
        tags: ['lessons'],
        params: LessonStepParamsSchema,
        response: {
          200: RunLessonStepResponseSchema,
          ...errorReplies(400, 401, 403, 404, 406, 409, 502, 503, 504),
        },
      },
    },
    async (request): Promise<RunLessonStepResponse> => {
      const session = editableSession(app, request);
      const did = await app.lessonRuns.runStep(session, request.params.stepId);
      return { ...app.lessonRuns.report(session), stepId: request.params.stepId, did };
    },
  );
};

export function lessonOrThrow(lesson: Lesson | undefined, id: string, path = '/id'): Lesson {
  if (lesson) return lesson;
  throw new WarrenError('LESSON_NOT_FOUND', `There is no lesson "${id}".`, {
    path,
    hint: 'GET /api/lessons lists them.',
  });
}
