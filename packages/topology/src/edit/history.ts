import type { Topology } from '../model';

/**
 * Undo and redo of document edits, as snapshots of the whole document. Edits never change a
 * document in place, so a snapshot shares everything it did not change with its neighbours and
 * costs little to keep.
 *
 * Edits of one gesture (the steps of an arrow-key nudge, the keystrokes typed into one field)
 * carry the same `group` and fold into one undo step while they follow each other closely.
 */
export interface EditHistory {
  /** Documents before each step, oldest first. */
  readonly past: readonly Topology[];
  /** Documents undone, the next one to redo last. */
  readonly future: readonly Topology[];
  /** The group of the last step and when it was last added to. */
  readonly group?: { readonly key: string; readonly at: number };
}

/** How many steps back Undo can go. */
export const HISTORY_LIMIT = 100;
/** Edits of one group further apart than this are separate steps. */
export const GROUP_MS = 1000;

export function emptyHistory(): EditHistory {
  return { past: [], future: [] };
}

export interface RecordOptions {
  /** Edits of the same group close together are one step. */
  group?: string;
  /** When the edit happened, in milliseconds. */
  at?: number;
  limit?: number;
}

/** The history after an edit that changed `before` into something else. */
export function recordEdit(
  history: EditHistory,
  before: Topology,
  options: RecordOptions = {},
): EditHistory {
  const { group, at = 0, limit = HISTORY_LIMIT } = options;
  const last = history.group;
  if (
    group !== undefined &&
    last !== undefined &&
    last.key === group &&
    at - last.at <= GROUP_MS &&
    history.future.length === 0 &&
    history.past.length > 0
  ) {
    return { past: history.past, future: [], group: { key: group, at } };
  }
  const past = [...history.past, before];
  if (past.length > limit) past.splice(0, past.length - limit);
  return { past, future: [], ...(group !== undefined && { group: { key: group, at } }) };
}

export function canUndo(history: EditHistory): boolean {
  return history.past.length > 0;
}

export function canRedo(history: EditHistory): boolean {
  return history.future.length > 0;
}

/** Steps back from `current`: the document to show and the history after it. */
export function undoEdit(
  history: EditHistory,
  current: Topology,
): { history: EditHistory; topology: Topology } | undefined {
  const topology = history.past.at(-1);
  if (topology === undefined) return undefined;
  return {
    topology,
    history: { past: history.past.slice(0, -1), future: [...history.future, current] },
  };
}

/** Steps forward again from `current`, after an undo. */
export function redoEdit(
  history: EditHistory,
  current: Topology,
): { history: EditHistory; topology: Topology } | undefined {
  const topology = history.future.at(-1);
  if (topology === undefined) return undefined;
  return {
    topology,
    history: { past: [...history.past, current], future: history.future.slice(0, -1) },
  };
}

/**
 * Every document in the history changed by `change`: what happened outside the user's edits
 * (objects an outside client declared or deleted on the broker) holds in every step, so Undo
 * never takes it back.
 */
export function mapHistory(
  history: EditHistory,
  change: (topology: Topology) => Topology,
): EditHistory {
  if (history.past.length === 0 && history.future.length === 0) return history;
  return { past: history.past.map(change), future: history.future.map(change) };
}
