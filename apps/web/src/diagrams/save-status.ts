import type { Topology } from '@warren/topology';
import type { WarrenState } from '../store/store';

/** JSON with object keys sorted, so two equal documents serialize alike whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A short fingerprint of a document (FNV-1a over its canonical JSON), to tell two apart. */
export function fingerprint(value: unknown): string {
  let hash = 0x811c9dc5;
  const text = canonicalJson(value);
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${hash.toString(16)}:${text.length}`;
}

// Live events change the store many times a second; the document rarely does.
let lastTopology: Topology | null = null;
let lastJson = '';
function topologyJson(topology: Topology): string {
  if (topology !== lastTopology) {
    lastTopology = topology;
    lastJson = canonicalJson(topology);
  }
  return lastJson;
}

export type SaveStatus = 'viewing' | 'saving' | 'not saved' | 'unsaved' | 'saved';

export const selectSaveStatus = (s: WarrenState): SaveStatus => {
  if (s.viewing) return 'viewing';
  if (s.saving) return 'saving';
  if (s.diagram === null) return 'not saved';
  if (s.diagram.name !== s.diagram.savedName) return 'unsaved';
  return topologyJson(s.topology) === s.diagram.savedJson ? 'saved' : 'unsaved';
};

export const selectDiagramName = (s: WarrenState) => s.diagram?.name ?? s.draftName;
