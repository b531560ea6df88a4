import { errorBody, type ErrorBody, type ErrorCode, type ErrorDetail } from '@warren/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ManagementError } from './broker/management';
import { BrokerDisconnectedError } from './sessions/channel-slot';
import { PublishError } from './sessions/session';
import { BrokerUnavailableError } from './sessions/session-registry';

/** An error meant for the client: it becomes `{ error: { code, message, ... } }` with `status`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message?: string,
    readonly extra: Omit<ErrorBody['error'], 'code' | 'message'> & Record<string, unknown> = {},
    /** Fields placed beside `error` in the body (e.g. nodeErrors of a partial apply). */
    readonly siblings: Record<string, unknown> = {},
  ) {
    super(message ?? code);
    this.name = 'ApiError';
  }
}

const PUBLISH_STATUS: Record<PublishError['code'], number> = {
  BROKER_NOT_FOUND: 404,
  ACCESS_REFUSED: 403,
  PRECONDITION_FAILED: 406,
  BROKER_REFUSED: 409,
  PUBLISH_TIMEOUT: 504,
};

function toApiError(error: FastifyError | Error): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof BrokerUnavailableError) {
    return new ApiError(
      503,
      'BROKER_UNAVAILABLE',
      undefined,
      error.hint ? { hint: error.hint } : {},
    );
  }
  if (error instanceof BrokerDisconnectedError) {
    return new ApiError(
      503,
      'BROKER_UNAVAILABLE',
      'The session is not connected to RabbitMQ right now; it reconnects by itself.',
    );
  }
  if (error instanceof PublishError) {
    return new ApiError(
      PUBLISH_STATUS[error.code],
      error.code,
      error.message,
      error.path ? { path: error.path } : {},
    );
  }
  if (error instanceof ManagementError && (error.status === 0 || error.status >= 500)) {
    return new ApiError(503, 'MANAGEMENT_UNAVAILABLE', undefined, {
      hint: 'Run `rabbitmq-plugins enable rabbitmq_management` on the broker, or set MANAGEMENT_URL.',
    });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details: ErrorDetail[] = fastifyError.validation.map((v) => {
      const params = v.params as { additionalProperty?: unknown; missingProperty?: unknown };
      const extra = params.additionalProperty;
      const missing = params.missingProperty;
      // Point at the field itself, so a client can mark exactly that field.
      const field = typeof extra === 'string' ? extra : missing;
      const path = typeof field === 'string' ? `${v.instancePath}/${field}` : v.instancePath;
      const message =
        typeof extra === 'string'
          ? 'is not a known field'
          : typeof missing === 'string'
            ? 'is required'
            : (v.message ?? 'is not valid');
      return { path, message: `${path || 'The body'} ${message}.` };
    });
    return new ApiError(400, 'INVALID_REQUEST', details.map((d) => d.message).join(' '), {
      details,
    });
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ApiError(413, 'PAYLOAD_TOO_LARGE');
  }
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return new ApiError(fastifyError.statusCode, 'INVALID_REQUEST', fastifyError.message);
  }
  return undefined;
}

/** One error handler: every error gets one JSON shape, and 5xx hide internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const api = toApiError(error);
    if (!api) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send(errorBody('INTERNAL'));
    }
    if (api.status >= 500) request.log.warn({ err: error }, api.code);
    const body = errorBody(api.code, api.message === api.code ? undefined : api.message, api.extra);
    return reply.status(api.status).send({ ...body, ...api.siblings });
  });
}
