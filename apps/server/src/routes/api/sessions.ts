import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Topology } from '@warren/topology';
import type { CreateSessionResponse, SessionSummary } from '@warren/protocol';
import { ApiError } from '../../errors';
import type { Session } from '../../sessions/session';
import {
  CreateSessionBody,
  ErrorSchema,
  PublishBody,
  PublishReply,
  QueueStateSchema,
  SessionParams,
  TopologyBody,
} from './schemas';
import { sendDefinitions } from './definitions';
import {
  definitionsOrThrow,
  editableSession,
  findSession,
  topologyOrThrow,
} from './topology-input';

export { topologyOrThrow };

function summary(session: Session): SessionSummary {
  const brokerNames = session.brokerNames();
  return {
    id: session.id,
    vhost: session.vhost,
    createdAt: session.identity.createdAt.toISOString(),
    topology: session.topology,
    ...(Object.keys(brokerNames).length > 0 ? { brokerNames } : {}),
  };
}

const errors = { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema };
/** Success bodies are described by the types in @warren/protocol; the schema keeps every field. */
const Loose = Type.Object({}, { additionalProperties: true });

export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const find = (id: string): Session => findSession(app, id);
  const editable = (request: FastifyRequest<{ Params: { id: string } }>): Session =>
    editableSession(app, request);

  app.post(
    '/api/sessions',
    {
      schema: {
        summary:
          'Create a session: its own vhost, optionally from a topology or a RabbitMQ definitions file',
        tags: ['sessions'],
        body: Type.Optional(CreateSessionBody),
        response: { 201: Loose, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      let topology: Topology | undefined;
      let notImported: string[] | undefined;
      if (body.definitions !== undefined && body.topology !== undefined) {
        throw new ApiError(
          400,
          'INVALID_REQUEST',
          'Give either "topology" or "definitions", not both.',
        );
      }
      if (body.definitions !== undefined) {
        const imported = definitionsOrThrow(body.definitions, body.vhost);
        topology = imported.topology;
        notImported = imported.notImported;
      } else if (body.topology !== undefined) {
        topology = topologyOrThrow(body.topology, '/topology');
      }
      const { session, nodeErrors } = await app.sessions.create(topology);
      const response: CreateSessionResponse = {
        ...summary(session),
        editToken: session.identity.editToken,
        amqp: app.sessions.amqpDetails(session),
        ...(notImported ? { notImported } : {}),
        ...(nodeErrors.length > 0 ? { nodeErrors } : {}),
      };
      return reply.status(201).send(response);
    },
  );

  app.get(
    '/api/sessions/:id',
    {
      schema: {
        summary: 'A session and its applied topology',
        tags: ['sessions'],
        params: SessionParams,
        response: { 200: Loose, ...errors },
      },
    },
    async (request) => summary(find(request.params.id)),
  );

  app.delete(
    '/api/sessions/:id',
    {
      schema: {
        summary: 'End a session and delete its vhost',
        tags: ['sessions'],
        params: SessionParams,
      },
    },
    async (request, reply) => {
      editable(request);
      await app.sessions.remove(request.params.id);
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/sessions/:id/topology',
    {
      schema: {
        summary:
          'Materialize a topology document on the broker (declare what is new, delete what was removed)',
        description:
          'With ?recreate=true, objects whose settings changed are deleted and declared again (their messages are lost). With ?seenSeq=N (the last event seq the sender had taken in), objects declared outside Warren after event N are kept.',
        tags: ['sessions'],
        params: SessionParams,
        querystring: Type.Object({
          recreate: Type.Optional(Type.Boolean()),
          /**
           * The seq of the last event the sender had taken in: objects declared outside Warren
           * after it are kept even though the document lacks them.
           */
          seenSeq: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        body: TopologyBody,
        response: { 200: Loose, ...errors, 409: ErrorSchema },
      },
    },
    async (request) => {
      const session = editable(request);
      const topology = topologyOrThrow(request.body);
      const result = await session.apply(topology, {
        recreate: request.query.recreate === true,
        ...(request.query.seenSeq === undefined ? {} : { seenSeq: request.query.seenSeq }),
      });
      if (result.nodeErrors.length > 0) {
        const count = result.nodeErrors.length;
        throw new ApiError(
          409,
          'BROKER_REFUSED',
          `The broker refused ${count} part${count > 1 ? 's' : ''} of the diagram; the rest was applied. ${result.nodeErrors.map((e) => e.message).join(' ')}`,
          { path: result.nodeErrors[0]?.path ?? '' },
          { ...result },
        );
      }
      return result;
    },
  );

  app.post(
    '/api/sessions/:id/publish',
    {
      schema: {
        summary: 'Publish a message and get what the broker did with it',
        tags: ['messages'],
        params: SessionParams,
        body: PublishBody,
        response: {
          200: PublishReply,
          ...errors,
          404: ErrorSchema,
          413: ErrorSchema,
          504: ErrorSchema,
        },
      },
    },
    async (request) => {
      const session = editable(request);
      const size = Buffer.byteLength(request.body.payload ?? '');
      if (size > app.config.maxPayloadBytes) {
        throw new ApiError(
          413,
          'PAYLOAD_TOO_LARGE',
          `The payload has ${size} bytes; at most ${app.config.maxPayloadBytes} are accepted.`,
          { path: '/payload' },
        );
      }
      return session.publish(request.body);
    },
  );

  app.get(
    '/api/sessions/:id/queues',
    {
      schema: {
        summary: 'Depth, unacked and consumers of every queue in the diagram',
        tags: ['sessions'],
        params: SessionParams,
        response: { 200: Type.Object({ queues: Type.Array(QueueStateSchema) }), ...errors },
      },
    },
    async (request) => ({ queues: await find(request.params.id).queueStates() }),
  );

  const Counters = Type.Object({
    edges: Type.Record(Type.String(), Type.Integer()),
    exchanges: Type.Record(
      Type.String(),
      Type.Object({ published: Type.Integer(), unroutable: Type.Integer() }),
    ),
  });

  app.get(
    '/api/sessions/:id/counters',
    {
      schema: {
        summary:
          'Messages that travelled each canvas edge and passed each exchange, from the broker reports',
        tags: ['sessions'],
        params: SessionParams,
        response: { 200: Counters, ...errors },
      },
    },
    async (request) => find(request.params.id).counters.snapshot(),
  );

  app.post(
    '/api/sessions/:id/counters/reset',
    {
      schema: {
        summary: 'Start every edge and exchange counter from zero',
        tags: ['sessions'],
        params: SessionParams,
        response: { 200: Counters, ...errors },
      },
    },
    async (request) => editable(request).counters.reset(),
  );

  app.get(
    '/api/sessions/:id/definitions',
    {
      schema: {
        summary: "The session's topology as a RabbitMQ definitions file",
        tags: ['sessions'],
        params: SessionParams,
        response: { 200: Loose, ...errors },
      },
    },
    async (request, reply) => sendDefinitions(reply, find(request.params.id).topology),
  );
};
