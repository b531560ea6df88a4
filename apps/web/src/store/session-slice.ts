import type { ApplyTopologyResponse, ErrorDetail, NodeError } from '@warren/protocol';
import type { StateCreator } from 'zustand';
import { elementAtPath } from './document-ops';
import type { WarrenState } from './store';

/** One problem from the last Apply, located on a node or edge when possible. */
export interface ApplyProblem {
  message: string;
  /** The node or edge it belongs to. */
  elementId?: string;
  path?: string;
  /** The broker's own words, when it was the broker that refused. */
  brokerMessage?: string;
  /** The catalogue code, e.g. PRECONDITION_FAILED when an object exists with other settings. */
  code?: string;
}

export type ApplyPhase = 'idle' | 'applying';
export type ApplyOutcome = 'none' | 'ok' | 'failed';

export interface SessionSlice {
  sessionId: string | null;
  /** Without it the session can be watched but not changed. */
  editToken: string | null;
  applyPhase: ApplyPhase;
  /** How the last Apply went; reset by the next one. */
  applyOutcome: ApplyOutcome;
  applyProblems: ApplyProblem[];
  /** Problems by node or edge id, from Apply replies and node-error events. */
  elementErrors: Record<string, ApplyProblem[]>;

  setSession: (session: { id: string; editToken: string | null } | null) => void;
  applyStarted: () => void;
  /** `sentJson` is the document as it was sent, to tell whether the user edited meanwhile. */
  applySucceeded: (response: ApplyTopologyResponse, sentJson: string) => void;
  /** 400: nothing applied. `details` are located in the document that was sent. */
  applyRejected: (message: string, details: ErrorDetail[], sent: WarrenState['topology']) => void;
  /** 409: the broker refused some objects; the rest was applied. */
  applyPartly: (response: ApplyTopologyResponse, sentJson: string) => void;
  /** The server could not be asked at all. */
  applyUnreachable: (message: string) => void;
  addNodeErrors: (errors: NodeError[]) => void;
}

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

export const createSessionSlice: StateCreator<WarrenState, [], [], SessionSlice> = (set, get) => ({
  sessionId: null,
  editToken: null,
  applyPhase: 'idle',
  applyOutcome: 'none',
  applyProblems: [],
  elementErrors: {},

  setSession: (session) =>
    set({ sessionId: session?.id ?? null, editToken: session?.editToken ?? null }),

  applyStarted: () => set({ applyPhase: 'applying' }),

  applySucceeded: (response, sentJson) => {
    get().loadServerTopology(response.topology, {
      keepLocalEdits: JSON.stringify(get().topology) !== sentJson,
    });
    // The server declares what the broker lacks, so objects deleted there exist again.
    get().clearMissing();
    const problems = response.nodeErrors.map(fromNodeError);
    set({
      applyPhase: 'idle',
      applyOutcome: problems.length > 0 ? 'failed' : 'ok',
      applyProblems: problems,
      elementErrors: byElement(problems),
    });
  },

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

  applyPartly: (response, sentJson) => {
    get().loadServerTopology(response.topology, {
      keepLocalEdits: JSON.stringify(get().topology) !== sentJson,
    });
    // The server declares what the broker lacks, so objects deleted there exist again.
    get().clearMissing();
    const problems = response.nodeErrors.map(fromNodeError);
    set({
      applyPhase: 'idle',
      applyOutcome: 'failed',
      applyProblems: problems,
      elementErrors: byElement(problems),
    });
  },

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
});
