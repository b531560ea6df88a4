import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { exportDefinitions, type Topology } from '@warren/topology';
import {
  DefinitionsFileResponseSchema,
  ExportDefinitionsRequestSchema,
  ImportDefinitionsRequestSchema,
  ImportDefinitionsResponseSchema,
  NOT_EXPORTED_HEADER,
  type ImportDefinitionsResponse,
} from '@warren/protocol';
import { errorReplies } from './error-replies';
import type { ImportJob } from './definitions-worker';
import { OFF_LOOP_LIMITS, offLoop } from './off-loop';
import { topologyOrThrow, type ImportedDefinitions } from './topology-input';
import { WorkerPool } from '../../workers/worker-pool';

/** The definitions file as the body; what it had to leave out in a header. */
export function sendDefinitions(reply: FastifyReply, topology: Topology, vhost?: string) {
  const exported = exportDefinitions(topology, vhost === undefined ? {} : { vhost });
  void reply.header(NOT_EXPORTED_HEADER, encodeURIComponent(JSON.stringify(exported.notExported)));
  return exported.definitions;
}

export const definitionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A large file (thousands of queues to lay out and validate) is read off the event loop.
  const importer = new WorkerPool<ImportJob, ImportedDefinitions>(
    new URL('./definitions-worker.ts', import.meta.url),
    OFF_LOOP_LIMITS,
  );
  app.addHook('onClose', () => importer.close());
  app.post(
    '/api/definitions/import',
    {
      schema: {
        summary: 'Read a RabbitMQ definitions file into a topology document',
        description:
          'Anything the diagram cannot hold is listed in notImported. A full export of several vhosts needs "vhost"; without it the 400 lists them in error.vhosts.',
        tags: ['definitions'],
        body: ImportDefinitionsRequestSchema,
        response: { 200: ImportDefinitionsResponseSchema, ...errorReplies(400, 422, 503) },
      },
    },
    async (request, reply): Promise<ImportDefinitionsResponse> => {
      const imported = await offLoop(
        importer,
        { definitions: request.body.definitions, vhost: request.body.vhost },
        reply,
      );
      return {
        topology: imported.topology,
        vhost: imported.vhost ?? null,
        notImported: imported.notImported,
      };
    },
  );

  app.post(
    '/api/definitions/export',
    {
      schema: {
        summary: 'Write a topology document as a RabbitMQ definitions file',
        tags: ['definitions'],
        body: ExportDefinitionsRequestSchema,
        response: { 200: DefinitionsFileResponseSchema, ...errorReplies(400) },
      },
    },
    async (request, reply) =>
      sendDefinitions(
        reply,
        topologyOrThrow(request.body.topology, '/topology'),
        request.body.vhost,
      ),
  );
};
