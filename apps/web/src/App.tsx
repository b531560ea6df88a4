import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { ClassroomLayer, ClassroomPanelSlot } from './classroom/ClassroomLayer';
import { useClassroom, type ClassroomStore } from './classroom/classroom-store';
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
/** A student watching the teacher's canvas: nothing to add, so no palette. */
const selectWatching = (s: ClassroomStore) =>
  s.role === 'student' && s.student !== null && !s.student.phase.startsWith('sandbox');

export function App() {
  const hasLesson = useWarren(selectHasLesson);
  const watching = useClassroom(selectWatching);
  return (
    <ReactFlowProvider>
      <div className={`app ${hasLesson ? 'app--lesson' : ''} ${watching ? 'app--watching' : ''}`}>
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
          <ClassroomLayer />
        </main>
        <Inspector />
        <ClassroomPanelSlot />
        <LazyExplainPanel />
        <LazyImportExportDialogs />
        <DiagramDialogs />
        <LazyLessonsDialog />
      </div>
    </ReactFlowProvider>
  );
}
