import type {
  ClassroomMode,
  ClassroomSummary,
  ClassroomViewRequest,
  CreateClassroomResponse,
  CreateForkResponse,
  Question,
  QuestionMessage,
} from '@warren/protocol';
import { api, errorMessage, type ApiReply } from '../live/api';

/** The classroom routes of the Warren API, each reply read or its refusal in words. */

/** A reply that is not what was asked: the server's sentence and status. */
export class ClassroomRefused extends Error {
  override name = 'ClassroomRefused';
  constructor(readonly reply: ApiReply) {
    super(errorMessage(reply));
  }
}

const path = (code: string, rest = '') => `/api/classrooms/${encodeURIComponent(code)}${rest}`;

async function call<T>(
  method: string,
  url: string,
  options: { body?: unknown; token?: string | null } = {},
): Promise<T> {
  const reply = await api(method, url, options);
  if (!reply.ok) throw new ClassroomRefused(reply);
  return reply.body as T;
}

export function startClassroom(sessionId: string, token: string | null) {
  return call<CreateClassroomResponse>(
    'POST',
    `/api/sessions/${encodeURIComponent(sessionId)}/classroom`,
    { token, body: {} },
  );
}

export function getClassroom(code: string) {
  return call<ClassroomSummary>('GET', path(code));
}

export function putView(code: string, token: string | null, view: ClassroomViewRequest) {
  return call<null>('PUT', path(code, '/view'), { token, body: view });
}

export function setMode(code: string, token: string | null, mode: ClassroomMode) {
  return call<unknown>('POST', path(code, '/mode'), { token, body: { mode } });
}

export function askQuestion(code: string, token: string | null, message: QuestionMessage) {
  return call<Question>('POST', path(code, '/questions'), { token, body: { message } });
}

export function answerQuestion(code: string, qid: string, queues: string[], followerId: string) {
  return call<Question>('POST', path(code, `/questions/${encodeURIComponent(qid)}/answers`), {
    body: { queues, followerId },
  });
}

export function revealQuestion(code: string, token: string | null, qid: string) {
  return call<Question>('POST', path(code, `/questions/${encodeURIComponent(qid)}/reveal`), {
    token,
    body: {},
  });
}

export function forkSandbox(code: string, followerId: string) {
  return call<CreateForkResponse>('POST', path(code, '/forks'), { body: { followerId } });
}

export function endClassroom(code: string, token: string | null) {
  return call<unknown>('DELETE', path(code), { token });
}

/**
 * The stream of a classroom's events, for a follower or (with the teacher's token, since a
 * browser's websocket sends no headers) its teacher, who is not counted.
 */
export function classroomEventsPath(code: string, teacherToken?: string | null): string {
  if (teacherToken === undefined) return path(code, '/events');
  const query = new URLSearchParams({ role: 'teacher' });
  if (teacherToken !== null) query.set('token', teacherToken);
  return path(code, `/events?${query.toString()}`);
}
