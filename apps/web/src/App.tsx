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
  LazyOutboxPanel,
  LazyPoliciesPanel,
} from './panels/lazy-panels';
import { Palette } from './panels/Palette';
import { TopBar } from './panels/TopBar';

export function App() {
  return (
    <ReactFlowProvider>
      <div className="app">
        <TopBar />
        <Palette />
        <main className="stage">
          <Canvas />
          <Banners />
          <ViewBar />
          <ApplyErrors />
          <LazyPoliciesPanel />
          <LazyOutboxPanel />
        </main>
        <Inspector />
        <LazyExplainPanel />
        <LazyImportExportDialogs />
        <DiagramDialogs />
      </div>
    </ReactFlowProvider>
  );
}
