import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { ApplyErrors } from './panels/ApplyErrors';
import { Banners } from './panels/Banners';
import { DiagramDialogs } from './panels/diagrams/DiagramDialogs';
import { ViewBar } from './panels/diagrams/ViewBar';
import { ExplainPanel } from './panels/ExplainPanel';
import { ImportExportDialogs } from './panels/ImportExportDialogs';
import { Inspector } from './panels/Inspector';
import { MessageInspector } from './panels/MessageInspector';
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
          <ViewBar />
          <ApplyErrors />
          <PoliciesPanel />
          <OutboxPanel />
          <MessageInspector />
        </main>
        <Inspector />
        <ExplainPanel />
        <ImportExportDialogs />
        <DiagramDialogs />
      </div>
    </ReactFlowProvider>
  );
}
