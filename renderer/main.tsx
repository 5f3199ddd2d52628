import './no-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectEngine } from './app/engine';
import { createStores, StoresProvider } from './app/stores';
import { exposeExport } from './plots/export';
import './styles.css';

const engine = connectEngine();
const stores = createStores(engine);
exposeExport(engine);
void stores.study
  .getState()
  .refresh()
  .then(() => {
    const study = stores.study.getState().study;
    if (study) void stores.plots.getState().load(study.hasDataset);
  });
void stores.runs.getState().resume();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      <App />
    </StoresProvider>
  </StrictMode>,
);
