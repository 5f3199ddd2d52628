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
// A window opened (or reloaded) on a study the engine already holds reads it as one opened now would.
void engine
  .request('study.current', {})
  .then((study) => study && stores.studyOpened(study))
  .catch(() => undefined);
void stores.runs.getState().resume();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      <App />
    </StoresProvider>
  </StrictMode>,
);
