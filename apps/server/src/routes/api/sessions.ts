import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { connectSnippets, shortstrProblem, tableIssues, type Topology } from '@warren/topology';
import {
  ApplyTopologyQuerySchema,
  ApplyTopologyResponseSchema,
  ConnectResponseSchema,
  CountersResponseSchema,
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  DefinitionsFileResponseSchema,
  PublishRequestSchema,
  PublishResponseSchema,
  QueuesResponseSchema,
  SessionParamsSchema,
  SessionSummarySchema,
  TopologyDocumentSchema,
  type ConnectResponse,
  type CreateSessionResponse,
  type PublishRequest,
  type SessionSummary,
} from '@warren/protocol';
import type { Lesson } from '@warren/lessons';
import type { Config } from '../../config';
import { errorReplies } from './error-replies';
import { lessonOrThrow } from './lessons';
import { WarrenError } from '../../errors/warren-error';
import type { Session } from '../../session/session';
import { sendDefinitions } from './definitions';
import {
  definitionsOrThrow,
  editableSession,
  findSession,
  topologyOrThrow,
} from './topology-input';

export { topologyOrThrow };

function summary(session: Session, lesson: Lesson | undefined): SessionSummary {
  const brokerNames = session.brokerNames();
  return {
    id: session.id,
    vhost: session.vhost,
    createdAt: session.identity.createdAt.toISOString(),
    topology: session.topology,
    ...(Object.keys(brokerNames).length > 0 ? { brokerNames } : {}),
    ...(session.identity.diagram ? { diagram: session.identity.diagram } : {}),
    ...(lesson ? { lessonId: lesson.id } : {}),
  };
}

const errors = errorReplies(400, 401, 404, 503);

export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const find = (id: string): Session => findSession(app, id);
  const summaryOf = (session: Session) => summary(session, app.lessonRuns.lessonOf(session));
  const editable = (request: FastifyRequest<{ Params: { id: string } }>): Session =>
    editableSession(app, request);

  app.post(
    '/api/sessions',
    {
      schema: {
        summary:
          'Create a session: its own vhost, optionally from a topology or a RabbitMQ definitions file',
        tags: ['sessions'],
        body: Type.Optional(Type.Union([CreateSessionRequestSchema, Type.Null()])),
        response: { 201: CreateSessionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      let topology: Topology | undefined;
      let notImported: string[] | undefined;
      let diagram: { id: string; revision: number } | undefined;
      let lesson: Lesson | undefined;
      const sources = (['topology', 'definitions', 'diagramId', 'lessonId'] as const).filter(
        (key) => body[key] !== undefined,
      );
      if (sources.length > 1) {
        throw new WarrenError(
          'INVALID_REQUEST',
          `Give one of "topology", "definitions", "diagramId" or "lessonId", not ${sources.map((k) => `"${k}"`).join(' and ')}.`,
        );
      }
      if (body.revision !== undefined && body.diagramId === undefined) {
        throw new WarrenError('INVALID_REQUEST', '"revision" goes with "diagramId".', {
          path: '/revision',
        });
      }
      if (body.lessonId !== undefined) {
        lesson = lessonOrThrow(app.lessons.get(body.lessonId), body.lessonId, '/lessonId');
        topology = lesson.document;
      } else if (body.diagramId !== undefined) {
        const saved = await app.diagrams.at(body.diagramId, body.revision);
        topology = topologyOrThrow(JSON.parse(saved.document), '/diagramId');
        diagram = { id: body.diagramId, revision: saved.revision };
      } else if (body.definitions !== undefined) {
        const imported = definitionsOrThrow(body.definitions, body.vhost);
        topology = imported.topology;
        notImported = imported.notImported;
      } else if (body.topology !== undefined) {
        topology = topologyOrThrow(body.topology, '/topology');
      }
      if (topology) refuseOverSessionCaps(app.config, topology);
      const { session, nodeErrors, editToken } = await app.sessions.create(
        topology,
        diagram,
        lesson?.id,
      );
      if (lesson) app.lessonRuns.start(session, lesson);
      const response: CreateSessionResponse = {
        ...summaryOf(session),
        editToken,
        amqp: app.sessions.amqpDetails(session),
        ...(notImported ? { notImported } : {}),
        ...(nodeErrors.length > 0 ? { nodeErrors } : {}),
      };
      return reply.status(201).send(response);
    },
  );

  app.get(
    '/api/sessions/:id/connect',
    {
      schema: {
        summary:
          "The session's AMQP URL (a broker user limited to its vhost) and programs for pika, amqplib, Spring AMQP, Go and .NET that publish and consume on it",
        description: 'Needs the edit token: the URL carries the password.',
        tags: ['sessions'],
        params: SessionParamsSchema,
        response: { 200: ConnectResponseSchema, ...errors },
      },
    },
    async (request): Promise<ConnectResponse> => {
      const session = editable(request);
      const amqp = app.sessions.amqpDetails(session);
      return { amqp, snippets: connectSnippets(amqp.url, session.topology) };
    },
  );

  app.get(
    '/api/sessions/:id',
    {
      schema: {
        summary: 'A session and its applied topology',
        tags: ['sessions'],
        params: SessionParamsSchema,
        response: { 200: SessionSummarySchema, ...errors },
      },
    },
    async (request) => summaryOf(find(request.params.id)),
  );

  app.delete(
    '/api/sessions/:id',
    {
      schema: {
        summary: 'End a session and delete its vhost',
        tags: ['sessions'],
        params: SessionParamsSchema,
        response: {
          204: Type.Null({ description: 'Ended: its clients stopped, its vhost is gone.' }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      editable(request);
      await app.sessions.remove(request.params.id);
      return reply.status(204).send(null);
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
        params: SessionParamsSchema,
        querystring: ApplyTopologyQuerySchema,
        body: TopologyDocumentSchema,
        response: { 200: ApplyTopologyResponseSchema, ...errorReplies(400, 401, 404, 409, 503) },
      },
    },
    async (request) => {
      const session = editable(request);
      const topology = topologyOrThrow(request.body);
      refuseOverSessionCaps(app.config, topology);
      const result = await session.apply(topology, {
        recreate: request.query.recreate === true,
        ...(request.query.seenSeq === undefined ? {} : { seenSeq: request.query.seenSeq }),
      });
      if (result.nodeErrors.length > 0) {
        const count = result.nodeErrors.length;
        throw new WarrenError(
          'BROKER_REFUSED',
          `The broker refused ${count} part${count > 1 ? 's' : ''} of the diagram; the rest was applied. ${result.nodeErrors.map((e) => e.message).join(' ')}`,
          { path: result.nodeErrors[0]?.path ?? '' },
          { siblings: { ...result } },
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
        params: SessionParamsSchema,
        body: PublishRequestSchema,
        response: {
          200: PublishResponseSchema,
          ...errorReplies(400, 401, 403, 404, 406, 409, 413, 503, 504),
        },
      },
    },
    async (request) => {
      const session = editable(request);
      const size = Buffer.byteLength(request.body.payload ?? '');
      if (size > app.config.maxPayloadBytes) {
        throw new WarrenError(
          'PAYLOAD_TOO_LARGE',
          `The payload has ${size} bytes; at most ${app.config.maxPayloadBytes} are accepted.`,
          { path: '/payload' },
        );
      }
      refuseWhatAmqpCannotCarry(request.body);
      return session.publish(request.body);
    },
  );

  app.get(
    '/api/sessions/:id/queues',
    {
      schema: {
        summary: 'Depth, unacked and consumers of every queue in the diagram',
        tags: ['sessions'],
        params: SessionParamsSchema,
        response: { 200: QueuesResponseSchema, ...errors },
      },
    },
    async (request) => ({ queues: await find(request.params.id).queueStates() }),
  );

  app.get(
    '/api/sessions/:id/counters',
    {
      schema: {
        summary:
          'Messages that travelled each canvas edge and passed each exchange, from the broker reports',
        tags: ['sessions'],
        params: SessionParamsSchema,
        response: { 200: CountersResponseSchema, ...errors },
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
        params: SessionParamsSchema,
        response: { 200: CountersResponseSchema, ...errors },
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
        params: SessionParamsSchema,
        response: { 200: DefinitionsFileResponseSchema, ...errors },
      },
    },
    async (request, reply) => sendDefinitions(reply, find(request.params.id).topology),
  );
};

/**
 * Names, keys and headers AMQP cannot carry are refused here: amqplib would throw only after
 * taking the publishing channel.
 */
function refuseWhatAmqpCannotCarry(body: PublishRequest): void {
  const texts: [string, string, string | undefined][] = [
    ['/exchange', 'The exchange name', body.exchange],
    ['/routingKey', 'The routing key', body.routingKey],
    ['/messageId', 'The message id', body.messageId],
  ];
  const issues = texts.flatMap(([path, what, text]) => {
    const problem = text === undefined ? undefined : shortstrProblem(what, text);
    return problem === undefined ? [] : [{ path, message: problem }];
  });
  issues.push(...tableIssues(body.headers, '/headers', 'Headers'));
  const first = issues[0];
  if (first !== undefined) {
    throw new WarrenError('INVALID_REQUEST', first.message, {
      path: first.path,
      details: issues,
    });
  }
}

/**
 * What one session may run: producers, and the messages per second they aim for together
 * (ratePerSecond × burst), so no session takes the broker or this server from the others.
 */
function refuseOverSessionCaps(config: Config, topology: Topology): void {
  const producers = topology.producers;
  if (producers.length > config.maxProducersPerSession) {
    throw new WarrenError(
      'LIMIT_REACHED',
      `The diagram has ${producers.length} producers; a session runs at most ${config.maxProducersPerSession}.`,
      { path: '/producers' },
    );
  }
  const rate = producers.reduce((sum, p) => sum + (p.ratePerSecond ?? 0) * (p.burst ?? 1), 0);
  if (rate > config.maxSessionPublishRate) {
    throw new WarrenError(
      'LIMIT_REACHED',
      `The producers aim for ${Math.round(rate)} messages per second together; a session sends at most ${config.maxSessionPublishRate}. Lower their rates or bursts.`,
      { path: '/producers' },
    );
  }
}
