import type { ErrorCode } from '@warren/protocol';
import { pathOfElement } from '@warren/topology';
import { useWarren } from '../store/store';
import { errorMessage, isErrorBody, type ApiReply } from './api';

/** A refused command, shown on the node it was about like an Apply problem. */
export function reportOnNode(nodeId: string, reply: ApiReply | undefined, what: string): void {
  const store = useWarren.getState();
  const code: ErrorCode = reply && isErrorBody(reply.body) ? reply.body.error.code : 'INTERNAL';
  const message = reply ? `${what}: ${errorMessage(reply)}` : `${what}: server not reachable`;
  store.addNodeErrors([
    { nodeId, path: pathOfElement(store.topology, nodeId) ?? '', code, message },
  ]);
}

/**
 * Clears what an earlier refusal left on a node. Called before a new command is sent, since
 * the broker's refusal of that command may come as a node-error event before its reply does.
 */
export function clearNodeError(nodeId: string): void {
  const store = useWarren.getState();
  if (!(nodeId in store.elementErrors)) return;
  const { [nodeId]: _gone, ...elementErrors } = store.elementErrors;
  useWarren.setState({
    elementErrors,
    applyProblems: store.applyProblems.filter((p) => p.elementId !== nodeId),
  });
}
