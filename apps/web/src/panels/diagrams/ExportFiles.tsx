import { getNodesBounds, useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import {
  canvasPng,
  diagramSvg,
  documentJson,
  downloadBlob,
  fileBase,
} from '../../diagrams/export-files';
import { selectDiagramName } from '../../diagrams/save-status';
import { useWarren } from '../../store/store';

/** Export dialog, top: the diagram as an image for slides, or as Warren's own document. */
export function ExportFiles() {
  const [transparent, setTransparent] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { getNodes } = useReactFlow();
  const base = () => fileBase(selectDiagramName(useWarren.getState()));

  const png = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const blob = await canvasPng(useWarren.getState().topology, getNodesBounds(getNodes()), {
        transparent,
      });
      downloadBlob(blob, `${base()}.png`);
    } catch (error) {
      setProblem(
        `The PNG could not be made: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setBusy(false);
    }
  };
  const svg = () => {
    const state = useWarren.getState();
    downloadBlob(
      diagramSvg(state.topology, selectDiagramName(state), { transparent }),
      `${base()}.svg`,
    );
  };
  const json = () =>
    downloadBlob(documentJson(useWarren.getState().topology), `${base()}.warren.json`);

  return (
    <section className="export-files" aria-label="Image and document">
      <div className="export-files__buttons">
        <button
          type="button"
          className="ghost-button"
          onClick={() => void png()}
          disabled={busy}
          data-testid="export-png"
        >
          {busy ? 'Drawing…' : 'PNG image'}
        </button>
        <button type="button" className="ghost-button" onClick={svg} data-testid="export-svg">
          SVG image
        </button>
        <button type="button" className="ghost-button" onClick={json} data-testid="export-json">
          Warren JSON
        </button>
        <label className="export-files__check">
          <input
            type="checkbox"
            checked={transparent}
            onChange={(e) => setTransparent(e.target.checked)}
            data-testid="export-transparent"
          />
          Transparent background
        </label>
      </div>
      <p className="export-files__note">
        Images carry the diagram inside them: drop one on Warren to open it again. Warren JSON
        follows{' '}
        <a href="/schemas/topology-v1.json" target="_blank" rel="noreferrer">
          topology-v1.json
        </a>
        .
      </p>
      {problem && <p className="modal-problem">{problem}</p>}
    </section>
  );
}
