import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type {
  ProducerOutboxResponse,
  ProducerSendResponse,
  ProducerStateResponse,
  ProducersResponse,
} from '@warren/protocol';
import { ApiError } from '../../errors';
import {
  MAX_SEND_COUNT,
  ProducerConnectionError,
  ProducerNotFoundError,
  ProducerSettingsError,
} from '../../runtime/producers';
import { ErrorSchema } from './schemas';
import { editableSession, findSession } from './topology-input';

const ProducerParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  producerId: Type.String({ maxLength: 200 }),
});

const SessionOnlyParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const Counts = Type.Object({
  sending: Type.Integer(),
  confirmed: Type.Integer(),
  failed: Type.Integer(),
});

const ProducerStateSchema = Type.Object({
  producerId: Type.String(),
  status: Type.Enum(['idle', 'running', 'error']),
  running: Type.Boolean(),
  sent: Type.Integer({ description: 'basic.publish calls made, re-sends included.' }),
  confirmed: Type.Integer({ description: 'Confirmed (or committed) by the broker.' }),
  nacked: Type.Integer(),
  returned: Type.Integer({ description: 'Came back as basic.return (mandatory, unroutable).' }),
  connected: Type.Boolean(),
  mode: Type.Enum(['confirms', 'transactions', 'plain']),
  ratePerSecond: Type.Optional(Type.Number()),
  outbox: Type.Optional(Counts),
  error: Type.Optional(Type.String()),
});

const SendBody = Type.Object(
  {
    count: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_SEND_COUNT,
        description: 'How many messages to send with the producer’s settings (default 1).',
      }),
    ),
  },
  { additionalProperties: false },
);

const SendResult = Type.Object({
  messageId: Type.String(),
  exchange: Type.String(),
  routingKey: Type.String(),
  routedQueues: Type.Array(Type.String()),
  returned: Type.Optional(Type.Object({ replyCode: Type.Number(), replyText: Type.String() })),
  confirmed: Type.Boolean(),
  nacked: Type.Optional(Type.Boolean()),
  error: Type.Optional(Type.String()),
});

const OutboxEntrySchema = Type.Object({
  messageId: Type.String(),
  status: Type.Enum(['sending', 'confirmed', 'failed']),
  attempts: Type.Integer(),
  lastError: Type.Optional(Type.String()),
  updatedAt: Type.String({ description: 'ISO 8601 time of the last change.' }),
});

const errors = {
  400: ErrorSchema,
  401: ErrorSchema,
  404: ErrorSchema,
  503: ErrorSchema,
};

/** The runtime's errors as the API's one error shape. */
function asApiError(error: unknown): unknown {
  if (error instanceof ProducerNotFoundError)
    return new ApiError(404, 'NOT_FOUND', error.message, { path: '/producerId' });
  if (error instanceof ProducerSettingsError)
    return new ApiError(400, 'INVALID_REQUEST', error.message, { path: error.path });
  if (error instanceof ProducerConnectionError)
    return new ApiError(503, 'BROKER_UNAVAILABLE', error.message);
  return error;
}

async function mapped<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asApiError(error);
  }
}

/** Producer nodes run by the server: their states, continuous start/stop, one-shot sends, outbox. */
export const producerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/sessions/:id/producers',
    {
      schema: {
        summary: 'States and exact counters of the diagram’s producers',
        tags: ['producers'],
        params: SessionOnlyParams,
        response: { 200: Type.Object({ producers: Type.Array(ProducerStateSchema) }), ...errors },
      },
    },
    async (request): Promise<ProducersResponse> => ({
      producers: findSession(app, request.params.id).producers.list(),
    }),
  );

  app.post(
    '/api/sessions/:id/producers/:producerId/start',
    {
      schema: {
        summary: 'Start sending continuously at the producer’s rate (ratePerSecond, burst)',
        tags: ['producers'],
        params: ProducerParams,
        response: { 200: Type.Object({ producer: ProducerStateSchema }), ...errors },
      },
    },
    async (request): Promise<ProducerStateResponse> => {
      const session = editableSession(app, request);
      return mapped(() => ({ producer: session.producers.start(request.params.producerId) }));
    },
  );

  app.post(
    '/api/sessions/:id/producers/:producerId/stop',
    {
      schema: {
        summary: 'Stop a running producer',
        tags: ['producers'],
        params: ProducerParams,
        response: { 200: Type.Object({ producer: ProducerStateSchema }), ...errors },
      },
    },
    async (request): Promise<ProducerStateResponse> => {
      const session = editableSession(app, request);
      return mapped(async () => ({
        producer: await session.producers.stop(request.params.producerId),
      }));
    },
  );

  app.post(
    '/api/sessions/:id/producers/:producerId/send',
    {
      schema: {
        summary: 'Send messages with the producer’s full settings and get what became of each',
        description:
          'Each result says where the broker routed the message (firehose), whether it came back as a return, and whether the broker confirmed or nacked it.',
        tags: ['producers'],
        params: ProducerParams,
        body: Type.Optional(Type.Union([SendBody, Type.Null()])),
        response: {
          200: Type.Object({
            producerId: Type.String(),
            results: Type.Array(SendResult),
            producer: ProducerStateSchema,
          }),
          ...errors,
        },
      },
    },
    async (request): Promise<ProducerSendResponse> => {
      const session = editableSession(app, request);
      const { producerId } = request.params;
      return mapped(async () => {
        const results = await session.producers.send(producerId, request.body?.count ?? 1);
        return { producerId, results, producer: session.producers.state(producerId) };
      });
    },
  );

  app.get(
    '/api/sessions/:id/producers/:producerId/outbox',
    {
      schema: {
        summary: 'A reliable producer’s outbox: the newest messages with status and attempts',
        tags: ['producers'],
        params: ProducerParams,
        response: {
          200: Type.Object({
            producerId: Type.String(),
            reliable: Type.Boolean(),
            counts: Counts,
            entries: Type.Array(OutboxEntrySchema),
          }),
          ...errors,
        },
      },
    },
    async (request): Promise<ProducerOutboxResponse> => {
      const session = findSession(app, request.params.id);
      return mapped(() => session.producers.outbox(request.params.producerId));
    },
  );
};
