import type { BrokerRestart } from '../broker/broker-restart';
import { WarrenError } from '../errors/warren-error';
import type { Session } from '../session/session';

/** After the command, how long the asking session may take to notice its connection went. */
const LOSS_GRACE_MS = 5_000;
/** How long sessions may take to reconnect and declare their diagrams again. */
const RECOVERY_MS = 60_000;

export interface BrokerRestartsDeps {
  restart: BrokerRestart;
  /** Every session of this server: each sees the outage and hears the broker is back. */
  sessions: () => Session[];
  log: { warn: (obj: object, msg: string) => void };
}

/**
 * A lesson's real broker restart: every session of this server hears `broker-restart`
 * `stopping`, the operator's command runs, and each session whose connection the restart
 * closed hears `back` once it has reconnected and declared its diagram again. Nothing is
 * announced as restarted unless the asking session really lost its connection.
 */
export class BrokerRestarts {
  constructor(private readonly deps: BrokerRestartsDeps) {}

  get allowed(): boolean {
    return this.deps.restart.allowed;
  }

  /** Restarts the broker for `requester`; says what happened, or throws why not. */
  restart(requester: Session): Promise<string> {
    return this.deps.restart.exclusive(async (runCommand) => {
      const started = Date.now();
      const sessions = this.deps.sessions();
      if (!sessions.includes(requester)) sessions.push(requester);
      const lossesBefore = new Map(sessions.map((s) => [s, s.connectionLosses]));
      const lost = (s: Session) => s.connectionLosses > (lossesBefore.get(s) ?? 0);
      for (const session of sessions) {
        session.events.emit({ type: 'broker-restart', phase: 'stopping' });
      }
      try {
        await runCommand();
        const deadline = Date.now() + LOSS_GRACE_MS;
        while (!lost(requester) && Date.now() < deadline) await pause(100);
        if (!lost(requester)) {
          throw new WarrenError(
            'BROKER_RESTART_FAILED',
            "The broker restart command set by WARREN_BROKER_RESTART finished, but the broker never closed this session's connection: it did not restart, so nothing is shown as restarted.",
            { hint: 'The command must stop and start the broker Warren is connected to.' },
          );
        }
      } catch (error) {
        const message = (error as Error).message;
        for (const session of sessions) {
          session.events.emit({ type: 'broker-restart', phase: 'failed', message });
        }
        throw error;
      }
      const signal = AbortSignal.timeout(RECOVERY_MS);
      const outcomes = await Promise.all(
        sessions.filter(lost).map(async (session) => {
          const ok = await session.recovered(signal).catch(() => false);
          if (ok) {
            const tookMs = Date.now() - started;
            session.events.emit({ type: 'broker-restart', phase: 'back', tookMs });
          } else {
            session.events.emit({
              type: 'broker-restart',
              phase: 'failed',
              message: `The broker was restarted, but this session did not reconnect within ${RECOVERY_MS / 1000} s.`,
            });
          }
          return [session, ok] as const;
        }),
      );
      const tookMs = Date.now() - started;
      if (!outcomes.some(([session, ok]) => session === requester && ok)) {
        throw new WarrenError(
          'BROKER_RESTART_FAILED',
          `The broker was restarted, but this session did not reconnect within ${RECOVERY_MS / 1000} s.`,
          { hint: 'Check that the broker is running again (rabbitmqctl await_startup).' },
        );
      }
      const others = outcomes.length - 1;
      return `restarted the broker; it was back and this session had recovered after ${(tookMs / 1000).toFixed(1)} s${others > 0 ? ` (${others} other session${others === 1 ? '' : 's'} of this server reconnected too)` : ''}`;
    });
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
