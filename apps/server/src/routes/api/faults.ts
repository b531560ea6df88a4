import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CloseConnectionRequestSchema,
  CloseConnectionResponseSchema,
  DeleteOnBrokerRequestSchema,
  DeleteOnBrokerResponseSchema,
  PurgeQueueResponseSchema,
  QueueParamsSchema,
  SessionParamsSchema,
  type CloseConnectionResponse,
  type DeleteOnBrokerResponse,
  type PurgeQueueResponse,
} from '@warren/protocol';
import { brokerRefusal } from '../../broker/amqp-errors';
import { WarrenError } from '../../errors/warren-error';
import { ProducerNotFoundError } from '../../runtime/producers';
import { errorReplies } from './error-replies';
import { editableSession, notInDiagram } from './topology-input';

const errors = errorReplies(400, 401, 403, 404, 409, 503);

/**
 * A broker refusal of a fault, in words a learner understands: the object is not there, it is
 * the broker's own, or it belongs to another connection.
 */
function refusal(error: unknown, kind: 'exchange' | 'queue', name: string, path: string): never {
  const refused = brokerRefusal(error);
  if (!refused) throw error;
  const Kind = kind === 'queue' ? 'Queue' : 'Exchange';
  if (refused.code === 'BROKER_NOT_FOUND') {
    throw new WarrenError(
      'BROKER_NOT_FOUND',
      `${Kind} '${name}' does not exist on the broker; apply the diagram to declare it.`,
      { path },
    );
  }
  if (refused.code === 'ACCESS_REFUSED') {
    throw new WarrenError(
      'ACCESS_REFUSED',
      `The broker does not let anyone change ${kind} '${name}': ${refused.brokerMessage}`,
      { path },
    );
  }
  const locked = /RESOURCE_LOCKED/.test(refused.brokerMessage);
  throw new WarrenError(
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
        params: QueueParamsSchema,
        response: { 200: PurgeQueueResponseSchema, ...errors },
      },
    },
    async (request): Promise<PurgeQueueResponse> => {
      const session = editableSession(app, request);
      const { queue } = request.params;
      try {
        return { queue, purged: await session.faults.purge(queue) };
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
        params: SessionParamsSchema,
        body: CloseConnectionRequestSchema,
        response: { 200: CloseConnectionResponseSchema, ...errors },
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
          // Words that match the consumer's below, for the one fault dialog.
          throw error instanceof ProducerNotFoundError
            ? notInDiagram('producer', producerId)
            : error;
        }
      }
      const { consumerId } = body;
      const state = await session.consumers.closeConnection(consumerId);
      if (state === undefined) throw notInDiagram('consumer', consumerId);
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
        params: SessionParamsSchema,
        body: DeleteOnBrokerRequestSchema,
        response: { 200: DeleteOnBrokerResponseSchema, ...errors },
      },
    },
    async (request): Promise<DeleteOnBrokerResponse> => {
      const session = editableSession(app, request);
      const { kind, name } = request.body;
      if (kind === 'exchange' && (name === '' || name.startsWith('amq.'))) {
        throw new WarrenError(
          'INVALID_REQUEST',
          `Exchange '${name}' is one of the broker's own; it cannot be deleted.`,
          { path: '/name' },
        );
      }
      try {
        const result = await session.faults.deleteOnBroker(kind, name);
        return { kind, name, deleted: true, ...result };
      } catch (error) {
        return refusal(error, kind, name, '/name');
      }
    },
  );
};
