import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config';
import { WarrenError } from '../../errors/warren-error';

const creatingSession = (request: FastifyRequest) =>
  request.method === 'POST' && request.url.split('?')[0] === '/api/sessions';

/**
 * Per client (IP address) limits: sessions created per minute, and requests per minute to
 * everything else. Both answer 429 RATE_LIMITED with Retry-After; 0 turns a limit off.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  config: Config,
  /** Requests another Warren server passed on: counted where the client sent them. */
  fromPeer: (request: FastifyRequest) => boolean = () => false,
): Promise<void> {
  const limitOf = (request: FastifyRequest) =>
    creatingSession(request) ? config.sessionCreatesPerMinute : config.requestsPerMinute;
  await app.register(fastifyRateLimit, {
    global: true,
    timeWindow: 60_000,
    // Session creations are counted on their own, so browsing never uses them up.
    keyGenerator: (request) => `${request.ip}${creatingSession(request) ? ' sessions' : ''}`,
    max: (request) => limitOf(request),
    allowList: (request) => limitOf(request) === 0 || fromPeer(request),
    errorResponseBuilder: (request, context) =>
      new WarrenError(
        'RATE_LIMITED',
        creatingSession(request)
          ? `Too many sessions created from this address (at most ${context.max} a minute); try again in ${context.after}.`
          : `Too many requests from this address (at most ${context.max} a minute); try again in ${context.after}.`,
      ),
  });
}
