import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ProducerOutboxResponseSchema,
  ProducerParamsSchema,
  ProducerSendRequestSchema,
  ProducerSendResponseSchema,
  ProducersResponseSchema,
  ProducerStateResponseSchema,
  SessionParamsSchema,
  type ProducerOutboxResponse,
  type ProducerSendResponse,
  type ProducerStateResponse,
  type ProducersResponse,
} from '@warren/protocol';
import { errorReplies } from './error-replies';
import { editableSession, findSession } from './topology-input';

const errors = errorReplies(400, 401, 404, 503);

/** Producer nodes run by the server: their states, continuous start/stop, one-shot sends, outbox. */
export const producerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/sessions/:id/producers',
    {
      schema: {
        summary: 'States and exact counters of the diagram’s producers',
        tags: ['producers'],
        params: SessionParamsSchema,
        response: { 200: ProducersResponseSchema, ...errors },
      },
    },
    async (request): Promise<ProducersResponse> => ({
      producers: findSession(app, request.params.id).producers.list(),
    }),
  );

  app.post(
    '/api/sessions/:id/producers/:producerId/start',
    {
      schema: {
        summary: 'Start sending continuously at the producer’s rate (ratePerSecond, burst)',
        tags: ['producers'],
        params: ProducerParamsSchema,
        response: { 200: ProducerStateResponseSchema, ...errors },
      },
    },
    async (request): Promise<ProducerStateResponse> => {
      const session = editableSession(app, request);
      const producer = session.producers.start(request.params.producerId);
      // Kept before the answer: a restarted server starts it again.
      await session.saveRuntime();
      return { producer };
    },
  );

  app.post(
    '/api/sessions/:id/producers/:producerId/stop',
    {
      schema: {
        summary: 'Stop a running producer',
        tags: ['producers'],
        params: ProducerParamsSchema,
        response: { 200: ProducerStateResponseSchema, ...errors },
      },
    },
    async (request): Promise<ProducerStateResponse> => {
      const session = editableSession(app, request);
      const producer = await session.producers.stop(request.params.producerId);
      await session.saveRuntime();
      return { producer };
    },
  );

  app.post(
    '/api/sessions/:id/producers/:producerId/send',
    {
      schema: {
        summary: 'Send messages with the producer’s full settings and get what became of each',
        description:
          'Each result says where the broker routed the message (firehose), whether it came back as a return, and whether the broker confirmed or nacked it.',
        tags: ['producers'],
        params: ProducerParamsSchema,
        body: Type.Optional(Type.Union([ProducerSendRequestSchema, Type.Null()])),
        response: { 200: ProducerSendResponseSchema, ...errors },
      },
    },
    async (request): Promise<ProducerSendResponse> => {
      const session = editableSession(app, request);
      const { producerId } = request.params;
      const results = await session.producers.send(producerId, request.body?.count ?? 1);
      return { producerId, results, producer: session.producers.state(producerId) };
    },
  );

  app.get(
    '/api/sessions/:id/producers/:producerId/outbox',
    {
      schema: {
        summary: 'A reliable producer’s outbox: the newest messages with status and attempts',
        tags: ['producers'],
        params: ProducerParamsSchema,
        response: { 200: ProducerOutboxResponseSchema, ...errors },
      },
    },
    async (request): Promise<ProducerOutboxResponse> => {
      const session = findSession(app, request.params.id);
      return session.producers.outbox(request.params.producerId);
    },
  );
};
