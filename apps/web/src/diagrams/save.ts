import type { CreateDiagramResponse } from '@warren/protocol';
import type { Topology } from '@warren/topology';
import { ServerUnreachable } from '../live/api';
import { useWarren } from '../store/store';
import {
  createDiagram,
  DiagramRefused,
  forkDiagram,
  getDiagram,
  getRevision,
  latestRevisionOf,
  updateDiagram,
} from './diagram-api';
import { viewPath } from './diagram-links';
import { rememberDiagram, rememberSessionDiagram } from './my-diagrams';
import { canonicalJson, fingerprint, selectDiagramName } from './save-status';

/**
 * Saving the canvas to its saved diagram: a new revision made from the one the canvas was loaded
 * from. When someone saved since, nothing is written: the user picks "reload theirs" or "save
 * mine as a copy". A canvas without a diagram (or without its edit token) saves a new one.
 */

function problemOf(error: unknown): string {
  if (error instanceof ServerUnreachable)
    return 'The Warren server is not reachable; nothing was saved.';
  if (error instanceof DiagramRefused) {
    if (error.reply.status === 401)
      return 'This browser can no longer edit the diagram (its edit link was revoked). Save it as a copy.';
    if (error.reply.status === 404) return 'The diagram was deleted. Save it as a copy.';
    return error.message;
  }
  throw error;
}

/** The page's address names the diagram, and the session that runs it. */
function showInAddress(id: string): void {
  const url = new URL(window.location.href);
  url.pathname = viewPath(id);
  url.hash = '';
  url.searchParams.delete('run');
  window.history.replaceState(window.history.state, '', url);
}

/** The canvas now belongs to this diagram, at this revision, saved as `document`. */
function linkTo(
  created: { id: string; name: string; revision: number; editToken: string | null },
  document: Topology,
): void {
  const state = useWarren.getState();
  state.setDiagram({
    id: created.id,
    name: created.name,
    savedName: created.name,
    revision: created.revision,
    editToken: created.editToken,
    savedJson: canonicalJson(document),
  });
  if (created.editToken !== null)
    rememberDiagram({ id: created.id, name: created.name, editToken: created.editToken });
  if (state.sessionId !== null)
    rememberSessionDiagram(state.sessionId, {
      id: created.id,
      revision: created.revision,
      sessionFingerprint: fingerprint(JSON.parse(state.baselineJson)),
    });
  showInAddress(created.id);
}

/** The save did not happen: the status says so, and a note says why. */
function failed(error: unknown): void {
  const problem = problemOf(error);
  useWarren.getState().saveFinished({ problem });
  useWarren.getState().showToast({ text: problem, tone: 'error' });
}

let inFlight: Promise<void> | null = null;

/** One save at a time: a second Ctrl+S while one runs waits for it instead of racing it. */
function once(run: () => Promise<void>): Promise<void> {
  if (inFlight) return inFlight;
  inFlight = run().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

export function saveDiagram(): Promise<void> {
  return once(async () => {
    const state = useWarren.getState();
    if (state.viewing) return;
    const diagram = state.diagram;
    if (diagram === null || diagram.editToken === null) return saveCopyNow();
    const document = state.topology;
    state.saveStarted();
    try {
      const { revision } = await updateDiagram(diagram.id, diagram.editToken, {
        document,
        name: diagram.name,
        baseRevision: diagram.revision,
      });
      const typedName = useWarren.getState().diagram?.name ?? diagram.name;
      linkTo({ ...diagram, revision }, document);
      // A rename typed while the save was on its way stays, for the next save.
      if (typedName !== diagram.name) useWarren.getState().renameDiagram(typedName);
      useWarren.getState().saveFinished();
    } catch (error) {
      const latestRevision = latestRevisionOf(error);
      if (latestRevision !== null)
        useWarren.getState().saveFinished({ conflict: { latestRevision } });
      else failed(error);
    }
  });
}

async function saveCopyNow(): Promise<void> {
  const state = useWarren.getState();
  const document = state.topology;
  const source = state.diagram;
  const name = source ? `${source.name} (copy)` : selectDiagramName(state);
  state.saveStarted();
  try {
    let created: CreateDiagramResponse;
    if (source) {
      // A fork keeps where the copy came from; the canvas's own changes are its next revision.
      created = await forkDiagram(source.id, { revision: source.revision, name });
      const { revision } = await updateDiagram(created.id, created.editToken, {
        document,
        baseRevision: created.revision,
      });
      created = { ...created, revision };
    } else {
      created = await createDiagram(name, document);
    }
    linkTo(created, document);
    useWarren.getState().saveFinished();
    useWarren.getState().showToast({
      text: source
        ? `Saved as “${created.name}”, a copy of yours.`
        : `Saved “${created.name}”. Share gives its links.`,
      tone: 'info',
    });
  } catch (error) {
    failed(error);
  }
}

/** "Save as copy": a new diagram of this browser's, with what the canvas shows now. */
export function saveAsCopy(): Promise<void> {
  return once(saveCopyNow);
}

/** After a conflict: the canvas takes the latest saved revision; the local changes are dropped. */
export async function reloadTheirs(): Promise<void> {
  const diagram = useWarren.getState().diagram;
  if (!diagram) return;
  try {
    const latest = await getDiagram(diagram.id);
    const state = useWarren.getState();
    state.replaceTopology(latest.document);
    state.requestFit();
    linkTo({ ...diagram, name: latest.name, revision: latest.revision }, latest.document);
  } catch (error) {
    failed(error);
  }
}

/** Restores an old revision: its document becomes a new revision, and the canvas shows it. */
export async function restoreRevision(revision: number): Promise<void> {
  const diagram = useWarren.getState().diagram;
  if (!diagram?.editToken) return;
  useWarren.getState().saveStarted();
  try {
    const old = await getRevision(diagram.id, revision);
    const latest = await getDiagram(diagram.id);
    const saved = await updateDiagram(diagram.id, diagram.editToken, {
      document: old.document,
      name: diagram.name,
      baseRevision: latest.revision,
    });
    const state = useWarren.getState();
    state.replaceTopology(old.document);
    state.requestFit();
    linkTo({ ...diagram, revision: saved.revision }, old.document);
    useWarren.getState().saveFinished();
    useWarren.getState().showToast({
      text: `Revision ${revision} restored as revision ${saved.revision}.`,
      tone: 'info',
    });
  } catch (error) {
    failed(error);
  }
}

/** A copy of a diagram this browser can edit; the page moves to it (its edit link). */
export async function forkAndOpen(id: string, revision?: number): Promise<void> {
  try {
    const fork = await forkDiagram(id, revision === undefined ? {} : { revision });
    rememberDiagram({ id: fork.id, name: fork.name, editToken: fork.editToken });
    window.location.assign(`${viewPath(fork.id)}#edit=${encodeURIComponent(fork.editToken)}`);
  } catch (error) {
    useWarren.getState().showToast({ text: problemOf(error), tone: 'error' });
  }
}
