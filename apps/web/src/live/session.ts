import type {
  BrokerStatus,
  CreateSessionResponse,
  HealthResponse,
  SessionSummary,
} from '@warren/protocol';
import { useWarren } from '../store/store';
import { api, errorMessage, isErrorBody, ServerUnreachable } from './api';
import { linkSessionToDiagram } from '../diagrams/session-link';
import { connectEvents, disconnectEvents } from './events-client';
import { loadSessionLesson } from '../lessons/lesson-api';

/**
 * Finding or making the session this tab edits. The session id lives in the URL, so a
 * reload (or a shared link) reopens it; the edit token lives in localStorage, keyed by id,
 * so only the browser that made the session can change it.
 */

const STORAGE_PREFIX = 'warren.session.';

interface StoredSession {
  id: string;
  editToken: string;
}

function readStored(id: string): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_PREFIX + id);
    if (raw === null) return null;
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === 'object' &&
      value !== null &&
      'editToken' in value &&
      typeof value.editToken === 'string'
    ) {
      return { id, editToken: value.editToken };
    }
  } catch {
    // Storage may be disabled or hold something else; then this browser has no token.
  }
  return null;
}

function store(session: StoredSession): void {
  try {
    localStorage.setItem(STORAGE_PREFIX + session.id, JSON.stringify(session));
  } catch {
    // Without storage the session still works in this tab; only a reload loses the token.
  }
}

function putInUrl(id: string): void {
  const url = new URL(window.location.href);
  if (url.searchParams.get('session') === id) return;
  url.searchParams.set('session', id);
  // `?run` (or `?lesson`) asked for a new session of the diagram in the path: this is it.
  url.searchParams.delete('run');
  url.searchParams.delete('lesson');
  window.history.replaceState(window.history.state, '', url);
}

const defaultBrokerHint =
  'RabbitMQ is not reachable - start it with `rabbitmq-server -detached` or `docker compose up`';

/** What the banner says when session creation is refused because the broker is down. */
async function brokerStatusAfterRefusal(
  message: string,
  hint: string | undefined,
): Promise<BrokerStatus> {
  const status: BrokerStatus = {
    amqp: false,
    management: false,
    message,
    hint: hint ?? defaultBrokerHint,
  };
  try {
    const health = await api('GET', '/api/health');
    const body = health.body as Partial<HealthResponse> | null;
    if (body?.amqp && body.management) {
      status.amqp = body.amqp.reachable;
      status.management = body.management.reachable;
      if (body.hint) status.hint = body.hint;
    }
  } catch {
    // The refusal itself is enough to show.
  }
  return status;
}

function adopt(
  summary: SessionSummary,
  editToken: string | null,
  options: { inUrl?: boolean; onStuck?: (id: string) => void } = {},
): void {
  const state = useWarren.getState();
  state.setSession({ id: summary.id, editToken });
  state.setServer('online');
  state.loadServerTopology(summary.topology);
  const t = summary.topology;
  if (t.exchanges.length + t.queues.length + t.producers.length > 0) state.requestFit();
  if (options.inUrl !== false) putInUrl(summary.id);
  void linkSessionToDiagram(summary);
  if (summary.lessonId !== undefined) void loadSessionLesson(summary.id, summary.lessonId);
  connectEvents(summary.id, options.onStuck ?? ((id) => void checkSessionStillExists(id)));
}

/**
 * Opens a session whose id and edit token came from elsewhere (a classroom sandbox) in this
 * tab, leaving the page's address as it is. Returns the server's refusal, if any.
 */
export async function openSessionHere(
  id: string,
  editToken: string,
  onStuck?: (id: string) => void,
): Promise<string | null> {
  const reply = await api('GET', `/api/sessions/${encodeURIComponent(id)}`);
  if (!reply.ok) return errorMessage(reply);
  store({ id, editToken });
  useWarren.getState().setViewing(false);
  adopt(reply.body as SessionSummary, editToken, { inUrl: false, ...(onStuck && { onStuck }) });
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Attempt = { done: true } | { done: false };

async function createSession(fromDiagram?: string, fromLesson?: string): Promise<Attempt> {
  const { topology } = useWarren.getState();
  const hasDrawing =
    topology.exchanges.length + topology.queues.length + topology.producers.length > 0;
  // Something drawn while the server was away becomes the new session's diagram.
  const request =
    fromLesson !== undefined
      ? { lessonId: fromLesson }
      : fromDiagram !== undefined
        ? { diagramId: fromDiagram }
        : hasDrawing
          ? { topology }
          : {};
  const reply = await api('POST', '/api/sessions', { body: request });
  if (reply.status === 201) {
    const created = reply.body as CreateSessionResponse;
    store({ id: created.id, editToken: created.editToken });
    adopt(created, created.editToken);
    if (created.nodeErrors) useWarren.getState().addNodeErrors(created.nodeErrors);
    return { done: true };
  }
  const body = reply.body;
  if (reply.status === 404 && fromDiagram !== undefined) {
    // The diagram of the link is gone: say so, and give an empty canvas rather than nothing.
    useWarren.getState().showToast({
      text: 'There is no diagram at this link: it was deleted, or the link is mistyped.',
      tone: 'error',
    });
    return createSession();
  }
  if (reply.status === 404 && fromLesson !== undefined) {
    useWarren.getState().showToast({
      text: `There is no lesson "${fromLesson}"; pick one from the Lessons gallery.`,
      tone: 'error',
    });
    return createSession();
  }
  if (reply.status === 503 && isErrorBody(body)) {
    useWarren
      .getState()
      .setBroker(await brokerStatusAfterRefusal(body.error.message, body.error.hint));
    useWarren.getState().setServer('online');
    return { done: false };
  }
  useWarren.getState().setServer('online');
  console.warn('Warren could not create a session:', errorMessage(reply));
  return { done: false };
}

async function openSession(id: string): Promise<Attempt | 'missing'> {
  const reply = await api('GET', `/api/sessions/${encodeURIComponent(id)}`);
  if (reply.ok) {
    adopt(reply.body as SessionSummary, readStored(id)?.editToken ?? null);
    return { done: true };
  }
  if (reply.status === 404) return 'missing';
  useWarren.getState().setServer('online');
  return { done: false };
}

let starting: Promise<void> | null = null;

/**
 * Opens the session named in the URL, or makes a new one, retrying with backoff while the
 * server or the broker is away. Only one start runs at a time.
 */
export function startSession(
  options: { forceNew?: boolean; fromDiagram?: string } = {},
): Promise<void> {
  starting ??= (async () => {
    const params = new URL(window.location.href).searchParams;
    let wanted = options.forceNew ? null : params.get('session');
    const fromLesson = params.get('lesson') ?? undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        if (wanted) {
          const opened = await openSession(wanted);
          if (opened === 'missing') wanted = null;
          else if (opened.done) return;
        }
        if (!wanted && (await createSession(options.fromDiagram, fromLesson)).done) return;
      } catch (error) {
        if (!(error instanceof ServerUnreachable)) throw error;
        useWarren.getState().setServer('offline', 'Warren server not reachable');
      }
      await sleep(Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4)));
    }
  })().finally(() => {
    starting = null;
  });
  return starting;
}

/**
 * The event stream keeps failing: the server may have restarted without this session.
 * Returns true when a new session was started in its place.
 */
export async function checkSessionStillExists(id: string): Promise<boolean> {
  try {
    const reply = await api('GET', `/api/sessions/${encodeURIComponent(id)}`);
    if (reply.status !== 404) return false;
  } catch {
    return false;
  }
  disconnectEvents();
  await startSession({ forceNew: true });
  return true;
}
