import type { ApplyTopologyResponse, PublishRequest, PublishResponse } from '@warren/protocol';
import { describePublish } from '../store/live-slice';
import { useWarren } from '../store/store';
import { api, errorMessage, isErrorBody, ServerUnreachable } from './api';

/** What the user asks of the server: apply the diagram, send a message. */

const notReady = 'There is no session yet; the Warren server has not answered.';

let inFlight: Promise<void> | null = null;

/**
 * PUT the document. The outcome lands in the store: on the nodes, the edges and the error
 * list. A `quiet` PUT saves changes the broker does not see (positions, producers) without
 * showing "Applying..." and without calling an unreachable server a failed Apply. With
 * `recreate`, objects the broker has with other settings are deleted and declared again.
 */
export async function applyTopology(
  options: { quiet?: boolean; recreate?: boolean } = {},
): Promise<void> {
  // One PUT at a time, in order: an Apply waits for a quiet save, and sends what is current then.
  while (inFlight) {
    if (options.quiet) return;
    await inFlight;
  }
  const run = putTopology(options.quiet ?? false, options.recreate ?? false);
  inFlight = run.finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/**
 * Saves the document without Apply once any PUT in flight is done, for actions that need the
 * server's copy of producer fields to be current. Only for documents without broker changes.
 */
export async function saveQuietly(): Promise<void> {
  while (inFlight) await inFlight;
  await applyTopology({ quiet: true });
}

async function putTopology(quiet: boolean, recreate: boolean): Promise<void> {
  const state = useWarren.getState();
  const sent = state.topology;
  const sentJson = JSON.stringify(sent);
  if (state.sessionId === null) {
    if (!quiet) state.applyUnreachable(notReady);
    return;
  }
  if (!quiet) state.applyStarted();
  state.setSending(sentJson);
  try {
    // Objects declared outside Warren after the last event taken in are kept by the server.
    const params = new URLSearchParams();
    if (recreate) params.set('recreate', 'true');
    if (state.seq >= 0) params.set('seenSeq', String(state.seq));
    const query = params.size > 0 ? `?${params.toString()}` : '';
    const reply = await api(
      'PUT',
      `/api/sessions/${encodeURIComponent(state.sessionId)}/topology${query}`,
      {
        body: sent,
        token: state.editToken,
      },
    );
    const store = useWarren.getState();
    store.setServer('online');
    if (reply.ok) {
      store.applySucceeded(reply.body as ApplyTopologyResponse, sentJson);
    } else if (
      reply.status === 409 &&
      typeof reply.body === 'object' &&
      reply.body !== null &&
      'nodeErrors' in reply.body
    ) {
      store.applyPartly(reply.body as ApplyTopologyResponse, sentJson);
    } else if (isErrorBody(reply.body)) {
      const { message, details, hint } = reply.body.error;
      const text =
        reply.status === 401 || reply.status === 403
          ? `${message} This browser did not create the session, so it can only watch.`
          : message;
      store.applyRejected(hint ? `${text} ${hint}` : text, details ?? [], sent);
    } else {
      store.applyRejected(errorMessage(reply), [], sent);
    }
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    const store = useWarren.getState();
    store.setServer('offline', 'Warren server not reachable');
    if (quiet) return;
    store.applyUnreachable('Warren server not reachable; the diagram was not applied.');
  } finally {
    useWarren.getState().setSending(null);
  }
}

/**
 * Publishes the producer's message. The dot on the canvas comes from the broker's `routed`
 * event, not from this reply; the reply only fills in the result when events are late.
 */
export async function sendFromProducer(producerId: string): Promise<void> {
  const state = useWarren.getState();
  const producer = state.topology.producers.find((p) => p.id === producerId);
  if (!producer) return;
  if (state.sessionId === null) {
    state.setPublishResult(producerId, { text: notReady, tone: 'error', messageId: null });
    return;
  }
  const request: PublishRequest = {
    exchange: producer.exchange,
    routingKey: producer.routingKey,
    payload: producer.payload,
    mandatory: producer.mandatory,
    producerId,
  };
  if (producer.headers && Object.keys(producer.headers).length > 0)
    request.headers = producer.headers;
  try {
    const reply = await api(
      'POST',
      `/api/sessions/${encodeURIComponent(state.sessionId)}/publish`,
      {
        body: request,
        token: state.editToken,
      },
    );
    const store = useWarren.getState();
    store.setServer('online');
    if (reply.ok) {
      const response = reply.body as PublishResponse;
      store.setPublishResult(producerId, {
        ...describePublish(response),
        messageId: response.messageId,
      });
    } else {
      store.setPublishResult(producerId, {
        text: `failed: ${errorMessage(reply)}`,
        tone: 'error',
        messageId: null,
      });
    }
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    useWarren.getState().setServer('offline', 'Warren server not reachable');
    useWarren.getState().setPublishResult(producerId, {
      text: 'failed: Warren server not reachable',
      tone: 'error',
      messageId: null,
    });
  }
}
