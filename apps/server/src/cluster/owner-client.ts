import type { ServerDirectory } from './server-directory';
import type { SessionElsewhere } from './session-locator';
import { OwnerError, type OwnerClient, type SessionSnapshot } from './remote-sessions';
import { FORWARDED_BY, PEER_TOKEN } from './session-keys';

/** Longest wait for the owner's answer to a watch: a hello never hangs on a dead server. */
export const OWNER_TIMEOUT_MS = 5000;

/** The path of the owner's watch endpoint for a session. */
export const watchersPath = (sessionId: string) =>
  `/api/internal/sessions/${encodeURIComponent(sessionId)}/watchers`;

/** Talks to the server that runs a session, over HTTP (Node's fetch), as a peer. */
export class HttpOwnerClient implements OwnerClient {
  constructor(private readonly directory: ServerDirectory) {}

  private headers(): Record<string, string> {
    return {
      [FORWARDED_BY]: this.directory.id,
      [PEER_TOKEN]: this.directory.peerToken,
    };
  }

  async hello(owner: SessionElsewhere, sessionId: string): Promise<SessionSnapshot> {
    const response = await this.call(owner, 'POST', watchersPath(sessionId), {
      serverId: this.directory.id,
      snapshot: true,
    });
    return (await response.json()) as SessionSnapshot;
  }

  async renew(owner: SessionElsewhere, sessionId: string): Promise<void> {
    await this.call(owner, 'POST', watchersPath(sessionId), {
      serverId: this.directory.id,
      snapshot: false,
    });
  }

  async unwatch(owner: SessionElsewhere, sessionId: string): Promise<void> {
    await this.call(
      owner,
      'DELETE',
      `${watchersPath(sessionId)}/${encodeURIComponent(this.directory.id)}`,
    );
  }

  private async call(
    owner: SessionElsewhere,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path, owner.url), {
        method,
        headers: {
          ...this.headers(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(OWNER_TIMEOUT_MS),
      });
    } catch (error) {
      const reason =
        error instanceof Error
          ? ((error.cause as Error | undefined)?.message ?? error.message)
          : 'no answer';
      throw new OwnerError(
        `server ${owner.serverId} at ${owner.url} does not answer (${reason})`,
        false,
      );
    }
    if (response.status === 404)
      throw new OwnerError(`server ${owner.serverId} does not run the session`, true);
    if (!response.ok)
      throw new OwnerError(`server ${owner.serverId} answered ${response.status}`, false);
    return response;
  }
}
