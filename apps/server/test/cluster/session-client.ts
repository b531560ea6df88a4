import WebSocket from 'ws';
import type { ServerFrame, WarrenEvent } from '@warren/protocol';
import { until } from '../helpers';

/** A websocket on a session's events on a real server, keeping every frame and its close. */
export interface SessionClient {
  frames: ServerFrame[];
  events(): WarrenEvent[];
  hello(): Promise<Extract<ServerFrame, { type: 'hello' }>>;
  /** The close code, once the server closed the socket. */
  closedWith(): number | undefined;
  close(): Promise<void>;
}

export async function watchSession(base: string, sessionId: string): Promise<SessionClient> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/sessions/${sessionId}/events`);
  const frames: ServerFrame[] = [];
  let closeCode: number | undefined;
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as ServerFrame));
  socket.on('close', (code) => (closeCode = code));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    frames,
    events: () => frames.flatMap((f) => (f.type === 'events' ? f.events : [])),
    hello: async () => {
      await until(() => frames.some((f) => f.type === 'hello'), 10_000, 'hello');
      const hello = frames.find((f) => f.type === 'hello');
      if (hello?.type !== 'hello') throw new Error('no hello');
      return hello;
    },
    closedWith: () => closeCode,
    close: async () => {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
}

/** A request to a real server: status, parsed body and the `x-warren-served-by` header. */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T; servedBy: string | null }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text === '' ? undefined : JSON.parse(text)) as T,
    servedBy: response.headers.get('x-warren-served-by'),
  };
}
