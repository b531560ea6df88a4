import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OutsideResponseSchema, SessionParamsSchema, type OutsideResponse } from '@warren/protocol';
import { errorReplies } from './error-replies';
import { findSession } from './topology-input';

/** Clients outside Warren on the session's vhost, and what they declared or deleted. */
export const outsideRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/sessions/:id/outside',
    {
      schema: {
        summary:
          "Clients outside Warren connected to the session's vhost (pika, amqplib, ...) and the objects they declared or deleted",
        tags: ['sessions'],
        params: SessionParamsSchema,
        response: { 200: OutsideResponseSchema, ...errorReplies(400, 404, 503) },
      },
    },
    async (request): Promise<OutsideResponse> =>
      findSession(app, request.params.id).observation.outside(),
  );
};
