import type {
  CreateDiagramResponse,
  DiagramResponse,
  RenewEditTokenResponse,
  RevisionResponse,
  RevisionsResponse,
  UpdateDiagramResponse,
} from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { api, errorMessage, isErrorBody, type ApiReply } from '../live/api';

/**
 * The saved-diagram routes of the Warren API, typed. Each call gives the reply's body on success
 * and throws DiagramRefused (with the server's sentence and status) otherwise.
 */

export class DiagramRefused extends Error {
  override name = 'DiagramRefused';
  constructor(
    readonly reply: ApiReply,
    readonly code = isErrorBody(reply.body) ? reply.body.error.code : undefined,
  ) {
    super(errorMessage(reply));
  }
}

const path = (id: string, rest = '') => `/api/diagrams/${encodeURIComponent(id)}${rest}`;

async function call<T>(
  method: string,
  url: string,
  options: { body?: unknown; token?: string | null } = {},
): Promise<T> {
  const reply = await api(method, url, options);
  if (!reply.ok) throw new DiagramRefused(reply);
  return reply.body as T;
}

export const createDiagram = (name: string, document: Topology) =>
  call<CreateDiagramResponse>('POST', '/api/diagrams', { body: { name, document } });

/**
 * A saved document as the canvas holds it: with every default filled in, as a session's copy
 * has it, so the two compare equal. (Documents saved over the API may leave defaults out.)
 */
async function complete<T extends { document: Topology }>(reply: T): Promise<T> {
  // The validator is fetched with the first saved diagram, not with the page.
  const { openDocument } = await import('@warren/topology/documents');
  const opened = openDocument(reply.document);
  return opened.ok ? { ...reply, document: opened.topology } : reply;
}

export const getDiagram = (id: string) => call<DiagramResponse>('GET', path(id)).then(complete);

export const updateDiagram = (
  id: string,
  token: string,
  body: { document: Topology; name?: string; baseRevision: number },
) => call<UpdateDiagramResponse>('PUT', path(id), { body, token });

export const deleteDiagram = (id: string, token: string) =>
  call<null>('DELETE', path(id), { token });

export const listRevisions = (id: string) =>
  call<RevisionsResponse>('GET', path(id, '/revisions')).then((r) => r.revisions);

export const getRevision = (id: string, revision: number) =>
  call<RevisionResponse>('GET', path(id, `/revisions/${revision}`)).then(complete);

export const forkDiagram = (id: string, options: { revision?: number; name?: string } = {}) =>
  call<CreateDiagramResponse>(
    'POST',
    path(id, `/fork${options.revision === undefined ? '' : `?revision=${options.revision}`}`),
    { body: options.name === undefined ? {} : { name: options.name } },
  );

export const renewEditToken = (id: string, token: string) =>
  call<RenewEditTokenResponse>('POST', path(id, '/edit-token'), { token });

/** The server's picture of a diagram (a revision, or the latest), for thumbnails and previews. */
export function imageUrl(id: string, revision?: number): string {
  return path(id, `/image.svg${revision === undefined ? '' : `?revision=${revision}`}`);
}

/** The conflict's latest revision, when a save was refused because someone saved since. */
export function latestRevisionOf(error: unknown): number | null {
  if (!(error instanceof DiagramRefused) || error.code !== 'REVISION_CONFLICT') return null;
  const body = error.reply.body;
  return isErrorBody(body) ? (body.error.latestRevision ?? null) : null;
}
