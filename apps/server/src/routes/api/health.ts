import type { FastifyPluginAsync } from 'fastify';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Whether RabbitMQ and its management API are reachable',
        tags: ['health'],
      },
    },
    async () => app.broker.health(),
  );
};
