import { lazy, Suspense, useEffect } from 'react';
import { listenForDroppedFiles } from '../../diagrams/open-file';
import { useWarren, type WarrenState } from '../../store/store';
import { ConflictDialog } from './ConflictDialog';
import { Toast } from './Toast';
import './diagram-dialogs.css';

const selectDialog = (s: WarrenState) => s.diagramDialog;

// Opened now and then: each in a chunk of its own, fetched when it first opens.
const ShareDialog = lazy(async () => ({ default: (await import('./ShareDialog')).ShareDialog }));
const HistoryDialog = lazy(async () => ({
  default: (await import('./HistoryDialog')).HistoryDialog,
}));
const MyDiagramsDialog = lazy(async () => ({
  default: (await import('./MyDiagramsDialog')).MyDiagramsDialog,
}));

/** The saved-diagram dialogs, the note at the bottom, and files dropped on the page. */
export function DiagramDialogs() {
  const dialog = useWarren(selectDialog);
  useEffect(listenForDroppedFiles, []);
  return (
    <>
      <Suspense fallback={null}>
        {dialog === 'share' && <ShareDialog />}
        {dialog === 'history' && <HistoryDialog />}
        {dialog === 'mine' && <MyDiagramsDialog />}
      </Suspense>
      <ConflictDialog />
      <Toast />
    </>
  );
}
