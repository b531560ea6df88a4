import { useEffect } from 'react';
import { listenForDroppedFiles } from '../../diagrams/open-file';
import { useWarren, type WarrenState } from '../../store/store';
import { ConflictDialog } from './ConflictDialog';
import { HistoryDialog } from './HistoryDialog';
import { MyDiagramsDialog } from './MyDiagramsDialog';
import { ShareDialog } from './ShareDialog';
import { Toast } from './Toast';
import './diagram-dialogs.css';

const selectDialog = (s: WarrenState) => s.diagramDialog;

/** The saved-diagram dialogs, the note at the bottom, and files dropped on the page. */
export function DiagramDialogs() {
  const dialog = useWarren(selectDialog);
  useEffect(listenForDroppedFiles, []);
  return (
    <>
      {dialog === 'share' && <ShareDialog />}
      {dialog === 'history' && <HistoryDialog />}
      {dialog === 'mine' && <MyDiagramsDialog />}
      <ConflictDialog />
      <Toast />
    </>
  );
}
