import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { explainRoute, type ExplainMessage, type Topology } from '@warren/topology';
import {
  ExplainRequestSchema,
  ExplainResponseSchema,
  type ExplainResponse,
} from '@warren/protocol';
import { errorReplies } from './error-replies';
import { WarrenError } from '../../errors/warren-error';
import { definitionsOrThrow, findSession, topologyOrThrow } from './topology-input';

export const explainRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/explain',
    {
      schema: {
        summary: 'Explain where a message would go, and why, without publishing it',
        description:
          'Give the message and exactly one of: a topology document, a RabbitMQ definitions file (with "vhost" for a full export), or a sessionId (its current diagram).',
        tags: ['explain'],
        body: ExplainRequestSchema,
        response: { 200: ExplainResponseSchema, ...errorReplies(400, 404) },
      },
    },
    async (request): Promise<ExplainResponse> => {
      const body = request.body;
      const sources = (['topology', 'definitions', 'sessionId'] as const).filter(
        (key) => body[key] !== undefined,
      );
      if (sources.length !== 1) {
        throw new WarrenError(
          'INVALID_REQUEST',
          sources.length === 0
            ? 'Say what to explain against: give "topology", "definitions" or "sessionId".'
            : `Give only one of "topology", "definitions" or "sessionId" (got ${sources.map((s) => `"${s}"`).join(' and ')}).`,
          { path: sources.length === 0 ? '' : `/${sources[1] ?? ''}` },
        );
      }
      if (body.vhost !== undefined && body.definitions === undefined) {
        throw new WarrenError('INVALID_REQUEST', '"vhost" only goes with "definitions".', {
          path: '/vhost',
        });
      }
      let topology: Topology;
      if (body.topology !== undefined) topology = topologyOrThrow(body.topology, '/topology');
      else if (body.definitions !== undefined)
        topology = definitionsOrThrow(body.definitions, body.vhost).topology;
      else topology = findSession(app, body.sessionId ?? '', '/sessionId').topology;
      const message: ExplainMessage = {
        ...body.message,
        routingKey: body.message.routingKey ?? '',
      };
      return explainRoute(topology, message);
    },
  );
};
