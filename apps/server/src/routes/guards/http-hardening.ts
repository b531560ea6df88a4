import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config';
import { WarrenError } from '../../errors/warren-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `example.org:8080` → `example.org`; `[::1]:80` → `[::1]`. */
function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (hostHeader === undefined || hostHeader === '') return undefined;
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim().toLowerCase());
  return match?.[1];
}

function originHost(origin: string): string | undefined {
  try {
    const parsed = new URL(origin);
    return parsed.hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

const forbidden = (message: string) =>
  new WarrenError('INVALID_REQUEST', message, {}, { status: 403 });

/**
 * What a browser could be tricked into: a page of another site posting a form to Warren
 * (Origin and JSON-only bodies), a name that resolves to this machine (Host, against DNS
 * rebinding), framing Warren in another site (CSP frame-ancestors, X-Frame-Options).
 * Scripts (curl, programs) send no Origin and are not affected.
 */
function hostCheck(config: Config): (host: string | undefined) => boolean {
  const hosts = config.allowedHosts === '*' ? undefined : new Set(config.allowedHosts);
  return (host) => hosts === undefined || (host !== undefined && hosts.has(host));
}

export async function registerHttpHardening(app: FastifyInstance, config: Config): Promise<void> {
  const allowed = hostCheck(config);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const host = hostnameOf(request.headers.host);
    if (host !== undefined && !allowed(host)) {
      throw forbidden(
        `This server does not answer to the host name '${host ?? ''}'; add it to ALLOWED_HOSTS.`,
      );
    }
    const websocket = request.headers.upgrade?.toLowerCase() === 'websocket';
    const changing = !SAFE_METHODS.has(request.method);
    const origin = request.headers.origin;
    if ((changing || websocket) && origin !== undefined) {
      // A sandboxed page or a file sends the origin 'null': never one of ours.
      if (!allowed(origin === 'null' ? undefined : originHost(origin)))
        throw forbidden(`Requests from pages of '${origin}' are not accepted.`);
    }
    if (changing && request.url.startsWith('/api/')) {
      const type = request.headers['content-type'];
      const length = Number(request.headers['content-length'] ?? 0);
      const json = type !== undefined && /^application\/json\b/i.test(type);
      if ((type !== undefined && !json) || (type === undefined && length > 0)) {
        throw new WarrenError(
          'INVALID_REQUEST',
          'Request bodies must be JSON (Content-Type: application/json).',
          {},
          { status: 415 },
        );
      }
    }
  });

  // A refused websocket handshake is an HTTP answer on a connection that was to be upgraded:
  // nothing else will use or close it.
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 101 && request.headers.upgrade?.toLowerCase() === 'websocket')
      request.raw.socket?.destroy();
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React Flow positions nodes with style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        frameAncestors: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'sameorigin' },
    // Warren is often reached over plain HTTP on a classroom network.
    hsts: false,
    crossOriginEmbedderPolicy: false,
  });
}
