/**
 * What this browser keeps about saved diagrams, in localStorage: the diagrams it created or
 * opened with an edit link (with their edit tokens), for "My diagrams"; and which diagram and
 * revision each of its sessions saves to, so a reload keeps saving to the right place.
 */

export interface MyDiagram {
  id: string;
  name: string;
  editToken: string;
  /** When this browser last saved or opened it (ISO 8601). */
  touchedAt: string;
}

export interface SessionDiagram {
  id: string;
  revision: number;
  /**
   * A fingerprint of the session's own (applied) document when that revision was saved: while the
   * session still has it, the saved revision is the newer of the two.
   */
  sessionFingerprint?: string;
}

const LIST_KEY = 'warren.diagrams';
const SESSION_PREFIX = 'warren.session-diagram.';

function read(key: string): unknown {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    // Storage may be disabled or hold something else; then this browser remembers nothing.
    return null;
  }
}

const listeners = new Set<() => void>();

/** Calls `listener` whenever this browser's list of diagrams changes; returns the unsubscribe. */
export function subscribeMyDiagrams(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Without storage, saving still works in this tab; only a reload forgets the link.
  }
  if (key === LIST_KEY) for (const listener of listeners) listener();
}

function isMyDiagram(value: unknown): value is MyDiagram {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string' &&
    'editToken' in value &&
    typeof value.editToken === 'string' &&
    'name' in value &&
    typeof value.name === 'string'
  );
}

/** Newest first. */
export function myDiagrams(): MyDiagram[] {
  const value = read(LIST_KEY);
  if (!Array.isArray(value)) return [];
  return value
    .filter(isMyDiagram)
    .map((d) => ({ ...d, touchedAt: typeof d.touchedAt === 'string' ? d.touchedAt : '' }))
    .sort((a, b) => b.touchedAt.localeCompare(a.touchedAt));
}

export function editTokenFor(id: string): string | null {
  return myDiagrams().find((d) => d.id === id)?.editToken ?? null;
}

/** Adds or updates a diagram of this browser; the token stays unless a new one is given. */
export function rememberDiagram(entry: { id: string; name?: string; editToken?: string }): void {
  const list = myDiagrams();
  const old = list.find((d) => d.id === entry.id);
  const editToken = entry.editToken ?? old?.editToken;
  if (editToken === undefined) return;
  const next: MyDiagram = {
    id: entry.id,
    name: entry.name ?? old?.name ?? 'Untitled diagram',
    editToken,
    touchedAt: new Date().toISOString(),
  };
  write(LIST_KEY, [next, ...list.filter((d) => d.id !== entry.id)]);
}

export function forgetDiagram(id: string): void {
  write(
    LIST_KEY,
    myDiagrams().filter((d) => d.id !== id),
  );
}

export function sessionDiagram(sessionId: string): SessionDiagram | null {
  const value = read(SESSION_PREFIX + sessionId);
  if (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string' &&
    'revision' in value &&
    typeof value.revision === 'number'
  )
    return 'sessionFingerprint' in value && typeof value.sessionFingerprint === 'string'
      ? { id: value.id, revision: value.revision, sessionFingerprint: value.sessionFingerprint }
      : { id: value.id, revision: value.revision };
  return null;
}

export function rememberSessionDiagram(sessionId: string, link: SessionDiagram | null): void {
  if (link === null) {
    try {
      localStorage.removeItem(SESSION_PREFIX + sessionId);
    } catch {
      // Nothing kept, nothing to forget.
    }
    return;
  }
  write(SESSION_PREFIX + sessionId, link);
}
