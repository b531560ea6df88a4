import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { ApplyErrors } from './panels/ApplyErrors';
import { Banners } from './panels/Banners';
import { ExplainPanel } from './panels/ExplainPanel';
import { ImportExportDialogs } from './panels/ImportExportDialogs';
import { Inspector } from './panels/Inspector';
import { OutboxPanel } from './panels/OutboxPanel';
import { Palette } from './panels/Palette';
import { PoliciesPanel } from './panels/PoliciesPanel';
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
          <ApplyErrors />
          <PoliciesPanel />
          <OutboxPanel />
        </main>
        <Inspector />
        <ExplainPanel />
        <ImportExportDialogs />
      </div>
    </ReactFlowProvider>
  );
}
