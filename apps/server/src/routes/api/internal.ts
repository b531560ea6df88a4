import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SessionParamsSchema } from '@warren/protocol';
import { FORWARDED_BY, PEER_TOKEN } from '../../cluster/session-keys';
import { WarrenError } from '../../errors/warren-error';
import { snapshotOf } from '../../teaching/classroom-home';
import { errorReplies } from './error-replies';
import { findSession } from './topology-input';

const WatchRequestSchema = Type.Object(
  {
    serverId: Type.String({ minLength: 1, maxLength: 255 }),
    /** Answer with the session as it is now (a viewer's hello); false only renews the watch. */
    snapshot: Type.Boolean(),
  },
  { additionalProperties: false },
);

/**
 * What the server that runs a session answers to the other servers sharing the store. Only peers
 * (a server of the directory, with its peer token) are answered.
 */
export const internalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const peerOnly = async (request: FastifyRequest) => {
    const id = request.headers[FORWARDED_BY];
    const token = request.headers[PEER_TOKEN];
    if (
      typeof id !== 'string' ||
      typeof token !== 'string' ||
      !(await app.cluster.directory.isKnownPeer(id, token))
    )
      throw new WarrenError('NOT_FOUND', `No route ${request.method} ${request.url}.`);
  };

  app.post(
    '/api/internal/sessions/:id/watchers',
    {
      schema: {
        summary: "Another Warren server starts or renews its watch of this server's session",
        tags: ['internal'],
        hide: true,
        params: SessionParamsSchema,
        body: WatchRequestSchema,
        response: { 200: Type.Unknown(), 204: Type.Null(), ...errorReplies(400, 404) },
      },
      preHandler: peerOnly,
    },
    async (request, reply) => {
      const session = findSession(app, request.params.id);
      // The watch starts before the snapshot is read: every event after the snapshot's seq is
      // published on the bus for the asking server.
      app.cluster.fanout.watch(session, request.body.serverId);
      if (!request.body.snapshot) return reply.status(204).send(null);
      return snapshotOf(session, app.lessonRuns);
    },
  );

  app.delete(
    '/api/internal/sessions/:id/watchers/:serverId',
    {
      schema: {
        summary: "Another Warren server has no viewers of this server's session left",
        tags: ['internal'],
        hide: true,
        params: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 64 }),
          serverId: Type.String({ minLength: 1, maxLength: 255 }),
        }),
        response: { 204: Type.Null(), ...errorReplies(404) },
      },
      preHandler: peerOnly,
    },
    async (request, reply) => {
      app.cluster.fanout.unwatch(request.params.id, request.params.serverId);
      return reply.status(204).send(null);
    },
  );
};
