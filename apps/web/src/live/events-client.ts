import type { ServerFrame } from '@warren/protocol';
import { useWarren } from '../store/store';
import { animateEvents } from './animator';
import { loadConsumerStates } from './consumer-commands';
import { loadProducerAndOutsideStates } from './producer-commands';
import { recordFates } from './fates';
import { clearMessages, recordMessages } from './message-log';
import { recordOutsideMessages } from './outside-messages';
import { animateFates } from './fates-animation';

/**
 * The websocket to a session's event stream. It reconnects with backoff, and because every
 * connection starts with a hello snapshot, reconnecting is also how it resyncs after a gap
 * in the event sequence.
 */

const PING_EVERY_MS = 15_000;
/** No frame for this long (not even a pong) means the connection is dead without saying so. */
const SILENCE_LIMIT_MS = 40_000;
/** The server closes a page that reads too slowly with this code and a reason to show. */
const TOO_FAR_BEHIND_CLOSE = 4408;

interface Connection {
  sessionId: string;
  socket: WebSocket | null;
  failures: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  pingTimer: ReturnType<typeof setInterval> | undefined;
  lastFrameAt: number;
  onStuck: ((sessionId: string) => void) | undefined;
}

let current: Connection | null = null;

function eventsUrl(sessionId: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api/sessions/${encodeURIComponent(sessionId)}/events`;
}

function open(connection: Connection): void {
  if (current !== connection) return;
  const socket = new WebSocket(eventsUrl(connection.sessionId));
  connection.socket = socket;
  connection.lastFrameAt = Date.now();

  socket.onmessage = (message) => {
    if (connection.socket !== socket || typeof message.data !== 'string') return;
    connection.lastFrameAt = Date.now();
    let frame: ServerFrame;
    try {
      frame = JSON.parse(message.data) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'hello') connection.failures = 0;
    // Any frame (a pong included) proves the server is there, whatever an HTTP call met.
    if (useWarren.getState().server !== 'online') useWarren.getState().setServer('online');
    const outcome = useWarren.getState().applyServerFrame(frame);
    // A hello carries no consumer counters; they are read once the snapshot is in.
    if (frame.type === 'hello') {
      void loadConsumerStates(connection.sessionId);
      void loadProducerAndOutsideStates(connection.sessionId);
    }
    animateEvents(outcome.accepted);
    animateFates(outcome.accepted);
    recordFates(outcome.accepted);
    recordOutsideMessages(outcome.accepted);
    recordMessages(outcome.accepted);
    if (outcome.resync) reopen(connection, 0);
  };

  socket.onclose = (event) => {
    if (connection.socket !== socket) return;
    connection.socket = null;
    if (event.code === TOO_FAR_BEHIND_CLOSE) {
      // The server let this page go for reading too slowly: say so, and catch up at once.
      useWarren.getState().setServer('offline', event.reason || 'Too far behind; reconnecting');
      reopen(connection, 0);
      return;
    }
    connection.failures += 1;
    useWarren.getState().setServer('offline', 'Warren server not reachable');
    if (connection.failures >= 3) connection.onStuck?.(connection.sessionId);
    reopen(connection, Math.min(10_000, 500 * 2 ** Math.min(connection.failures, 5)));
  };
}

/** Drops the socket (if any) and opens a new one after `delayMs`. */
function reopen(connection: Connection, delayMs: number): void {
  const socket = connection.socket;
  connection.socket = null;
  if (socket && socket.readyState <= WebSocket.OPEN) socket.close();
  clearTimeout(connection.retryTimer);
  connection.retryTimer = setTimeout(() => open(connection), delayMs);
}

export function connectEvents(sessionId: string, onStuck?: (sessionId: string) => void): void {
  if (current?.sessionId === sessionId && current.socket) return;
  if (current?.sessionId !== sessionId) clearMessages();
  disconnectEvents();
  const connection: Connection = {
    sessionId,
    socket: null,
    failures: 0,
    retryTimer: undefined,
    pingTimer: undefined,
    lastFrameAt: Date.now(),
    onStuck,
  };
  current = connection;
  connection.pingTimer = setInterval(() => {
    const socket = connection.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (Date.now() - connection.lastFrameAt > SILENCE_LIMIT_MS) {
      reopen(connection, 0);
      return;
    }
    socket.send(JSON.stringify({ type: 'ping', id: String(Date.now()) }));
  }, PING_EVERY_MS);
  open(connection);
}

export function disconnectEvents(): void {
  const connection = current;
  if (!connection) return;
  current = null;
  clearTimeout(connection.retryTimer);
  clearInterval(connection.pingTimer);
  const socket = connection.socket;
  connection.socket = null;
  socket?.close();
}
