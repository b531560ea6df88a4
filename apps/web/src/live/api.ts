import type { ErrorBody } from '@warren/protocol';

/** The Warren server could not be asked: it is down, or a proxy in front of it answered instead. */
export class ServerUnreachable extends Error {
  override name = 'ServerUnreachable';
}

export interface ApiReply {
  status: number;
  ok: boolean;
  body: unknown;
}

export function isErrorBody(body: unknown): body is ErrorBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    typeof body.error === 'object' &&
    body.error !== null &&
    'code' in body.error &&
    'message' in body.error
  );
}

/** The sentence to show for a failed reply: the server's own, or a plain fallback. */
export function errorMessage(reply: ApiReply): string {
  if (isErrorBody(reply.body)) return reply.body.error.message;
  return `The server answered ${reply.status}.`;
}

/**
 * One call to the Warren HTTP API. Replies in Warren's error shape come back as replies;
 * anything else that fails (no connection, a proxy's 502 page) throws ServerUnreachable.
 */
export async function api(
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null } = {},
): Promise<ApiReply> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) init.body = JSON.stringify(options.body);
    response = await fetch(path, init);
  } catch (error) {
    throw new ServerUnreachable(error instanceof Error ? error.message : String(error));
  }
  if (response.status === 204) return { status: 204, ok: true, body: null };
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!response.ok && response.status >= 500 && !isErrorBody(body)) {
    throw new ServerUnreachable(`The Warren server did not answer (HTTP ${response.status}).`);
  }
  return { status: response.status, ok: response.ok, body };
}
