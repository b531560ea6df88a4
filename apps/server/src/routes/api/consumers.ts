import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ConsumerActionResponseSchema,
  ConsumerParamsSchema,
  ConsumersResponseSchema,
  SessionParamsSchema,
  type ConsumerState,
  type ConsumersResponse,
} from '@warren/protocol';
import type { Session } from '../../session/session';
import { errorReplies } from './error-replies';
import { editableSession, findSession, notInDiagram } from './topology-input';

const errors = errorReplies(400, 401, 404, 503);

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
        params: SessionParamsSchema,
        response: { 200: ConsumersResponseSchema, ...errors },
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
          params: ConsumerParamsSchema,
          response: { 200: ConsumerActionResponseSchema, ...errorReplies(400, 401, 404, 409, 503) },
        },
      },
      async (request): Promise<ConsumerState> => {
        const session = editableSession(app, request);
        const { consumerId } = request.params;
        const state = await run(session, action, consumerId);
        if (!state) throw notInDiagram('consumer', consumerId);
        // Kept before the answer: a restarted server puts the consumer back in this state.
        await session.saveRuntime();
        return state;
      },
    );
  }
};
