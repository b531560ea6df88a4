import { useWarren } from '../store/store';
import { rememberSessionDiagram } from './my-diagrams';

/**
 * Opens a dropped or picked file (Warren JSON, or a PNG or SVG exported by Warren) on the
 * canvas as a new, unsaved diagram: Save then makes it a saved diagram of its own, so the one
 * the canvas showed before is never overwritten by it.
 */
export async function openFile(file: File): Promise<void> {
  const state = useWarren.getState();
  if (state.viewing) {
    state.showToast({
      text: 'This diagram is read-only here: Run it or Fork it, then open the file there.',
      tone: 'error',
    });
    return;
  }
  // Reading images needs the image package: fetched when a file is first opened.
  const { documentFromFile } = await import('./document-file');
  const opened = documentFromFile(file.name, new Uint8Array(await file.arrayBuffer()));
  if (!opened.ok) {
    state.showToast({ text: opened.reason, tone: 'error' });
    return;
  }
  const { topology } = opened;
  state.replaceTopology(topology);
  state.requestFit();
  state.setDiagram(null);
  state.renameDiagram(topology.name ?? file.name.replace(/\.[^.]+$/, ''));
  if (state.sessionId !== null) rememberSessionDiagram(state.sessionId, null);
  const url = new URL(window.location.href);
  url.pathname = '/';
  window.history.replaceState(window.history.state, '', url);
  state.showToast({
    text: `Opened ${file.name}. Apply declares it on the broker; Save keeps it.`,
    tone: 'info',
  });
}

/** Files dragged anywhere over the page open like a picked file; palette drags are left alone. */
export function listenForDroppedFiles(): () => void {
  const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') === true;
  const onOver = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (e: DragEvent) => {
    const file = e.dataTransfer?.files[0];
    if (!carriesFiles(e) || !file) return;
    e.preventDefault();
    void openFile(file);
  };
  window.addEventListener('dragover', onOver);
  window.addEventListener('drop', onDrop);
  return () => {
    window.removeEventListener('dragover', onOver);
    window.removeEventListener('drop', onDrop);
  };
}
