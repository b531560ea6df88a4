import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { ApplyErrors } from './panels/ApplyErrors';
import { Banners } from './panels/Banners';
import { Inspector } from './panels/Inspector';
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
          <ApplyErrors />
        </main>
        <Inspector />
      </div>
    </ReactFlowProvider>
  );
}
