import { randomBytes } from 'node:crypto';
import type { ServerEntry, ServerStore } from '../store/server-store';
import { hashToken, tokenMatches } from '../store/tokens';

/** How often a server says it is alive. */
export const HEARTBEAT_MS = 3000;
/** A server not heard of for this long is taken for dead. */
export const DEAD_AFTER_MS = 10_000;
/** A server silent this long is removed from the directory, with the sessions it ran. */
export const FORGET_AFTER_MS = 60 * 60_000;
/** How many beats apart a server looks for such servers to forget. */
const FORGET_EVERY_BEATS = 100;

export interface DirectoryLog {
  warn: (obj: object, msg: string) => void;
  info?: (obj: object, msg: string) => void;
}

/**
 * This server's entry in the directory of servers sharing the store, kept fresh by a heartbeat,
 * and the other servers as the last beat saw them. Requests this server forwards to another carry
 * its peer token, so the other can tell a peer from a client.
 */
export class ServerDirectory {
  /** Sent with forwarded requests; only its hash is in the store. */
  readonly peerToken = randomBytes(24).toString('base64url');
  private readonly startedAt = new Date();
  private timer: NodeJS.Timeout | undefined;
  private known = new Map<string, ServerEntry>();
  private url: string | undefined;
  private stopped = false;
  private beats = 0;

  constructor(
    readonly id: string,
    private readonly store: ServerStore,
    private readonly log: DirectoryLog,
  ) {}

  /** Registers at `url` and beats every few seconds until `stop`. */
  async start(url: string): Promise<void> {
    this.url = url;
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    if (this.url === undefined || this.stopped) return;
    try {
      const now = new Date();
      await this.store.beat(
        { id: this.id, url: this.url, peerTokenHash: hashToken(this.peerToken) },
        now,
        this.startedAt,
      );
      const alive = await this.store.seenSince(new Date(now.getTime() - DEAD_AFTER_MS));
      this.known = new Map(alive.map((entry) => [entry.id, entry]));
      // Servers killed and never restarted would otherwise stay in the store for good.
      if (this.beats++ % FORGET_EVERY_BEATS === 0) {
        const forgotten = await this.store.forgetSilent(new Date(now.getTime() - FORGET_AFTER_MS));
        if (forgotten > 0)
          this.log.info?.({ servers: forgotten }, 'forgot servers silent for an hour');
      }
    } catch (error) {
      this.log.warn({ err: error }, 'server directory heartbeat failed');
    }
  }

  /** The server `id` if it is alive: asked of the store, so a server that just started counts. */
  async alive(id: string, now = Date.now()): Promise<ServerEntry | undefined> {
    const entry = (await this.store.get(id)) ?? undefined;
    if (entry === undefined || now - entry.seenAt.getTime() > DEAD_AFTER_MS) return undefined;
    return entry;
  }

  /** Whether `id` and `token` are a live peer's (from the last beat's view of the directory). */
  isPeer(id: string | undefined, token: string | undefined): boolean {
    if (id === undefined || id === this.id) return id === this.id && token === this.peerToken;
    const entry = this.known.get(id);
    return entry !== undefined && tokenMatches(token, entry.peerTokenHash);
  }

  /** Like isPeer, asking the store about a server the last beat did not see (one just started). */
  async isKnownPeer(id: string, token: string): Promise<boolean> {
    if (this.isPeer(id, token)) return true;
    const entry = await this.alive(id).catch(() => undefined);
    return entry !== undefined && tokenMatches(token, entry.peerTokenHash);
  }

  /** Stops beating and leaves the directory. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.url !== undefined) await this.store.forget(this.id).catch(() => {});
  }
}
