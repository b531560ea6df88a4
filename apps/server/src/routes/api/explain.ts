import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ExplainMessage, Explanation } from '@warren/topology';
import { ExplainRequestSchema, ExplainResponseSchema } from '@warren/protocol';
import { errorReplies } from './error-replies';
import type { ExplainJob } from './explain-worker';
import { WarrenError } from '../../errors/warren-error';
import { WorkerPool } from '../../workers/worker-pool';
import { OFF_LOOP_LIMITS, offLoop } from './off-loop';
import { findSession } from './topology-input';

export const explainRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const explainer = new WorkerPool<ExplainJob, string>(
    new URL('./explain-worker.ts', import.meta.url),
    OFF_LOOP_LIMITS,
  );
  app.addHook('onClose', () => explainer.close());

  app.post(
    '/api/explain',
    {
      schema: {
        summary: 'Explain where a message would go, and why, without publishing it',
        description:
          'Give the message and exactly one of: a topology document, a RabbitMQ definitions file (with "vhost" for a full export), or a sessionId (its current diagram).',
        tags: ['explain'],
        body: ExplainRequestSchema,
        response: { 200: ExplainResponseSchema, ...errorReplies(400, 404, 422, 503) },
      },
    },
    async (request, reply) => {
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
      const message: ExplainMessage = {
        ...body.message,
        routingKey: body.message.routingKey ?? '',
      };
      let job: ExplainJob;
      if (body.topology !== undefined) job = { message, topology: body.topology };
      else if (body.definitions !== undefined)
        job = { message, definitions: body.definitions, vhost: body.vhost };
      else
        job = {
          message,
          sessionTopology: findSession(app, body.sessionId ?? '', '/sessionId').topology,
        };
      const json = await offLoop(explainer, job, reply);
      // The explanation's JSON text, made on the worker: sent as it is (Fastify serializes no
      // string), not parsed and serialized again on the event loop.
      return reply.type('application/json; charset=utf-8').send(json as unknown as Explanation);
    },
  );
};
