import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startPage } from './diagrams/open-page';
import { startAutosave } from './live/autosave';
import { startLiveHistory } from './live/live-history';
import { startPresentation } from './preferences/presentation';
import { startSnap } from './preferences/snap';
import { startTheme } from './preferences/theme';

startTheme();
startSnap();
startPresentation();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
startAutosave();
startLiveHistory();
startPage();
