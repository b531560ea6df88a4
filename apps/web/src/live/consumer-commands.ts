import type { ConsumerState } from '../store/state';
import { useWarren } from '../store/store';
import { api, ServerUnreachable, type ApiReply } from './api';
import { clearNodeError, reportOnNode } from './node-problems';

/**
 * What the user asks of consumers run by the server, and the faults they can inject: pause,
 * resume or kill a consumer, close its connection, purge a queue, delete an object on the
 * broker behind the diagram's back.
 */

export type ConsumerAction = 'start' | 'pause' | 'resume' | 'kill';

const STATUSES: ReadonlySet<string> = new Set(['running', 'paused', 'stopped', 'killed', 'error']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A consumer state from a reply, or undefined when the value is something else. */
export function readConsumerState(value: unknown): ConsumerState | undefined {
  if (!isRecord(value)) return undefined;
  const { consumerId, status } = value;
  if (typeof consumerId !== 'string' || typeof status !== 'string' || !STATUSES.has(status))
    return undefined;
  const count = (key: string) => {
    const n = value[key];
    return typeof n === 'number' && Number.isFinite(n) ? n : 0;
  };
  const state: ConsumerState = {
    consumerId,
    status: status as ConsumerState['status'],
    received: count('received'),
    acked: count('acked'),
    nacked: count('nacked'),
    rejected: count('rejected'),
    requeued: count('requeued'),
    duplicates: count('duplicates'),
    replied: count('replied'),
    inFlight: count('inFlight'),
  };
  if (typeof value.error === 'string') state.error = value.error;
  return state;
}

/** The states in a `GET …/consumers` reply: a list, or an object holding one. */
export function readConsumerStates(body: unknown): ConsumerState[] {
  const list = Array.isArray(body) ? body : isRecord(body) ? body.consumers : undefined;
  if (!Array.isArray(list)) return [];
  return list.map(readConsumerState).filter((s): s is ConsumerState => s !== undefined);
}

const sessionPath = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`;

/** Reads every consumer's state; a hello carries none, so this follows each one. */
export async function loadConsumerStates(sessionId: string): Promise<void> {
  try {
    const reply = await api('GET', `${sessionPath(sessionId)}/consumers`);
    if (!reply.ok || useWarren.getState().sessionId !== sessionId) return;
    useWarren.getState().addConsumerStates(readConsumerStates(reply.body));
  } catch (error) {
    // The event stream reports the server being away; counters then come with the next events.
    if (!(error instanceof ServerUnreachable)) throw error;
  }
}

async function post(
  path: string,
  nodeId: string | undefined,
  what: string,
  body?: unknown,
): Promise<ApiReply | undefined> {
  const { sessionId, editToken } = useWarren.getState();
  if (sessionId === null) return undefined;
  if (nodeId !== undefined) clearNodeError(nodeId);
  try {
    const reply = await api('POST', `${sessionPath(sessionId)}${path}`, {
      body: body ?? {},
      token: editToken,
    });
    useWarren.getState().setServer('online');
    if (nodeId !== undefined && !reply.ok) reportOnNode(nodeId, reply, what);
    return reply;
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    useWarren.getState().setServer('offline', 'Warren server not reachable');
    if (nodeId !== undefined) reportOnNode(nodeId, undefined, what);
    return undefined;
  }
}

const words: Record<ConsumerAction, string> = {
  start: 'Could not start the consumer',
  pause: 'Could not pause the consumer',
  resume: 'Could not resume the consumer',
  kill: 'Could not kill the consumer',
};

/**
 * Starts, pauses, resumes or kills a consumer. Its counters follow from consumer-state events;
 * a state in the reply is taken at once so the buttons answer without waiting for them.
 */
export async function controlConsumer(consumerId: string, action: ConsumerAction): Promise<void> {
  const reply = await post(
    `/consumers/${encodeURIComponent(consumerId)}/${action}`,
    consumerId,
    words[action],
  );
  const state = reply?.ok ? readConsumerState(reply.body) : undefined;
  if (state) useWarren.getState().setConsumerState(state);
}

/** Closes the consumer's or producer's own AMQP connection, as a network failure would. */
export async function closeConnection(
  target: { consumerId: string } | { producerId: string },
): Promise<void> {
  const nodeId = 'consumerId' in target ? target.consumerId : target.producerId;
  await post('/faults/close-connection', nodeId, 'Could not close the connection', target);
}

/** Removes every ready message from the queue on the broker. */
export async function purgeQueue(queueId: string, name: string): Promise<void> {
  await post(`/queues/${encodeURIComponent(name)}/purge`, queueId, 'Could not purge the queue');
}

/**
 * Deletes the exchange or queue on the broker only. The diagram keeps it, marked missing,
 * until the next Apply declares it again.
 */
export async function deleteOnBroker(
  kind: 'exchange' | 'queue',
  nodeId: string,
  name: string,
): Promise<void> {
  const reply = await post('/faults/delete', nodeId, `Could not delete the ${kind}`, {
    kind,
    name,
  });
  if (reply?.ok) useWarren.getState().markMissing(`${kind}:${name}`);
}
