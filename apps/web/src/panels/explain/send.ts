import type { PublishRequest, PublishResponse } from '@warren/protocol';
import type { ExplainMessage } from '@warren/topology';
import { api, errorMessage, ServerUnreachable } from '../../live/api';
import { sendFromProducer } from '../../live/commands';
import {
  explainSafely,
  headerRecord,
  type ExplainOutcome,
} from '../../canvas/derive/explain-route';
import { useWarren, type WarrenState } from '../../store/store';
import { compareWithBroker, type BrokerOutcome } from './broker-check';

/** The payload of a message sent from the panel without a producer: it only asks a question. */
const PROBE_PAYLOAD = 'sent from the route explainer';

/**
 * The prediction to hold the broker's answer against: for the diagram as last applied, since
 * that is what the broker routes by, not for edits still waiting for Apply.
 */
export function predictOnBroker(state: WarrenState, message: ExplainMessage): ExplainOutcome {
  const topology = useWarren.derived.appliedTopology(state) ?? state.topology;
  return explainSafely(topology, message);
}

/** Compares what the broker did with a message just sent with the prediction for it. */
export function recordBrokerOutcome(outcome: BrokerOutcome): void {
  const state = useWarren.getState();
  const message = useWarren.derived.explainMessage(state);
  state.setExplainComparison(
    compareWithBroker(predictOnBroker(state, message), outcome, JSON.stringify(message)),
  );
}

/**
 * Sends the explained message. A linked producer sends it itself (its node shows the result
 * and the comparison follows from that); otherwise the panel publishes it directly.
 * Returns a sentence when it could not be sent.
 */
export async function sendExplainedMessage(): Promise<string | null> {
  const state = useWarren.getState();
  const form = useWarren.derived.explainForm(state);
  if (form.producer) {
    await sendFromProducer(form.producer.id);
    return null;
  }
  if (state.sessionId === null)
    return 'There is no session yet; the Warren server has not answered.';
  const request: PublishRequest = {
    exchange: form.exchange,
    routingKey: form.routingKey,
    payload: PROBE_PAYLOAD,
    mandatory: form.mandatory,
  };
  const headers = headerRecord(form.headers);
  if (Object.keys(headers).length > 0) request.headers = headers;
  try {
    const reply = await api(
      'POST',
      `/api/sessions/${encodeURIComponent(state.sessionId)}/publish`,
      { body: request, token: state.editToken },
    );
    if (!reply.ok) return errorMessage(reply);
    const response = reply.body as PublishResponse;
    recordBrokerOutcome({
      routedQueues: response.routedQueues,
      returned: response.returned !== undefined,
      messageId: response.messageId,
      at: Date.now(),
    });
    return null;
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw error;
    return 'The Warren server is not reachable; nothing was sent.';
  }
}
