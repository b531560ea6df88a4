import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type {
  CountersEvent,
  CreateSessionResponse,
  ExplainResponse,
  OutsideClient,
  OutsideResponse,
  SessionSummary,
} from '@warren/protocol';
import { createSession, management, until } from '../helpers';
import { watch, type Watcher } from '../observation/watch';
import { run, type Language, type Program } from './programs';

/**
 * An empty session, its event stream, and readers for what a user checks against the programs'
 * own output: the outside clients, the topology, an explanation, the counters and the broker's
 * management API.
 */
export async function patternSession(app: FastifyInstance, language: Language) {
  const session: CreateSessionResponse = await createSession(app, {});
  const events: Watcher = await watch(app, session.id);
  const vhost = encodeURIComponent(session.vhost);
  const get = async <T>(url: string): Promise<T> => {
    const reply = await app.inject({ method: 'GET', url });
    expect(reply.statusCode, `${url}: ${reply.body}`).toBe(200);
    return reply.json<T>();
  };

  return {
    session,
    events,
    start: (program: string, ...args: string[]): Program =>
      run(language, program, args, session.amqp.url),

    /** The first event of `type` that `match` accepts, once it has come. */
    async event<T extends Parameters<Watcher['of']>[0]>(
      type: T,
      match: (event: ReturnType<Watcher['of']>[number] & { type: T }) => boolean,
      what: string,
      timeoutMs = 5000,
    ) {
      const find = () => events.of(type).find(match as never);
      await until(() => find() !== undefined, timeoutMs, what);
      return find() as ReturnType<Watcher['of']>[number] & { type: T };
    },

    outside: () => get<OutsideResponse>(`/api/sessions/${session.id}/outside`),
    /** The outside client `id` as `/outside` lists it now. */
    async client(id: string | undefined): Promise<OutsideClient | undefined> {
      return (await this.outside()).clients.find((c) => c.id === id);
    },
    summary: () => get<SessionSummary>(`/api/sessions/${session.id}`),
    counters: () =>
      get<Omit<CountersEvent, 'type' | 'seq' | 'at'>>(`/api/sessions/${session.id}/counters`),
    async explain(exchange: string, routingKey: string): Promise<ExplainResponse> {
      const reply = await app.inject({
        method: 'POST',
        url: '/api/explain',
        payload: { sessionId: session.id, message: { exchange, routingKey } },
      });
      expect(reply.statusCode, reply.body).toBe(200);
      return reply.json<ExplainResponse>();
    },
    /** A GET of the broker's management API on the session's vhost (`/queues/{vhost}` ...). */
    broker: <T>(path: string) => management().request<T>('GET', path.replace('{vhost}', vhost)),
    close: () => events.close(),
  };
}

export type PatternSession = Awaited<ReturnType<typeof patternSession>>;
