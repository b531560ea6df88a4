import { errorBody, type ErrorDetail } from '@warren/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { WarrenError } from './warren-error';

/** Fastify's own errors (validation, body limit, bad requests) in Warren's terms. */
function fromFastify(error: FastifyError): WarrenError | undefined {
  if (error.validation) {
    const details: ErrorDetail[] = error.validation.map((v) => {
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
    return new WarrenError('INVALID_REQUEST', details.map((d) => d.message).join(' '), {
      details,
    });
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new WarrenError('PAYLOAD_TOO_LARGE');
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new WarrenError('INVALID_REQUEST', error.message, {}, { status: error.statusCode });
  }
  return undefined;
}

/** One error handler: every error gets one JSON shape, and 5xx hide internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof WarrenError ? error : fromFastify(error);
    if (!known || known.code === 'INTERNAL') {
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send(errorBody('INTERNAL'));
    }
    if (known.statusCode >= 500) request.log.warn({ err: error }, known.code);
    const body = errorBody(known.code, known.replyMessage, known.extra);
    return reply.status(known.statusCode).send({ ...body, ...known.siblings });
  });
}
