import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import {
  CLOSE_CODES,
  parseClientFrame,
  type MessageProperties,
  type ServerFrame,
  type SessionParams,
  type WarrenEvent,
} from '@warren/protocol';
import { CLOSE, OwnerError } from '../../cluster/remote-sessions';
import type { SessionElsewhere } from '../../cluster/session-locator';

/** Close code sent when the session does not exist (4000-4999 are for applications). */
const SESSION_NOT_FOUND_CLOSE = 4404;
/** Close code for a client that stayed too far behind; it reconnects and gets a fresh hello. */
const TOO_FAR_BEHIND_CLOSE = CLOSE_CODES.tooFarBehind;
/** A client that does not read does not get its close frame either: the socket is cut then. */
const CLOSE_GRACE_MS = 2000;

/**
 * Each event serialized once, however many viewers the session has (a topology event can be
 * hundreds of kB).
 */
const JSON_TEXT = Symbol('json');
type Serialized = WarrenEvent & { [JSON_TEXT]?: string };
function eventJson(event: WarrenEvent): string {
  // Kept on the event itself (a symbol key JSON.stringify skips): cheaper than a WeakMap for
  // the thousands of small events a second the firehose makes.
  const cached = event as Serialized;
  return (cached[JSON_TEXT] ??= serialize(event));
}

type SerializedProperties = MessageProperties & { [JSON_TEXT]?: string };

/**
 * A message's `routed` event and its `delivered` events share one properties object: its text
 * is made once and put into each event's, instead of being serialized again for each.
 */
function serialize(event: WarrenEvent): string {
  if ((event.type !== 'routed' && event.type !== 'delivered') || event.properties === undefined)
    return JSON.stringify(event);
  const properties: SerializedProperties = event.properties;
  const text = (properties[JSON_TEXT] ??= JSON.stringify(properties));
  // Left out for a moment (JSON.stringify skips undefined), and put back at once.
  event.properties = undefined;
  try {
    return `${JSON.stringify(event).slice(0, -1)},"properties":${text}}`;
  } finally {
    event.properties = properties;
  }
}

/** The `events` frame's JSON text, built from each event's cached text. */
function eventsFrame(events: WarrenEvent[], dropped: number, replaced: number): string {
  const tail = replaced > 0 ? `,"replaced":${replaced}` : '';
  return `{"type":"events","events":[${events.map(eventJson).join(',')}],"dropped":${dropped}${tail}}`;
}

/**
 * A session that runs on another server: its hello comes from that server, its events through
 * the broker, and each goes out with the same framing and per-socket bounds as on the owner.
 */
function remoteFollower(app: FastifyInstance) {
  return async (
    socket: WebSocket,
    sessionId: string,
    owner: SessionElsewhere,
    send: (frame: ServerFrame) => void,
  ): Promise<void> => {
    if (!owner.alive) {
      send({
        type: 'error',
        code: 'SESSION_SERVER_UNAVAILABLE',
        message: `Session '${sessionId}' runs on Warren server ${owner.serverId}, which stopped answering; try again in a moment.`,
      });
      socket.close(CLOSE.unavailable, "the session's server does not answer");
      return;
    }
    let leave: (() => void) | undefined;
    let closed = false;
    socket.on('close', () => {
      closed = true;
      leave?.();
    });
    try {
      leave = await app.cluster.remote.follow(sessionId, owner, {
        hello: (snapshot) => send({ type: 'hello', ...snapshot }),
        events: (events, dropped, replaced) => {
          if (socket.readyState === socket.OPEN)
            socket.send(eventsFrame(events, dropped, replaced));
        },
        bufferedAmount: () => socket.bufferedAmount,
        close: (code, reason) => {
          socket.close(code, reason);
          setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
        },
      });
    } catch (error) {
      const notFound = error instanceof OwnerError && error.notFound;
      send({
        type: 'error',
        code: notFound ? 'SESSION_NOT_FOUND' : 'SESSION_SERVER_UNAVAILABLE',
        message: notFound
          ? `There is no session '${sessionId}'.`
          : `Session '${sessionId}' runs on Warren server ${owner.serverId} and cannot be followed from here now (${error instanceof Error ? error.message : 'no answer'}); try again in a moment.`,
      });
      socket.close(
        notFound ? SESSION_NOT_FOUND_CLOSE : CLOSE.unavailable,
        notFound ? 'session not found' : "the session's server does not answer",
      );
      return;
    }
    // The client may have gone while the hello was on its way.
    if (closed || socket.readyState !== socket.OPEN) leave();
  };
}

export const eventRoutes: FastifyPluginAsync = async (app) => {
  const followElsewhere = remoteFollower(app);
  app.get<{ Params: SessionParams }>(
    '/api/sessions/:id/events',
    {
      websocket: true,
      schema: { summary: 'Websocket stream of the session events', tags: ['events'], hide: true },
    },
    async (socket, request) => {
      const send = (frame: ServerFrame) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
      };
      // Listen before any await: frames that arrive meanwhile would otherwise be lost.
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        const frame = isBinary
          ? { error: 'Frames must be text.' }
          : parseClientFrame(data.toString('utf8'));
        if ('error' in frame) send({ type: 'error', code: 'BAD_FRAME', message: frame.error });
        else if (frame.type === 'ping') send({ type: 'pong', id: frame.id });
      });
      const session = app.sessions.get(request.params.id);
      if (!session) {
        const where = await app.cluster.locator.where(request.params.id).catch(() => undefined);
        if (where !== undefined && where !== 'here') {
          await followElsewhere(socket, request.params.id, where, send);
          return;
        }
        send({
          type: 'error',
          code: 'SESSION_NOT_FOUND',
          message: `There is no session '${request.params.id}'.`,
        });
        socket.close(SESSION_NOT_FOUND_CLOSE, 'session not found');
        return;
      }
      session.touch();
      const queues = await session.queueStates().catch(() => []);
      if (socket.readyState !== socket.OPEN) return;
      // From here on everything runs synchronously, so no event falls between the snapshot and
      // the subscription: events after `hello` all have a seq above hello.seq.
      const unsubscribe = session.events.subscribe({
        bufferedAmount: () => socket.bufferedAmount,
        send: (events, dropped, replaced) => {
          if (socket.readyState === socket.OPEN)
            socket.send(eventsFrame(events, dropped, replaced));
        },
        close: (reason) => {
          socket.close(TOO_FAR_BEHIND_CLOSE, reason);
          setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
        },
      });
      socket.on('close', () => {
        unsubscribe();
        session.touch();
      });
      send({
        type: 'hello',
        sessionId: session.id,
        seq: session.events.lastSeq,
        topology: session.topology,
        queues,
        broker: session.broker,
        ...session.observation.topologyExtras(session.topology),
        counters: session.counters.snapshot(),
        ...(app.lessonRuns.lessonOf(session) ? { lesson: app.lessonRuns.report(session) } : {}),
      });
    },
  );
};
