import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { ApplyErrors } from './panels/ApplyErrors';
import { Banners } from './panels/Banners';
import { DiagramDialogs } from './panels/diagrams/DiagramDialogs';
import { ViewBar } from './panels/diagrams/ViewBar';
import { Inspector } from './panels/Inspector';
import {
  LazyExplainPanel,
  LazyImportExportDialogs,
  LazyLessonPanel,
  LazyLessonsDialog,
  LazyMessageInspector,
  LazyOutboxPanel,
  LazyPoliciesPanel,
} from './panels/lazy-panels';
import { Palette } from './panels/Palette';
import { TopBar } from './panels/TopBar';
import { useWarren, type WarrenState } from './store/store';

const selectHasLesson = (s: WarrenState) => s.lesson !== null;

export function App() {
  const hasLesson = useWarren(selectHasLesson);
  return (
    <ReactFlowProvider>
      <div className={`app ${hasLesson ? 'app--lesson' : ''}`}>
        <TopBar />
        <Palette />
        <LazyLessonPanel />
        <main className="stage">
          <Canvas />
          <Banners />
          <ViewBar />
          <ApplyErrors />
          <LazyPoliciesPanel />
          <LazyOutboxPanel />
          <LazyMessageInspector />
        </main>
        <Inspector />
        <LazyExplainPanel />
        <LazyImportExportDialogs />
        <DiagramDialogs />
        <LazyLessonsDialog />
      </div>
    </ReactFlowProvider>
  );
}
