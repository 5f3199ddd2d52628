// The stores of every feature, created once per engine connection and handed down by one provider.
// Engine events reach the stores here and only here.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { EngineClient } from '../../shared/api';
import { createAdaptStore } from '../adaptive/adapt-store';
import type { AdaptState } from '../adaptive/adapt-store';
import type { StudySummary } from '../../shared/study';
import { createCasesStore } from '../cases/cases-store';
import type { CasesState } from '../cases/cases-store';
import { createCropStore } from '../crops/crop-store';
import type { CropState } from '../crops/crop-store';
import { createDataStore } from '../data/data-store';
import type { DataState } from '../data/data-store';
import { createPlotStore } from '../plots/plot-store';
import { createEditStore } from '../study/edit-store';
import type { EditState } from '../study/edit-store';
import type { PlotState } from '../plots/plot-store';
import { createRunStore } from '../runs/run-store';
import type { RunState } from '../runs/run-store';
import { createStudyStore } from '../study/study-store';
import type { StudyState } from '../study/study-store';
import { createSensitivityStore } from '../sensitivity/sensitivity-store';
import type { SensitivityState } from '../sensitivity/sensitivity-store';
import { createSetupStore } from './setup-store';
import type { SetupState } from './setup-store';
import { createUiStore } from './ui-store';
import type { UiState } from './ui-store';

export function createStores(engine: EngineClient) {
  const edit = createEditStore(engine);
  // Saving unsaved edits first: a run, a sample or a sowing acts on what the Study page shows.
  const saveFirst = () => edit.getState().saveIfUnsaved();
  const stores = {
    ui: createUiStore(),
    study: createStudyStore(engine),
    runs: createRunStore(engine, saveFirst),
    plots: createPlotStore(engine),
    cases: createCasesStore(engine),
    crops: createCropStore(engine, saveFirst),
    edit,
    data: createDataStore(engine),
    setup: createSetupStore(engine),
    sensitivity: createSensitivityStore(engine),
    adapt: createAdaptStore(engine, saveFirst),
  };
  // Another study: the run shown was the other study's, and the start page has done its job. (A save announces the
  // same study again: a run started right after it goes on being shown.) A panel the person opened stays open: the
  // study may arrive while they use it (one the page was still waiting for, one opened in another window). Only the
  // switcher this window opened it from closes, and the run's panels, which showed the other study's run.
  stores.study.subscribe((now, before) => {
    if (!now.study || now.study.dir === before.study?.dir) return;
    if (before.study) stores.runs.getState().reset();
    const { page, overlay } = stores.ui.getState();
    const done =
      (overlay === 'switcher' && before.loading) ||
      (before.study !== null && (overlay === 'run-options' || overlay === 'run-details'));
    stores.ui.setState({ page: page === 'Start' ? 'Study' : page, overlay: done ? null : overlay });
  });
  /** A study is open (or open again, after a save): every feature reads what it shows of it. */
  const studyOpened = (study: StudySummary) => {
    stores.study.getState().opened(study);
    void stores.runs.getState().loadHistory();
    void stores.plots.getState().load(study.hasDataset);
    void stores.cases.getState().refresh();
    void stores.cases.getState().loadLines();
    void stores.crops.getState().refresh();
    stores.edit.getState().opened(study.dir);
    void stores.data.getState().opened(study.dir);
    // The report shown is the other study's (or of the study as it was): it goes, and is asked for again when shown.
    stores.sensitivity.setState({ report: null, reduced: {}, error: null, guidance: false, message: null });
    if (stores.ui.getState().page === 'What matters') void stores.sensitivity.getState().analyse();
    void stores.adapt.getState().load(study);
  };
  // What a dry run said is of the study as it was: an edit since makes it stale, and it goes.
  edit.subscribe((now, before) => {
    if (now.draft !== before.draft && stores.runs.getState().plan) stores.runs.setState({ plan: null });
  });
  engine.subscribe((event) => {
    switch (event.type) {
      case 'study.opened':
        studyOpened(event.study);
        return;
      // A run ended, or its conflict was applied (here or in another window, run.resolved): as after a run.
      case 'run.finished':
      case 'run.error':
      case 'run.resolved':
        stores.runs.getState().apply(event);
        void stores.runs.getState().loadHistory();
        void stores.cases.getState().refresh();
        void stores.cases.getState().loadLines();
        // The draft's counts (new, done before, failed before) are of the runs before this one.
        void stores.edit.getState().recheck();
        if (event.type !== 'run.error') {
          void stores.study.getState().refresh();
          void stores.plots.getState().load(true);
          void stores.data.getState().refresh();
          if (stores.ui.getState().page === 'What matters') void stores.sensitivity.getState().analyse();
        }
        return;
      case 'run.stored':
        // A round of the run is in the dataset and the database: what shows them is drawn again.
        void stores.cases.getState().refresh();
        if (event.dataset) void stores.plots.getState().datasetChanged(event.dataset);
        return;
      case 'run.started':
        stores.runs.getState().apply(event);
        void stores.runs.getState().loadHistory();
        return;
      case 'adapt.progress':
        stores.adapt.getState().apply(event);
        return;
      case 'adapt.finished':
        // The points are cases of the run database and a dataset of their own: what shows them is read again.
        stores.adapt.getState().apply(event);
        void stores.runs.getState().loadHistory();
        void stores.cases.getState().refresh();
        void stores.cases.getState().loadLines();
        void stores.data.getState().refresh();
        return;
      case 'crop.changed':
        stores.crops.getState().changed(event.name, event.growing);
        return;
      default:
        stores.runs.getState().apply(event);
    }
  });
  return { ...stores, studyOpened };
}

export type Stores = ReturnType<typeof createStores>;
const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

/** Every store at once: for the app shell, which passes commands (menus, keys) to the feature they are for. */
export function useStoresHandle(): Stores {
  return useStores();
}

function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('a feature view was rendered outside <StoresProvider>');
  return stores;
}

export const useUi = <T,>(select: (s: UiState) => T): T => useStore(useStores().ui, select);
export const useStudy = <T,>(select: (s: StudyState) => T): T => useStore(useStores().study, select);
export const useRuns = <T,>(select: (s: RunState) => T): T => useStore(useStores().runs, select);
export const usePlots = <T,>(select: (s: PlotState) => T): T => useStore(useStores().plots, select);
export const useCases = <T,>(select: (s: CasesState) => T): T => useStore(useStores().cases, select);
export const useCrops = <T,>(select: (s: CropState) => T): T => useStore(useStores().crops, select);
export const useEdit = <T,>(select: (s: EditState) => T): T => useStore(useStores().edit, select);
export const useData = <T,>(select: (s: DataState) => T): T => useStore(useStores().data, select);
export const useSetup = <T,>(select: (s: SetupState) => T): T => useStore(useStores().setup, select);
export const useSensitivity = <T,>(select: (s: SensitivityState) => T): T => useStore(useStores().sensitivity, select);
export const useAdapt = <T,>(select: (s: AdaptState) => T): T => useStore(useStores().adapt, select);
