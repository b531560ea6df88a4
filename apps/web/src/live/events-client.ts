import { CLOSE_CODES, type ServerFrame } from '@warren/protocol';
import { useWarren } from '../store/store';
import { animateEvents } from './animator';
import { loadConsumerStates } from './consumer-commands';
import { loadProducerAndOutsideStates } from './producer-commands';
import { recordFates } from './fates';
import { clearMessages, recordMessages } from './message-log';
import { recordOutsideMessages } from './outside-messages';
import { animateFates } from './fates-animation';

/**
 * Websockets to Warren's event streams: a session's own, and (for a classroom) the stream a
 * follower watches the teacher's session through. Each reconnects with backoff, and because
 * every connection starts with a hello snapshot, reconnecting is also how it resyncs after a
 * gap in the event sequence.
 */

const PING_EVERY_MS = 15_000;
/** No frame for this long (not even a pong) means the connection is dead without saying so. */
const SILENCE_LIMIT_MS = 40_000;

export interface StreamHandlers {
  /** A frame arrived. Returning true asks for a fresh hello (the stream missed something). */
  onFrame: (frame: ServerFrame) => boolean | void;
  /** The socket closed (with the server's close `code`); `failures` in a row, counting this one. */
  onClose?: (failures: number, code: number) => void;
  /**
   * The server let this page go for reading too slowly (it reconnects at once, for a fresh
   * hello); `reason` is the server's words.
   */
  onTooFarBehind?: (reason: string) => void;
}

/** One event stream that keeps itself open until closed. */
export interface EventStream {
  /** Opens it again now, for a fresh hello. */
  resync: () => void;
  close: () => void;
}

/** The URL of an event stream of this server, from its path (`/api/...`). */
export function streamUrl(path: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}${path}`;
}

export function openEventStream(url: string, handlers: StreamHandlers): EventStream {
  let socket: WebSocket | null = null;
  let failures = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let lastFrameAt = Date.now();

  const open = () => {
    if (closed) return;
    const s = new WebSocket(url);
    socket = s;
    lastFrameAt = Date.now();
    s.onmessage = (message) => {
      if (socket !== s || typeof message.data !== 'string') return;
      lastFrameAt = Date.now();
      let frame: ServerFrame;
      try {
        frame = JSON.parse(message.data) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'hello') failures = 0;
      if (handlers.onFrame(frame) === true) reopen(0);
    };
    s.onclose = (event) => {
      if (socket !== s) return;
      socket = null;
      if (event.code === CLOSE_CODES.tooFarBehind) {
        handlers.onTooFarBehind?.(event.reason || 'Too far behind; reconnecting');
        reopen(0);
        return;
      }
      failures += 1;
      handlers.onClose?.(failures, event.code);
      reopen(Math.min(10_000, 500 * 2 ** Math.min(failures, 5)));
    };
  };

  /** Drops the socket (if any) and opens a new one after `delayMs`. */
  const reopen = (delayMs: number) => {
    const s = socket;
    socket = null;
    if (s && s.readyState <= WebSocket.OPEN) s.close();
    clearTimeout(retryTimer);
    if (!closed) retryTimer = setTimeout(open, delayMs);
  };

  const pingTimer = setInterval(() => {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastFrameAt > SILENCE_LIMIT_MS) {
      reopen(0);
      return;
    }
    socket.send(JSON.stringify({ type: 'ping', id: String(Date.now()) }));
  }, PING_EVERY_MS);

  open();
  return {
    resync: () => reopen(0),
    close: () => {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      const s = socket;
      socket = null;
      s?.close();
    },
  };
}

/**
 * Takes a frame of a session's events into the page: the store, the moving dots, the message
 * log. Returns true when events were missed and the stream should resync.
 */
export function takeSessionFrame(sessionId: string, frame: ServerFrame): boolean {
  // Any frame (a pong included) proves the server is there, whatever an HTTP call met.
  if (useWarren.getState().server !== 'online') useWarren.getState().setServer('online');
  const outcome = useWarren.getState().applyServerFrame(frame);
  // A hello carries no consumer counters; they are read once the snapshot is in.
  if (frame.type === 'hello') {
    void loadConsumerStates(sessionId);
    void loadProducerAndOutsideStates(sessionId);
  }
  animateEvents(outcome.accepted);
  animateFates(outcome.accepted);
  recordFates(outcome.accepted);
  recordOutsideMessages(outcome.accepted);
  recordMessages(outcome.accepted);
  return outcome.resync;
}

interface Connection {
  sessionId: string;
  stream: EventStream;
}

let current: Connection | null = null;

export function connectEvents(sessionId: string, onStuck?: (sessionId: string) => void): void {
  if (current?.sessionId === sessionId) return;
  if (current?.sessionId !== sessionId) clearMessages();
  disconnectEvents();
  const stream = openEventStream(
    streamUrl(`/api/sessions/${encodeURIComponent(sessionId)}/events`),
    {
      onFrame: (frame) => takeSessionFrame(sessionId, frame),
      onClose: (failures) => {
        useWarren.getState().setServer('offline', 'Warren server not reachable');
        if (failures >= 3) onStuck?.(sessionId);
      },
      // Said on the banner until the fresh hello arrives.
      onTooFarBehind: (reason) => useWarren.getState().setServer('offline', reason),
    },
  );
  current = { sessionId, stream };
}

export function disconnectEvents(): void {
  const connection = current;
  if (!connection) return;
  current = null;
  connection.stream.close();
}
