import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectEngine } from './app/engine';
import { createStores, StoresProvider } from './app/stores';
import './styles.css';

const stores = createStores(connectEngine());
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
