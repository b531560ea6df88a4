import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '@warren/protocol';
import type { SessionElsewhere, SessionLocator } from '../../cluster/session-locator';
import { FORWARDED_BY, PEER_TOKEN, SERVED_BY } from '../../cluster/session-keys';

/**
 * Longest wait for the owner to connect and send its reply's head. A publish waits up to a few
 * seconds for the broker's outcome, so this is longer than that, and a dead owner never hangs a
 * request.
 */
export const FORWARD_TIMEOUT_MS = 10_000;

/** Headers that belong to one connection, never passed on (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** `/api/sessions/<id>` and below, except creating one. */
const SESSION_PATH = /^\/api\/sessions\/([^/?#]+)(?:[/?#]|$)/;

export interface ForwardDeps {
  locator: SessionLocator;
  /** This server's id and peer token, sent with what it forwards. */
  selfId: string;
  peerToken: string;
}

function unavailable(reply: FastifyReply, sessionId: string, owner: SessionElsewhere, why: string) {
  return reply
    .status(503)
    .header('retry-after', '5')
    .send(
      errorBody(
        'SESSION_SERVER_UNAVAILABLE',
        `Session '${sessionId}' runs on Warren server ${owner.serverId}, which ${why}; try again in a moment.`,
        {
          hint: 'That server may be restarting. If the session does not come back, start a new one (a saved diagram opens in it again).',
        },
      ),
    );
}

function passedOn(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/**
 * Sends a request to the server that runs its session and relays the reply as it comes (status,
 * headers, body), with `x-warren-served-by`. Node's own http client: the body streams through
 * untouched, the Host header is kept (the owner checks it like this server did), and a dead or
 * stuck owner is a 503 naming the session within FORWARD_TIMEOUT_MS.
 */
async function forward(
  request: FastifyRequest,
  reply: FastifyReply,
  sessionId: string,
  owner: SessionElsewhere,
  deps: ForwardDeps,
  body?: string,
): Promise<FastifyReply> {
  const target = new URL(request.url, owner.url);
  const headers = passedOn(request.headers);
  const forwardedFor = request.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor
    ? `${[forwardedFor].flat().join(', ')}, ${request.ip}`
    : request.ip;
  headers[FORWARDED_BY] = deps.selfId;
  headers[PEER_TOKEN] = deps.peerToken;
  if (body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(body));
    headers['content-type'] = 'application/json';
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  let answer: IncomingMessage;
  try {
    answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = send(target, { method: request.method, headers }, resolve);
      const timer = setTimeout(
        () => outgoing.destroy(new Error(`no answer in ${FORWARD_TIMEOUT_MS / 1000} s`)),
        FORWARD_TIMEOUT_MS,
      );
      outgoing.once('response', () => clearTimeout(timer));
      outgoing.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      if (body !== undefined) outgoing.end(body);
      else if (request.method === 'GET' || request.method === 'HEAD') outgoing.end();
      else request.raw.pipe(outgoing);
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'failed';
    request.log.warn(
      { err: error, session: sessionId, owner: owner.serverId },
      'forwarding failed',
    );
    return unavailable(reply, sessionId, owner, `does not answer (${reason})`);
  }
  // A reply whose body stops coming is cut rather than held open.
  answer.setTimeout(FORWARD_TIMEOUT_MS, () =>
    answer.destroy(new Error(`the reply stalled for ${FORWARD_TIMEOUT_MS / 1000} s`)),
  );
  reply.status(answer.statusCode ?? 502);
  for (const [name, value] of Object.entries(passedOn(answer.headers))) reply.header(name, value);
  reply.header(SERVED_BY, owner.serverId);
  return reply.send(answer);
}

/**
 * Requests for a session that runs on another server go to that server: every
 * `/api/sessions/:id/...` request (before its body is read) and `POST /api/explain` with a
 * `sessionId`. A request a peer forwarded is never forwarded again.
 */
export function registerForwarding(app: FastifyInstance, deps: ForwardDeps): void {
  const owner = async (request: FastifyRequest, reply: FastifyReply, sessionId: string) => {
    if (request.headers[FORWARDED_BY] !== undefined) return undefined;
    try {
      const where = await deps.locator.where(sessionId);
      if (where !== 'here') return where;
      reply.header(SERVED_BY, deps.selfId);
    } catch (error) {
      // The store cannot be asked: this server answers as it would alone.
      request.log.warn({ err: error, session: sessionId }, 'locating a session failed');
    }
    return undefined;
  };
  app.addHook('onRequest', async (request, reply) => {
    const id = SESSION_PATH.exec(request.url)?.[1];
    if (id === undefined) return;
    // A websocket on a session elsewhere is served here, from the bus (see the events route).
    if (request.headers.upgrade?.toLowerCase() === 'websocket') return;
    let sessionId: string;
    try {
      sessionId = decodeURIComponent(id);
    } catch {
      return;
    }
    const elsewhere = await owner(request, reply, sessionId);
    if (elsewhere === undefined) return;
    if (!elsewhere.alive) return unavailable(reply, sessionId, elsewhere, 'stopped answering');
    return forward(request, reply, sessionId, elsewhere, deps);
  });
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.url.split('?')[0] !== '/api/explain') return;
    const sessionId = (request.body as { sessionId?: unknown } | undefined)?.sessionId;
    if (typeof sessionId !== 'string') return;
    const elsewhere = await owner(request, reply, sessionId);
    if (elsewhere === undefined) return;
    if (!elsewhere.alive) return unavailable(reply, sessionId, elsewhere, 'stopped answering');
    return forward(request, reply, sessionId, elsewhere, deps, JSON.stringify(request.body));
  });
}
