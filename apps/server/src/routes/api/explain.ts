import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ExplainMessage, Explanation } from '@warren/topology';
import { ExplainRequestSchema, ExplainResponseSchema } from '@warren/protocol';
import { errorReplies } from './error-replies';
import type { ExplainFailure, ExplainJob } from './explain-worker';
import { WarrenError } from '../../errors/warren-error';
import { JobFailed, JobTooCostly, PoolBusy, WorkerPool } from '../../workers/worker-pool';
import { findSession } from './topology-input';

/**
 * Explaining needs no token, and its cost grows with the diagram (validating thousands of
 * objects, every binding's pattern against the key, a reply of megabytes): it runs on a worker
 * thread, so no request waits on it, with a time limit. One thread: a small server has two
 * cores, one for the event loop. A few requests may wait for it; more are told to come back.
 */
const EXPLAIN_LIMITS = {
  size: 1,
  timeoutMs: 5000,
  maxQueued: 8,
  maxHeapMb: 256,
  // Started by the first request (loading takes about a second), ended when unused a while.
  idleMs: 5 * 60_000,
};
/** When a client refused for a busy explainer may try again. */
const RETRY_AFTER_SECONDS = 1;

export const explainRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const explainer = new WorkerPool<ExplainJob, string>(
    new URL('./explain-worker.ts', import.meta.url),
    EXPLAIN_LIMITS,
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
      let json: string;
      try {
        json = await explainer.run(job);
      } catch (error) {
        if (error instanceof JobFailed) {
          const failure = error.failure as ExplainFailure;
          throw new WarrenError(failure.code, failure.message, failure.extra);
        }
        if (error instanceof JobTooCostly) {
          throw new WarrenError(
            'EXPLAIN_TOO_COMPLEX',
            `Explaining this message took more than ${error.limit}; explain it against fewer bindings or shorter patterns.`,
          );
        }
        if (error instanceof PoolBusy) {
          void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
          throw new WarrenError(
            'SERVER_BUSY',
            'Warren is explaining other messages; try again in a moment.',
          );
        }
        throw error;
      }
      // The explanation's JSON text, made on the worker: sent as it is (Fastify serializes no
      // string), not parsed and serialized again on the event loop.
      return reply.type('application/json; charset=utf-8').send(json as unknown as Explanation);
    },
  );
};
