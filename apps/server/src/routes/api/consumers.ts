import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ConsumerState, ConsumersResponse } from '@warren/protocol';
import { ApiError } from '../../errors';
import { ConsumerActionError } from '../../runtime/consumers/consumer-runtime';
import type { Session } from '../../sessions/session';
import { ErrorSchema, SessionParams } from './schemas';
import { editableSession, findSession } from './topology-input';

const ConsumerStateSchema = Type.Object(
  {
    consumerId: Type.String(),
    name: Type.String(),
    queue: Type.String(),
    status: Type.Union([
      Type.Literal('running'),
      Type.Literal('paused'),
      Type.Literal('stopped'),
      Type.Literal('killed'),
      Type.Literal('error'),
    ]),
    received: Type.Integer(),
    acked: Type.Integer(),
    nacked: Type.Integer(),
    rejected: Type.Integer(),
    requeued: Type.Integer(),
    duplicates: Type.Integer(),
    replied: Type.Integer(),
    inFlight: Type.Integer(),
    error: Type.Optional(Type.String()),
  },
  { description: 'A consumer run by Warren and its exact counters.' },
);

const ConsumerParams = Type.Object({
  id: SessionParams.properties.id,
  consumerId: Type.String({ maxLength: 200 }),
});

const errors = { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 503: ErrorSchema };

const ACTIONS = {
  start:
    'Start consuming (basic.consume with its prefetch); a stopped or killed consumer comes back',
  pause:
    'Pause: basic.cancel, so no new deliveries; messages already delivered are processed and settled',
  resume: 'Resume a paused consumer (basic.consume again)',
  kill: 'Kill the consumer mid-flight: its connection is closed and the broker returns its unacked messages to the queue',
} as const;

type Action = keyof typeof ACTIONS;

function run(session: Session, action: Action, consumerId: string) {
  const runtime = session.consumers;
  switch (action) {
    case 'start':
      return runtime.start(consumerId);
    case 'pause':
      return runtime.pause(consumerId);
    case 'resume':
      return runtime.resume(consumerId);
    case 'kill':
      return runtime.kill(consumerId);
  }
}

/** The consumer nodes Warren runs for a session: their state and exact counters, and control. */
export const consumerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/sessions/:id/consumers',
    {
      schema: {
        summary: 'The consumers Warren runs for the diagram, with their status and exact counters',
        tags: ['consumers'],
        params: SessionParams,
        response: {
          200: Type.Object({ consumers: Type.Array(ConsumerStateSchema) }),
          ...errors,
        },
      },
    },
    async (request): Promise<ConsumersResponse> => ({
      consumers: findSession(app, request.params.id).consumers.list(),
    }),
  );

  for (const action of Object.keys(ACTIONS) as Action[]) {
    app.post(
      `/api/sessions/:id/consumers/:consumerId/${action}`,
      {
        schema: {
          summary: ACTIONS[action],
          tags: ['consumers'],
          params: ConsumerParams,
          response: { 200: ConsumerStateSchema, ...errors, 409: ErrorSchema },
        },
      },
      async (request): Promise<ConsumerState> => {
        const session = editableSession(app, request);
        const { consumerId } = request.params;
        try {
          const state = await run(session, action, consumerId);
          if (state) return state;
        } catch (error) {
          if (error instanceof ConsumerActionError)
            throw new ApiError(409, 'INVALID_REQUEST', error.message, { path: '/consumerId' });
          throw error;
        }
        throw new ApiError(
          404,
          'NOT_FOUND',
          `There is no consumer '${consumerId}' in this session's diagram; add it and apply the diagram first.`,
          { path: '/consumerId' },
        );
      },
    );
  }
};
