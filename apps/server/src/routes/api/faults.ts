import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type {
  CloseConnectionResponse,
  DeleteOnBrokerResponse,
  PurgeQueueResponse,
} from '@warren/protocol';
import { brokerRefusal } from '../../broker/amqp-errors';
import { ApiError } from '../../errors';
import { ProducerNotFoundError } from '../../runtime/producers';
import { ErrorSchema, SessionParams } from './schemas';
import { editableSession } from './topology-input';

const errors = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  503: ErrorSchema,
};

const QueueParams = Type.Object({
  id: SessionParams.properties.id,
  queue: Type.String({ maxLength: 255, description: 'The queue as the diagram names it.' }),
});

const CloseConnectionBody = Type.Union([
  Type.Object(
    { producerId: Type.String({ minLength: 1, maxLength: 200 }) },
    {
      additionalProperties: false,
    },
  ),
  Type.Object(
    { consumerId: Type.String({ minLength: 1, maxLength: 200 }) },
    {
      additionalProperties: false,
    },
  ),
]);

const DeleteBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('exchange'), Type.Literal('queue')]),
    name: Type.String({ minLength: 1, maxLength: 255 }),
  },
  { additionalProperties: false },
);

/**
 * A broker refusal of a fault, in words a learner understands: the object is not there, it is
 * the broker's own, or it belongs to another connection.
 */
function refusal(error: unknown, kind: 'exchange' | 'queue', name: string, path: string): never {
  const refused = brokerRefusal(error);
  if (!refused) throw error;
  const Kind = kind === 'queue' ? 'Queue' : 'Exchange';
  if (refused.code === 'BROKER_NOT_FOUND') {
    throw new ApiError(
      404,
      'BROKER_NOT_FOUND',
      `${Kind} '${name}' does not exist on the broker; apply the diagram to declare it.`,
      { path },
    );
  }
  if (refused.code === 'ACCESS_REFUSED') {
    throw new ApiError(
      403,
      'ACCESS_REFUSED',
      `The broker does not let anyone change ${kind} '${name}': ${refused.brokerMessage}`,
      { path },
    );
  }
  const locked = /RESOURCE_LOCKED/.test(refused.brokerMessage);
  throw new ApiError(
    409,
    'BROKER_REFUSED',
    locked
      ? `${Kind} '${name}' is exclusive to another connection (an outside client); only that connection can change it.`
      : `The broker refused to change ${kind} '${name}': ${refused.brokerMessage}`,
    { path },
  );
}

/**
 * Fault injection: change the broker behind the diagram's back and watch what the diagram's
 * producers, consumers and queues do about it.
 */
export const faultRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/sessions/:id/queues/:queue/purge',
    {
      schema: {
        summary:
          'Purge a queue: the broker removes its ready messages (delivered, unacked ones stay with their consumers)',
        tags: ['faults'],
        params: QueueParams,
        response: {
          200: Type.Object({ queue: Type.String(), purged: Type.Integer() }),
          ...errors,
        },
      },
    },
    async (request): Promise<PurgeQueueResponse> => {
      const session = editableSession(app, request);
      const { queue } = request.params;
      try {
        return { queue, purged: await session.observation.purge(queue) };
      } catch (error) {
        return refusal(error, 'queue', queue, '/queue');
      }
    },
  );

  app.post(
    '/api/sessions/:id/faults/close-connection',
    {
      schema: {
        summary:
          "Close a producer's or consumer's connection; a consumer's unacked messages return to its queue and both reconnect by themselves",
        tags: ['faults'],
        params: SessionParams,
        body: CloseConnectionBody,
        response: {
          200: Type.Object({
            closed: Type.Boolean(),
            producerId: Type.Optional(Type.String()),
            consumerId: Type.Optional(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (request): Promise<CloseConnectionResponse> => {
      const session = editableSession(app, request);
      const body = request.body;
      if ('producerId' in body) {
        const { producerId } = body;
        try {
          return { closed: await session.producers.closeConnection(producerId), producerId };
        } catch (error) {
          if (!(error instanceof ProducerNotFoundError)) throw error;
          throw new ApiError(
            404,
            'NOT_FOUND',
            `There is no producer '${producerId}' in this session's diagram; add it and apply the diagram first.`,
            { path: '/producerId' },
          );
        }
      }
      const { consumerId } = body;
      const state = await session.consumers.closeConnection(consumerId);
      if (state === undefined) {
        throw new ApiError(
          404,
          'NOT_FOUND',
          `There is no consumer '${consumerId}' in this session's diagram; add it and apply the diagram first.`,
          { path: '/consumerId' },
        );
      }
      // A consumer that had no connection (stopped, killed) reports its state unchanged.
      return { closed: state.status === 'error', consumerId };
    },
  );

  app.post(
    '/api/sessions/:id/faults/delete',
    {
      schema: {
        summary:
          'Delete an exchange or queue on the broker only: the diagram keeps it, marked missing, and the next Apply declares it again',
        tags: ['faults'],
        params: SessionParams,
        body: DeleteBody,
        response: {
          200: Type.Object({
            kind: Type.String(),
            name: Type.String(),
            deleted: Type.Literal(true),
            messages: Type.Optional(Type.Integer()),
          }),
          ...errors,
        },
      },
    },
    async (request): Promise<DeleteOnBrokerResponse> => {
      const session = editableSession(app, request);
      const { kind, name } = request.body;
      if (kind === 'exchange' && (name === '' || name.startsWith('amq.'))) {
        throw new ApiError(
          400,
          'INVALID_REQUEST',
          `Exchange '${name}' is one of the broker's own; it cannot be deleted.`,
          { path: '/name' },
        );
      }
      try {
        const result = await session.observation.deleteOnBroker(kind, name);
        return { kind, name, deleted: true, ...result };
      } catch (error) {
        return refusal(error, kind, name, '/name');
      }
    },
  );
};
