import type { SessionRegistry } from '../session/session-registry';
import type { ServerStore } from '../store/server-store';
import { DEAD_AFTER_MS } from './server-directory';

/** Another server runs the session; `alive` false when it has not been heard of lately. */
export interface SessionElsewhere {
  serverId: string;
  url: string;
  alive: boolean;
}

/** Where a session runs: on this server, on another one, or nowhere known. */
export interface SessionLocator {
  where(sessionId: string): Promise<'here' | SessionElsewhere | undefined>;
}

/**
 * This server's own sessions first; otherwise the owner the store names (session_owners, written
 * when a session is created, to be replaced by the kept sessions' lease) and where the directory
 * of servers says it is. A server not heard of for DEAD_AFTER_MS is given as not alive.
 */
export class StoreSessionLocator implements SessionLocator {
  constructor(
    private readonly sessions: SessionRegistry,
    private readonly store: ServerStore,
    private readonly selfId: string,
  ) {}

  async where(sessionId: string): Promise<'here' | SessionElsewhere | undefined> {
    if (this.sessions.get(sessionId)) return 'here';
    const serverId = await this.store.ownerOf(sessionId);
    // Ours by the store but not in memory: gone with an earlier run of this server.
    if (serverId === undefined || serverId === this.selfId) return undefined;
    const entry = await this.store.get(serverId);
    if (entry === undefined) return undefined;
    return {
      serverId,
      url: entry.url,
      alive: Date.now() - entry.seenAt.getTime() <= DEAD_AFTER_MS,
    };
  }
}
