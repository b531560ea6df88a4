import type { QueueState } from '@warren/protocol';
import { findElement, type DiagramElement } from '@warren/topology';
import { useCallback } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { outsideKey } from './outside-state';
import type { ApplyProblem, ConsumerState, MissingKey, PublishResult, WarrenState } from './state';
import { useWarren } from './store';

/** The words `apply-status` shows; demo scripts wait for them. */
export type ApplyStatusText = 'Applied' | 'Unapplied changes' | 'Applying...' | 'Apply failed';

/** Objects of the diagram were deleted on the broker: Apply would declare them again. */
export const selectMissingOnBroker = (s: WarrenState) => Object.keys(s.missingOnBroker).length > 0;

export const selectApplyStatus = (s: WarrenState): ApplyStatusText => {
  if (s.applyPhase === 'applying') return 'Applying...';
  if (s.applyOutcome === 'failed') return 'Apply failed';
  if (s.dirty || selectMissingOnBroker(s)) return 'Unapplied changes';
  return 'Applied';
};

/** Some objects exist on the broker with other settings: offer to delete and declare them again. */
export const selectCanRecreate = (s: WarrenState) =>
  s.applyProblems.some((p) => p.code === 'PRECONDITION_FAILED');

/** Watching a session without its edit token: it can be looked at, not changed. */
export const selectReadOnly = (s: WarrenState) =>
  s.viewing || (s.sessionId !== null && s.editToken === null);

export const selectToolbar = (s: WarrenState) => ({
  sessionId: s.sessionId,
  readOnly: selectReadOnly(s),
  dirty: s.dirty || selectMissingOnBroker(s),
  applying: s.applyPhase === 'applying',
});

export const selectBanners = (s: WarrenState) => ({
  server: s.server,
  serverMessage: s.serverMessage,
  broker: s.broker,
});

/** The one element the inspector shows: the last one selected. */
export const selectInspected = (s: WarrenState): DiagramElement | undefined => {
  const id = s.selectedEdges.at(-1) ?? s.selectedNodes.at(-1);
  return id === undefined ? undefined : findElement(s.topology, id);
};

export const selectApplyProblems = (s: WarrenState) => s.applyProblems;

export const selectExchangeNames = (s: WarrenState) => s.topology.exchanges.map((x) => x.name);

/** Deepest queue on the canvas, so depth bars compare queues with each other. */
export const selectDeepestQueue = (s: WarrenState) => {
  let max = 0;
  for (const q of Object.values(s.queueStats)) max = Math.max(max, q.messages);
  return max;
};

const noProblems: ApplyProblem[] = [];

export function useElementErrors(id: string): ApplyProblem[] {
  return useWarren(useCallback((s: WarrenState) => s.elementErrors[id] ?? noProblems, [id]));
}

export function useQueueStats(name: string): QueueState | undefined {
  return useWarren(useCallback((s: WarrenState) => s.queueStats[name], [name]));
}

export function usePublishResult(producerId: string): PublishResult | undefined {
  return useWarren(useCallback((s: WarrenState) => s.publishResults[producerId], [producerId]));
}

export function useExchangeNames(): string[] {
  return useWarren(useShallow(selectExchangeNames));
}

export function useConsumerState(consumerId: string): ConsumerState | undefined {
  return useWarren(useCallback((s: WarrenState) => s.consumerStates[consumerId], [consumerId]));
}

/** Whether the object was deleted on the broker and not declared again yet. */
export function useMissingOnBroker(key: MissingKey): boolean {
  return useWarren(useCallback((s: WarrenState) => s.missingOnBroker[key] === true, [key]));
}

/**
 * The outside client that owns a queue of the diagram (its exclusive queue), when the server
 * named one: the server names the owning connection, and the client listing that connection is
 * the owner (its node id and label); until it is listed, the connection's name stands for it.
 */
export function useQueueOwner(name: string): { id: string; label: string } | undefined {
  const connection = useWarren((s) => s.outsideOwners[outsideKey('queue', name)]);
  const client = useWarren(
    useCallback(
      (s: WarrenState) =>
        connection === undefined
          ? undefined
          : (s.outsideClients[connection] ??
            Object.values(s.outsideClients).find((c) => c.connections?.includes(connection))),
      [connection],
    ),
  );
  if (connection === undefined) return undefined;
  return client === undefined
    ? { id: connection, label: connection }
    : { id: client.id, label: client.label };
}

/** Whether an exchange or queue of that name was declared by a client outside Warren. */
export function useDeclaredOutside(kind: 'exchange' | 'queue', name: string): boolean {
  return useWarren(
    useCallback(
      (s: WarrenState) => {
        const key = outsideKey(kind, name);
        const change = s.outsideObjects[key];
        // The last event wins over the server's list, which only comes with the diagram.
        if (change && change.source !== 'fault') return change.change === 'created';
        return s.outsideNames.includes(key);
      },
      [kind, name],
    ),
  );
}
