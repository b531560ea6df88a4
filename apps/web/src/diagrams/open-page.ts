import { parseJoinPath } from '../classroom/join-code';
import { ServerUnreachable } from '../live/api';
import { startSession } from '../live/session';
import { useWarren } from '../store/store';
import { DiagramRefused, getDiagram } from './diagram-api';
import { parseDiagramLocation } from './diagram-links';
import { editTokenFor, rememberDiagram } from './my-diagrams';
import { canonicalJson } from './save-status';

/**
 * What the page's address opens:
 * - `/d/<id>#edit=<token>`: the token is kept in this browser and leaves the address at once;
 * - `/d/<id>` with this browser's edit token, `?run`, or `?session=`: a session running the
 *   diagram, whose canvas saves back to it (or, without the token, as a copy);
 * - `/d/<id>` otherwise: the diagram read-only, with Run it and Fork;
 * - `/join/<code>`: a classroom, as a student;
 * - anything else: the session in the address, or a new one.
 */
export function startPage(): void {
  const joinCode = parseJoinPath(window.location.pathname);
  if (joinCode !== null) {
    void import('../classroom/student').then(({ startStudentPage }) => startStudentPage(joinCode));
    return;
  }
  const location = parseDiagramLocation(window.location.pathname, window.location.hash);
  if (location === null) {
    void startSession();
    return;
  }
  if (location.editToken !== undefined) {
    rememberDiagram({ id: location.id, editToken: location.editToken });
    const url = new URL(window.location.href);
    url.hash = '';
    window.history.replaceState(window.history.state, '', url);
  }
  const params = new URL(window.location.href).searchParams;
  if (params.has('session') || params.has('run') || editTokenFor(location.id) !== null) {
    void startSession({ fromDiagram: location.id });
    return;
  }
  void openReadOnly(location.id);
}

async function openReadOnly(id: string): Promise<void> {
  const state = useWarren.getState();
  state.setViewing(true);
  try {
    const diagram = await getDiagram(id);
    state.setServer('online');
    // Taking the server's copy is not an edit, so `viewing` lets it through.
    state.loadServerTopology(diagram.document);
    state.setDiagram({
      id,
      name: diagram.name,
      savedName: diagram.name,
      revision: diagram.revision,
      editToken: null,
      savedJson: canonicalJson(diagram.document),
    });
    state.requestFit();
  } catch (error) {
    if (error instanceof ServerUnreachable) {
      state.setServer('offline', 'Warren server not reachable');
      return;
    }
    if (!(error instanceof DiagramRefused)) throw error;
    state.setServer('online');
    state.showToast({
      text:
        error.reply.status === 404
          ? 'There is no diagram at this link: it was deleted, or the link is mistyped.'
          : error.message,
      tone: 'error',
    });
  }
}
