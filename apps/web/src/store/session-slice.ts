import type { ApplyTopologyResponse, NodeError } from '@warren/protocol';
import { elementAtPath } from '@warren/topology';
import type { StateCreator } from 'zustand';
import type { ApplyProblem, SessionSlice, WarrenState } from './state';

function fromNodeError(error: NodeError): ApplyProblem {
  const problem: ApplyProblem = {
    message: error.message,
    elementId: error.nodeId,
    path: error.path,
    code: error.code,
  };
  if (error.brokerMessage !== undefined) problem.brokerMessage = error.brokerMessage;
  return problem;
}

function byElement(problems: ApplyProblem[]): Record<string, ApplyProblem[]> {
  const result: Record<string, ApplyProblem[]> = {};
  for (const problem of problems) {
    if (problem.elementId === undefined) continue;
    (result[problem.elementId] ??= []).push(problem);
  }
  return result;
}

export const createSessionSlice: StateCreator<WarrenState, [], [], SessionSlice> = (set, get) => {
  /** The server's reply to an Apply that went through (`partly`: some of it failed). */
  const applied = (response: ApplyTopologyResponse, sentJson: string, partly: boolean) => {
    get().loadServerTopology(response.topology, {
      keepLocalEdits: JSON.stringify(get().topology) !== sentJson,
    });
    // The server declares what the broker lacks, so objects deleted there exist again.
    get().clearMissing();
    const problems = response.nodeErrors.map(fromNodeError);
    set({
      applyPhase: 'idle',
      applyOutcome: partly || problems.length > 0 ? 'failed' : 'ok',
      applyProblems: problems,
      elementErrors: byElement(problems),
    });
  };

  return {
    sessionId: null,
    editToken: null,
    applyPhase: 'idle',
    sendingJson: null,
    applyOutcome: 'none',
    applyProblems: [],
    elementErrors: {},

    setSession: (session) =>
      set({ sessionId: session?.id ?? null, editToken: session?.editToken ?? null }),

    applyStarted: () => set({ applyPhase: 'applying' }),
    setSending: (json) => set({ sendingJson: json }),

    applySucceeded: (response, sentJson) => applied(response, sentJson, false),

    applyRejected: (message, details, sent) => {
      const problems: ApplyProblem[] =
        details.length > 0
          ? details.map((d) => {
              const elementId = d.nodeId ?? elementAtPath(sent, d.path);
              return elementId === undefined
                ? { message: d.message, path: d.path }
                : { message: d.message, path: d.path, elementId };
            })
          : [{ message }];
      set({
        applyPhase: 'idle',
        applyOutcome: 'failed',
        applyProblems: problems,
        elementErrors: byElement(problems),
      });
    },

    applyPartly: (response, sentJson) => applied(response, sentJson, true),

    applyUnreachable: (message) =>
      set({ applyPhase: 'idle', applyOutcome: 'failed', applyProblems: [{ message }] }),

    addNodeErrors: (errors) => {
      if (errors.length === 0) return;
      const fresh = errors.map(fromNodeError);
      const elementErrors = { ...get().elementErrors, ...byElement(fresh) };
      const replaced = new Set(fresh.map((p) => p.elementId));
      const applyProblems = [
        ...get().applyProblems.filter((p) => !replaced.has(p.elementId)),
        ...fresh,
      ];
      set({ elementErrors, applyProblems });
    },
  };
};
