import type { SessionSummary } from '@warren/protocol';
import { useWarren } from '../store/store';
import { getRevision } from './diagram-api';
import { editTokenFor, sessionDiagram } from './my-diagrams';
import { canonicalJson, fingerprint } from './save-status';

/**
 * Which saved diagram a session's canvas saves to: the one this browser last saved it as (kept
 * per session), else the one the server says the session was started from. Without that
 * diagram's edit token the canvas can still be saved, as a copy.
 *
 * A save does not Apply, so after a reload the session may lack what was saved. When the session
 * is still as it was at that save, the saved revision is newer: the canvas shows it, as changes
 * to apply. When the session changed after the save, the session's copy stays.
 */
export async function linkSessionToDiagram(summary: SessionSummary): Promise<void> {
  const local = sessionDiagram(summary.id);
  const ref = local ?? summary.diagram ?? null;
  if (ref === null) return;
  try {
    const saved = await getRevision(ref.id, ref.revision);
    if (useWarren.getState().sessionId !== summary.id) return;
    useWarren.getState().setDiagram({
      id: ref.id,
      name: saved.name,
      savedName: saved.name,
      revision: saved.revision,
      editToken: editTokenFor(ref.id),
      savedJson: canonicalJson(saved.document),
    });
    const sessionUnchanged = local?.sessionFingerprint === fingerprint(summary.topology);
    if (sessionUnchanged && canonicalJson(summary.topology) !== canonicalJson(saved.document))
      useWarren.getState().replaceTopology(saved.document);
  } catch {
    // The diagram is gone (or the server away): the canvas goes on, and saves a new diagram.
    useWarren.getState().setDiagram(null);
  }
}
