import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthResponseSchema } from '@warren/protocol';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Whether RabbitMQ and its management API are reachable',
        tags: ['health'],
        response: { 200: HealthResponseSchema },
      },
    },
    async () => app.broker.health(),
  );
};
