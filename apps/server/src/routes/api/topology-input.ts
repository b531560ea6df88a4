import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import {
  definitionsToTopology,
  parseTopology,
  type Definitions,
  type Topology,
} from '@warren/topology';
import { WarrenError } from '../../errors/warren-error';
import type { Session } from '../../session/session';
import { editTokenHash } from '../../session/session-registry';

/** Reads a topology document, or throws a 400 listing every bad field by its path. */
export function topologyOrThrow(input: unknown, pathPrefix = ''): Topology {
  const result = parseTopology(input);
  if (result.ok) return result.topology;
  const details = result.issues.map((i) => ({ ...i, path: `${pathPrefix}${i.path}` }));
  const count = details.length;
  throw new WarrenError(
    'INVALID_TOPOLOGY',
    `The diagram has ${count} problem${count > 1 ? 's' : ''}: ${details.map((d) => d.message).join(' ')}`,
    { details },
  );
}

export interface ImportedDefinitions {
  topology: Topology;
  /** The vhost the objects came from, when the file names one. */
  vhost: string | undefined;
  notImported: string[];
}

/**
 * Reads a RabbitMQ definitions file into a topology, or throws a 400 naming the problem (with
 * the file's vhosts when a full export needs one picked).
 */
export function definitionsOrThrow(
  definitions: unknown,
  vhost: string | undefined,
  path = '/definitions',
): ImportedDefinitions {
  const imported = definitionsToTopology(
    definitions as Definitions,
    vhost === undefined ? {} : { vhost },
  );
  if (!imported.ok) {
    throw new WarrenError('INVALID_DEFINITIONS', imported.message, {
      path,
      ...(imported.vhosts ? { vhosts: imported.vhosts } : {}),
    });
  }
  return {
    topology: topologyOrThrow(imported.topology, path),
    vhost: imported.vhost,
    notImported: imported.notImported,
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The edit token a request carries (Authorization: Bearer, or X-Warren-Token). */
export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const alt = request.headers['x-warren-token'];
  return typeof alt === 'string' ? alt : undefined;
}

/** A session anyone with its id may look at (a share link gives view access). */
export function findSession(app: FastifyInstance, id: string, path?: string): Session {
  const session = app.sessions.get(id);
  if (!session)
    throw new WarrenError(
      'SESSION_NOT_FOUND',
      `There is no session '${id}'; it may have expired.`,
      path === undefined ? {} : { path },
    );
  session.touch();
  return session;
}

/** A session the request may change: it must carry the session's edit token. */
export function editableSession(
  app: FastifyInstance,
  request: FastifyRequest<{ Params: { id: string } }>,
): Session {
  const session = findSession(app, request.params.id);
  const token = tokenOf(request);
  if (token === undefined || !sameSecret(editTokenHash(token), session.identity.editTokenHash)) {
    throw new WarrenError(
      'UNAUTHORIZED',
      'Editing this session needs its edit token (header "Authorization: Bearer <editToken>").',
    );
  }
  return session;
}

/** A producer or consumer id the session's applied diagram does not have. */
export function notInDiagram(kind: 'producer' | 'consumer', id: string): WarrenError {
  return new WarrenError(
    'NOT_FOUND',
    `There is no ${kind} '${id}' in this session's diagram; add it and apply the diagram first.`,
    { path: `/${kind}Id` },
  );
}
