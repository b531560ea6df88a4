import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AnswerRequestSchema,
  AskQuestionRequestSchema,
  ClassroomModeRequestSchema,
  ClassroomParamsSchema,
  ClassroomStateSchema,
  ClassroomSummarySchema,
  ClassroomViewRequestSchema,
  CreateClassroomResponseSchema,
  CreateForkRequestSchema,
  CreateForkResponseSchema,
  QuestionParamsSchema,
  QuestionSchema,
  SessionParamsSchema,
  parseClientFrame,
  type CreateClassroomResponse,
  type ServerFrame,
} from '@warren/protocol';
import { WarrenError } from '../../errors/warren-error';
import { errorReplies } from './error-replies';
import { editableSession, tokenOf } from './topology-input';

/** Close code of a classroom websocket refused (no such classroom, bad token). */
const REFUSED_CLOSE = { CLASSROOM_NOT_FOUND: 4404, UNAUTHORIZED: 4401 } as const;

const FollowQuerySchema = Type.Object({
  role: Type.Optional(
    Type.Union([Type.Literal('teacher'), Type.Literal('follower')], {
      description: "'teacher': the teacher's own page, not counted as a follower (needs `token`).",
    }),
  ),
  token: Type.Optional(
    Type.String({
      maxLength: 128,
      description:
        "The teacher's edit token, with role=teacher (a browser websocket has no headers).",
    }),
  ),
});

/**
 * Live classrooms: a teacher's session followed by a class, from any Warren server that shares the
 * broker and the store. Teacher routes take the session's edit token.
 */
export const classroomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['classrooms'];

  app.post(
    '/api/sessions/:id/classroom',
    {
      schema: {
        summary:
          'Open a live classroom on a session (or get the one it has open): a join code and link',
        description:
          'Needs the edit token; it becomes the teacher token of the classroom. 201 when opened, 200 when the session already had one open.',
        tags,
        params: SessionParamsSchema,
        response: {
          201: CreateClassroomResponseSchema,
          200: CreateClassroomResponseSchema,
          ...errorReplies(400, 401, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const session = editableSession(app, request);
      // The request carries the edit token (editableSession checked it): it becomes the teacher's.
      const { code, created } = await app.classrooms.open(session, tokenOf(request) ?? '');
      const origin = `${request.protocol}://${request.host}`;
      const response: CreateClassroomResponse = { code, joinUrl: `${origin}/join/${code}` };
      return reply.status(created ? 201 : 200).send(response);
    },
  );

  app.get(
    '/api/classrooms/:code',
    {
      schema: {
        summary: 'A classroom: its session, mode, lesson and how many follow (on every server)',
        tags,
        params: ClassroomParamsSchema,
        response: { 200: ClassroomSummarySchema, ...errorReplies(400, 404) },
      },
    },
    async (request) => app.classrooms.summary(request.params.code),
  );

  app.get(
    '/api/classrooms/:code/state',
    {
      schema: {
        summary:
          "A classroom's whole state: the teacher's viewport, selection and step, the mode and the question",
        tags,
        params: ClassroomParamsSchema,
        response: { 200: ClassroomStateSchema, ...errorReplies(400, 404) },
      },
    },
    async (request) => app.classrooms.state(request.params.code),
  );

  app.delete(
    '/api/classrooms/:code',
    {
      schema: {
        summary:
          'Close a classroom (teacher); followers get a last `closed` frame, the session goes on',
        tags,
        params: ClassroomParamsSchema,
        response: { 204: Type.Null(), ...errorReplies(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await app.classrooms.closeAsTeacher(request.params.code, tokenOf(request));
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/classrooms/:code/view',
    {
      schema: {
        summary:
          'What the teacher shows (teacher): viewport, selection, lesson step; followers follow',
        description:
          'The teacher page sends it throttled; each field given is one `classroom` frame.',
        tags,
        params: ClassroomParamsSchema,
        body: ClassroomViewRequestSchema,
        response: { 204: Type.Null(), ...errorReplies(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await app.classrooms.view(request.params.code, tokenOf(request), request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/classrooms/:code/mode',
    {
      schema: {
        summary:
          "Send everyone to their sandboxes ('try') or back to following ('follow') (teacher)",
        tags,
        params: ClassroomParamsSchema,
        body: ClassroomModeRequestSchema,
        response: { 200: ClassroomStateSchema, ...errorReplies(400, 401, 404) },
      },
    },
    async (request) =>
      app.classrooms.setMode(request.params.code, tokenOf(request), request.body.mode),
  );

  app.post(
    '/api/classrooms/:code/forks',
    {
      schema: {
        summary:
          "A sandbox session of the follower's own (its own vhost and broker user) running the teacher's diagram as it is now",
        description:
          'With `followerId`, a follower who asks again gets the same sandbox back (200, `existing: true`) while it exists.',
        tags,
        params: ClassroomParamsSchema,
        body: Type.Optional(Type.Union([CreateForkRequestSchema, Type.Null()])),
        response: {
          201: CreateForkResponseSchema,
          200: CreateForkResponseSchema,
          ...errorReplies(400, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { fork, created } = await app.classrooms.fork(
        request.params.code,
        request.body?.followerId,
      );
      return reply.status(created ? 201 : 200).send(fork);
    },
  );

  app.post(
    '/api/classrooms/:code/questions',
    {
      schema: {
        summary: 'Ask the class where a message will go (teacher): predict, then reveal',
        tags,
        params: ClassroomParamsSchema,
        body: AskQuestionRequestSchema,
        response: { 201: QuestionSchema, ...errorReplies(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const question = await app.classrooms.ask(
        request.params.code,
        tokenOf(request),
        request.body.message,
      );
      return reply.status(201).send(question);
    },
  );

  app.post(
    '/api/classrooms/:code/questions/:qid/answers',
    {
      schema: {
        summary: 'Answer a question with the queues you expect the message in (any follower)',
        description: 'A follower answering again (same `followerId`) replaces its answer.',
        tags,
        params: QuestionParamsSchema,
        body: AnswerRequestSchema,
        response: { 200: QuestionSchema, ...errorReplies(400, 404, 409) },
      },
    },
    async (request) =>
      app.classrooms.answer(
        request.params.code,
        request.params.qid,
        request.body.queues,
        request.body.followerId,
      ),
  );

  app.post(
    '/api/classrooms/:code/questions/:qid/reveal',
    {
      schema: {
        summary:
          "Publish the question's message on the teacher's session (teacher): the broker's routing is the answer",
        tags,
        params: QuestionParamsSchema,
        response: { 200: QuestionSchema, ...errorReplies(400, 401, 404, 503, 504) },
      },
    },
    async (request) =>
      app.classrooms.reveal(request.params.code, tokenOf(request), request.params.qid),
  );

  app.get(
    '/api/classrooms/:code/events',
    {
      websocket: true,
      schema: {
        summary:
          'Websocket of a classroom: a hello (the session and the classroom), then the session events and classroom frames',
        tags,
        hide: true,
        params: ClassroomParamsSchema,
        querystring: FollowQuerySchema,
      },
    },
    async (socket, request) => {
      const send = (frame: ServerFrame) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
      };
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        const frame = isBinary
          ? { error: 'Frames must be text.' }
          : parseClientFrame(data.toString('utf8'));
        if ('error' in frame) send({ type: 'error', code: 'BAD_FRAME', message: frame.error });
        else if (frame.type === 'ping') send({ type: 'pong', id: frame.id });
      });
      let leave: (() => void) | undefined;
      let closed = false;
      socket.on('close', () => {
        closed = true;
        leave?.();
      });
      const query = request.query as { role?: string; token?: string };
      const teacher =
        query.role === 'teacher' ? { token: query.token ?? tokenOf(request) } : undefined;
      try {
        leave = await app.classrooms.follow(
          request.params.code,
          {
            send,
            sendText: (text) => {
              if (socket.readyState === socket.OPEN) socket.send(text);
            },
            bufferedAmount: () => socket.bufferedAmount,
            close: (code, reason) => socket.close(code, reason),
          },
          teacher,
        );
        if (closed) leave();
      } catch (error) {
        const known = error instanceof WarrenError ? error : undefined;
        if (!known) request.log.warn({ err: error }, 'classroom websocket failed');
        send({
          type: 'error',
          code: known?.code ?? 'INTERNAL',
          message: known?.replyMessage ?? 'Something went wrong inside Warren.',
        });
        const closeCode =
          known?.code === 'CLASSROOM_NOT_FOUND' || known?.code === 'UNAUTHORIZED'
            ? REFUSED_CLOSE[known.code]
            : 1011;
        socket.close(closeCode, 'refused');
      }
    },
  );
};
