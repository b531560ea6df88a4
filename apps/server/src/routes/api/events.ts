import type { FastifyPluginAsync } from 'fastify';
import {
  CLOSE_CODES,
  parseClientFrame,
  type ServerFrame,
  type SessionParams,
  type WarrenEvent,
} from '@warren/protocol';

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
const serialized = new WeakMap<WarrenEvent, string>();
function eventJson(event: WarrenEvent): string {
  let text = serialized.get(event);
  if (text === undefined) {
    text = JSON.stringify(event);
    serialized.set(event, text);
  }
  return text;
}

/** The same text as JSON.stringify of the `events` frame, from each event's cached text. */
function eventsFrame(events: WarrenEvent[], dropped: number, replaced: number): string {
  const tail = replaced > 0 ? `,"replaced":${replaced}` : '';
  return `{"type":"events","events":[${events.map(eventJson).join(',')}],"dropped":${dropped}${tail}}`;
}

export const eventRoutes: FastifyPluginAsync = async (app) => {
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
