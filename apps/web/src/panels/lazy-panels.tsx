import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { useMessageInspectorView } from '../store/message-inspector-view';
import { useOutboxView } from '../store/outbox-view';
import { useWarren, type WarrenState } from '../store/store';

/*
 * Panels most visits never open, each in a chunk of its own that is fetched the first time it
 * opens, so the first load carries only the canvas, the palette and the top bar: the route
 * explainer, the import and export dialogs (with the code generators), the policies panel,
 * a producer's outbox table, the saved-diagram dialogs, the message inspector and the lesson
 * gallery.
 */

function lazyNamed<M, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<ComponentType> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

const ExplainPanel = lazyNamed(() => import('./ExplainPanel'), 'ExplainPanel');
const ImportExportDialogs = lazyNamed(() => import('./ImportExportDialogs'), 'ImportExportDialogs');
const PoliciesPanel = lazyNamed(() => import('./PoliciesPanel'), 'PoliciesPanel');
const OutboxPanel = lazyNamed(() => import('./OutboxPanel'), 'OutboxPanel');
const MessageInspector = lazyNamed(() => import('./MessageInspector'), 'MessageInspector');
const LessonsDialog = lazyNamed(() => import('./lessons/LessonsDialog'), 'LessonsDialog');
const LessonPanel = lazyNamed(() => import('./lessons/LessonPanel'), 'LessonPanel');

const selectExplainOpen = (s: WarrenState) => s.explainOpen;
const selectTransferDialog = (s: WarrenState) => s.transferDialog;
const selectPoliciesOpen = (s: WarrenState) => s.policiesOpen;
const selectLessonsOpen = (s: WarrenState) => s.lessonsOpen;
const selectHasLesson = (s: WarrenState) => s.lesson !== null;

/** Renders `Panel` from its chunk while `open`; nothing (and no fetch) until then. */
function WhenOpen({ open, Panel }: { open: boolean; Panel: ComponentType }) {
  if (!open) return null;
  return (
    <Suspense fallback={null}>
      <Panel />
    </Suspense>
  );
}

export function LazyExplainPanel() {
  return <WhenOpen open={useWarren(selectExplainOpen)} Panel={ExplainPanel} />;
}

export function LazyImportExportDialogs() {
  return <WhenOpen open={useWarren(selectTransferDialog) !== null} Panel={ImportExportDialogs} />;
}

export function LazyPoliciesPanel() {
  return <WhenOpen open={useWarren(selectPoliciesOpen)} Panel={PoliciesPanel} />;
}

export function LazyOutboxPanel() {
  return <WhenOpen open={useOutboxView((s) => s.producerId !== null)} Panel={OutboxPanel} />;
}

export function LazyMessageInspector() {
  return <WhenOpen open={useMessageInspectorView((s) => s.open)} Panel={MessageInspector} />;
}

export function LazyLessonsDialog() {
  return <WhenOpen open={useWarren(selectLessonsOpen)} Panel={LessonsDialog} />;
}

export function LazyLessonPanel() {
  return <WhenOpen open={useWarren(selectHasLesson)} Panel={LessonPanel} />;
}
