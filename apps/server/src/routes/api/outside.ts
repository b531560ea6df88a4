import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { OutsideResponse } from '@warren/protocol';
import { ErrorSchema, SessionParams } from './schemas';
import { findSession } from './topology-input';

const OutsideClientSchema = Type.Object({
  id: Type.String({ description: "The broker's name of the connection." }),
  role: Type.Union([Type.Literal('producer'), Type.Literal('consumer'), Type.Literal('both')]),
  queues: Type.Array(Type.String(), { description: 'Queues it consumes from.' }),
  exchanges: Type.Array(Type.String(), { description: 'Exchanges it published to.' }),
  label: Type.String(),
});

const OutsideObjectSchema = Type.Object({
  kind: Type.Union([
    Type.Literal('exchange'),
    Type.Literal('queue'),
    Type.Literal('binding'),
    Type.Literal('policy'),
  ]),
  name: Type.String(),
  change: Type.Union([Type.Literal('created'), Type.Literal('deleted')]),
  source: Type.Union([
    Type.Literal('event-exchange'),
    Type.Literal('polling'),
    Type.Literal('fault'),
  ]),
});

/** Clients outside Warren on the session's vhost, and what they declared or deleted. */
export const outsideRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/sessions/:id/outside',
    {
      schema: {
        summary:
          "Clients outside Warren connected to the session's vhost (pika, amqplib, ...) and the objects they declared or deleted",
        tags: ['sessions'],
        params: SessionParams,
        response: {
          200: Type.Object({
            clients: Type.Array(OutsideClientSchema),
            objects: Type.Array(OutsideObjectSchema),
            outsideNames: Type.Array(Type.String()),
          }),
          400: ErrorSchema,
          404: ErrorSchema,
          503: ErrorSchema,
        },
      },
    },
    async (request): Promise<OutsideResponse> =>
      findSession(app, request.params.id).observation.outside(),
  );
};
