import WebSocket from 'ws';
import type { ClassroomFrame, ServerFrame, WarrenEvent } from '@warren/protocol';
import { until } from '../helpers';

/** A websocket on a classroom of a real server, keeping every frame it receives. */
export interface ClassroomClient {
  socket: WebSocket;
  frames: ServerFrame[];
  events(): WarrenEvent[];
  classroomFrames(): ClassroomFrame[];
  hello(): Extract<ServerFrame, { type: 'hello' }>;
  close(): Promise<void>;
}

export async function followClassroom(
  base: string,
  code: string,
  query = '',
): Promise<ClassroomClient> {
  const url = `${base.replace(/^http/, 'ws')}/api/classrooms/${code}/events${query}`;
  const socket = new WebSocket(url);
  const frames: ServerFrame[] = [];
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as ServerFrame));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const client: ClassroomClient = {
    socket,
    frames,
    events: () => frames.flatMap((f) => (f.type === 'events' ? f.events : [])),
    classroomFrames: () => frames.filter((f): f is ClassroomFrame => f.type === 'classroom'),
    hello: () => {
      const hello = frames.find((f) => f.type === 'hello');
      if (hello?.type !== 'hello') throw new Error('no hello yet');
      return hello;
    },
    close: async () => {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
  return client;
}

export async function helloOf(client: ClassroomClient) {
  await until(() => client.frames.some((f) => f.type === 'hello'), 10_000, 'hello');
  return client.hello();
}

/** JSON request to a real server; gives the status and the parsed body. */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}
