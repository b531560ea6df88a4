import { pathOfElement, type Producer, type Topology } from '@warren/topology';
import type { PublishResult } from '../store/state';
import { readOutsideClient, readOutsideObject, type OutsideObject } from '../store/outside-state';
import { listIn, readProducerState, type ProducerState } from '../store/producer-runtime';
import { selectMissingOnBroker } from '../store/selectors';
import { useWarren } from '../store/store';
import { api, errorMessage, isErrorBody, ServerUnreachable, type ApiReply } from './api';
import { clearNodeError, reportOnNode } from './node-problems';
import { saveQuietly, sendFromProducer } from './commands';

/**
 * What the user asks of producers run by the server: send with all of the producer's settings
 * (routing-key strategy, properties, confirms, outbox), start and stop continuous sending, read
 * the outbox. Also reads what a hello does not carry: producer states and outside clients.
 */

const sessionPath = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`;
const producerPath = (sessionId: string, producerId: string) =>
  `${sessionPath(sessionId)}/producers/${encodeURIComponent(producerId)}`;

/** Reads producer states and outside clients; a hello carries neither. */
export async function loadProducerAndOutsideStates(sessionId: string): Promise<void> {
  try {
    const [producers, outside] = await Promise.all([
      api('GET', `${sessionPath(sessionId)}/producers`),
      api('GET', `${sessionPath(sessionId)}/outside`),
    ]);
    const store = useWarren.getState();
    if (store.sessionId !== sessionId) return;
    if (producers.ok)
      store.addProducerStates(
        listIn(producers.body, 'producers', 'states')
          .map(readProducerState)
          .filter((s): s is ProducerState => s !== undefined),
      );
    if (outside.ok) {
      const clients = listIn(outside.body, 'clients', 'outside')
        .map(readOutsideClient)
        .filter((c) => c !== undefined);
      const objects = listIn(outside.body, 'objects', 'changes')
        .map(readOutsideObject)
        .filter((o): o is OutsideObject => o !== undefined);
      const names = (outside.body as { outsideNames?: unknown } | null)?.outsideNames;
      store.addOutside(
        clients,
        objects,
        Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : undefined,
      );
    }
  } catch (error) {
    // The event stream reports the server being away; states then come with the next events.
    if (!(error instanceof ServerUnreachable)) throw error;
  }
}

/** The producer as the server has it (from the last saved document), without its position. */
function serverCopy(baselineJson: string, producerId: string): string | undefined {
  try {
    const topology = JSON.parse(baselineJson) as Topology;
    const producer = topology.producers.find((p) => p.id === producerId);
    return producer ? withoutPosition(producer) : undefined;
  } catch {
    return undefined;
  }
}

function withoutPosition({ position: _position, ...producer }: Producer): string {
  return JSON.stringify(producer);
}

/**
 * Makes sure the server runs the producer as the inspector shows it. Producer fields need no
 * Apply, so a quiet save is enough, unless the diagram has changes waiting for Apply (a quiet
 * save would apply them too). Returns whether the server's copy is current.
 */
async function producerOnServer(producerId: string): Promise<'current' | 'stale' | 'absent'> {
  const compare = () => {
    const state = useWarren.getState();
    const local = state.topology.producers.find((p) => p.id === producerId);
    const remote = serverCopy(state.baselineJson, producerId);
    if (remote === undefined) return 'absent';
    return local && withoutPosition(local) === remote ? 'current' : 'stale';
  };
  const first = compare();
  const state = useWarren.getState();
  // With objects missing on the broker, any PUT declares them again: that is Apply's to do.
  if (first === 'current' || state.dirty || selectMissingOnBroker(state) || !state.editToken)
    return first;
  await saveQuietly();
  return compare();
}

async function post(path: string, body: unknown): Promise<ApiReply | undefined> {
  const { editToken } = useWarren.getState();
  try {
    const reply = await api('POST', path, { body, token: editToken });
    useWarren.getState().setServer('online');
    return reply;
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    useWarren.getState().setServer('offline', 'Warren server not reachable');
    return undefined;
  }
}

/** One message of a `POST …/send` reply. */
export interface SendResult {
  messageId: string | null;
  routingKey: string;
  routedQueues: string[];
  returned: { replyCode: number; replyText: string } | undefined;
  confirmed: boolean;
  nacked: boolean;
  error: string | undefined;
}

function readSendResult(value: unknown): SendResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const returned = v.returned as Record<string, unknown> | boolean | undefined;
  return {
    messageId: typeof v.messageId === 'string' ? v.messageId : null,
    routingKey: typeof v.routingKey === 'string' ? v.routingKey : '',
    routedQueues: Array.isArray(v.routedQueues)
      ? v.routedQueues.filter((q): q is string => typeof q === 'string')
      : [],
    returned:
      typeof returned === 'object' && returned !== null
        ? {
            replyCode: typeof returned.replyCode === 'number' ? returned.replyCode : 312,
            replyText: typeof returned.replyText === 'string' ? returned.replyText : 'NO_ROUTE',
          }
        : returned === true
          ? { replyCode: 312, replyText: 'NO_ROUTE' }
          : undefined,
    confirmed: v.confirmed === true,
    nacked: v.nacked === true || v.status === 'nacked',
    error:
      typeof v.error === 'string'
        ? v.error
        : typeof v.lastError === 'string' && v.status === 'failed'
          ? v.lastError
          : undefined,
  };
}

/**
 * The sentence a producer shows after a send: for one message the words of a plain publish
 * (`routed to orders, critical`, `unroutable`, `returned 312 NO_ROUTE`), for several a tally.
 */
export function describeSend(results: SendResult[]): Omit<PublishResult, 'at'> {
  const last = results.at(-1);
  if (!last) return { text: 'nothing sent', tone: 'warn', messageId: null };
  const outcome = {
    messageId: last.messageId,
    routedQueues: last.routedQueues,
    returned: last.returned !== undefined,
    messageIds: results.map((r) => r.messageId).filter((id): id is string => id !== null),
  };
  if (results.length === 1) {
    if (last.error) return { text: `failed: ${last.error}`, tone: 'error', ...outcome };
    if (last.nacked) return { text: 'nacked by the broker', tone: 'error', ...outcome };
    if (last.returned)
      return {
        text: `returned ${last.returned.replyCode} ${last.returned.replyText}`,
        tone: 'error',
        ...outcome,
      };
    if (last.routedQueues.length === 0) return { text: 'unroutable', tone: 'warn', ...outcome };
    return { text: `routed to ${last.routedQueues.join(', ')}`, tone: 'ok', ...outcome };
  }
  const count = (test: (r: SendResult) => boolean) => results.filter(test).length;
  const failed = count((r) => r.error !== undefined);
  const nacked = count((r) => r.nacked);
  const returned = count((r) => r.returned !== undefined);
  const unroutable = count((r) => !r.returned && !r.error && r.routedQueues.length === 0);
  const queues = [...new Set(results.flatMap((r) => r.routedQueues))];
  const parts = [`${results.length} sent`];
  if (queues.length > 0) parts.push(`routed to ${queues.join(', ')}`);
  if (unroutable > 0) parts.push(`${unroutable} unroutable`);
  if (returned > 0) parts.push(`${returned} returned`);
  if (nacked > 0) parts.push(`${nacked} nacked`);
  if (failed > 0) parts.push(`${failed} failed`);
  const tone = failed + nacked + returned > 0 ? 'error' : unroutable > 0 ? 'warn' : 'ok';
  return { text: parts.join(' · '), tone, ...outcome };
}

/**
 * Sends `count` messages with every setting of the producer (strategy, properties, confirms,
 * outbox) through the server's producer. While the diagram waits for Apply the server's copy
 * cannot be brought up to date, so the message then goes out as a plain publish of the
 * producer's key and payload, as before producers ran on the server.
 */
export async function sendFromProducerNode(producerId: string, count = 1): Promise<void> {
  const state = useWarren.getState();
  if (state.sessionId === null || state.editToken === null) return sendFromProducer(producerId);
  const sessionId = state.sessionId;
  const onServer = await producerOnServer(producerId);
  if (onServer !== 'current') return sendFromProducer(producerId);
  // Cleared before sending: the broker's refusal of this send may come as a node-error event
  // before the reply does.
  clearNodeError(producerId);
  const reply = await post(`${producerPath(sessionId, producerId)}/send`, { count });
  const store = useWarren.getState();
  if (!reply) {
    store.setPublishResult(producerId, {
      text: 'failed: Warren server not reachable',
      tone: 'error',
      messageId: null,
    });
    return;
  }
  // A server without producer endpoints (or one that lost the producer) still publishes.
  if (reply.status === 404) return sendFromProducer(producerId);
  if (!reply.ok) {
    store.setPublishResult(producerId, {
      text: `failed: ${errorMessage(reply)}`,
      tone: 'error',
      messageId: null,
    });
    return;
  }
  const results = listIn(reply.body, 'results', 'messages')
    .map(readSendResult)
    .filter((r): r is SendResult => r !== undefined);
  store.setPublishResult(producerId, describeSend(results));
  const body = reply.body as Record<string, unknown> | null;
  const producerState = readProducerState(body?.producer ?? body?.state);
  if (producerState) store.setProducerState(producerState);
}

/** Whether a 404 came from Warren about this producer, not from a route the server lacks. */
function isProducerReply(reply: ApiReply): boolean {
  return isErrorBody(reply.body) && !reply.body.error.message.startsWith('No route ');
}

/**
 * Starts or stops continuous sending at the producer's rate. Counters follow from
 * producer-state events; a state in the reply is taken at once so the button answers.
 */
export async function controlProducer(producerId: string, action: 'start' | 'stop'): Promise<void> {
  const state = useWarren.getState();
  if (state.sessionId === null) return;
  const sessionId = state.sessionId;
  if (action === 'start') {
    const onServer = await producerOnServer(producerId);
    if (onServer === 'absent') {
      useWarren.getState().addNodeErrors([
        {
          nodeId: producerId,
          path: pathOfElement(state.topology, producerId) ?? '',
          code: 'NOT_FOUND',
          message: 'Apply the diagram first: the server does not run this producer yet.',
        },
      ]);
      return;
    }
  }
  clearNodeError(producerId);
  const reply = await post(`${producerPath(sessionId, producerId)}/${action}`, {});
  if (!reply?.ok) {
    reportOnNode(
      producerId,
      reply,
      action === 'start' ? 'Could not start the producer' : 'Could not stop the producer',
    );
    return;
  }
  const store = useWarren.getState();
  const body = reply.body as Record<string, unknown> | null;
  const producerState = readProducerState(body?.producer ?? body?.state ?? body);
  const current = store.producerStates[producerId];
  if (producerState) store.setProducerState(producerState);
  else
    store.setProducerState({
      producerId,
      running: action === 'start',
      sent: current?.sent ?? 0,
      confirmed: current?.confirmed ?? 0,
      nacked: current?.nacked ?? 0,
      returned: current?.returned ?? 0,
      ...(current?.outbox && { outbox: current.outbox }),
    });
}

/** One message of a reliable producer's outbox. */
export interface OutboxRow {
  messageId: string;
  status: 'sending' | 'confirmed' | 'failed';
  attempts: number;
  lastError: string | undefined;
  updatedAt: number;
}

function readOutboxRow(value: unknown): OutboxRow | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.messageId !== 'string') return undefined;
  const status =
    v.status === 'confirmed' || v.status === 'failed' || v.status === 'sending'
      ? v.status
      : v.status === 1
        ? 'confirmed'
        : v.status === 2
          ? 'failed'
          : 'sending';
  return {
    messageId: v.messageId,
    status,
    attempts: typeof v.attempts === 'number' ? v.attempts : 0,
    lastError: typeof v.lastError === 'string' ? v.lastError : undefined,
    updatedAt:
      typeof v.updatedAt === 'number'
        ? v.updatedAt
        : typeof v.updatedAt === 'string'
          ? Date.parse(v.updatedAt)
          : 0,
  };
}

/** The outbox table of a reliable producer, or the sentence saying why it cannot be read. */
export async function fetchOutbox(producerId: string): Promise<OutboxRow[] | { error: string }> {
  const { sessionId } = useWarren.getState();
  if (sessionId === null) return { error: 'There is no session yet.' };
  try {
    const reply = await api('GET', `${producerPath(sessionId, producerId)}/outbox`);
    if (!reply.ok)
      return {
        error:
          reply.status === 404 && !isProducerReply(reply)
            ? 'This server keeps no outbox for the producer; Apply the diagram first.'
            : errorMessage(reply),
      };
    return listIn(reply.body, 'entries', 'outbox')
      .map(readOutboxRow)
      .filter((r): r is OutboxRow => r !== undefined);
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    return { error: 'Warren server not reachable.' };
  }
}
