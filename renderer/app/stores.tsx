// The stores of every feature, created once per engine connection and handed down by one provider.
// Engine events reach the stores here and only here.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { EngineClient } from '../../shared/api';
import { createPlotStore } from '../plots/plot-store';
import type { PlotState } from '../plots/plot-store';
import { createRunStore } from '../runs/run-store';
import type { RunState } from '../runs/run-store';
import { createStudyStore } from '../study/study-store';
import type { StudyState } from '../study/study-store';

export function createStores(engine: EngineClient) {
  const stores = {
    study: createStudyStore(engine),
    runs: createRunStore(engine),
    plots: createPlotStore(engine),
  };
  engine.subscribe((event) => {
    switch (event.type) {
      case 'study.opened':
        stores.study.getState().opened(event.study);
        stores.runs.getState().reset();
        void stores.plots.getState().load(event.study.hasDataset);
        return;
      case 'run.finished':
        stores.runs.getState().apply(event);
        void stores.study.getState().refresh();
        void stores.plots.getState().load(true);
        return;
      default:
        stores.runs.getState().apply(event);
    }
  });
  return stores;
}

export type Stores = ReturnType<typeof createStores>;
const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('a feature view was rendered outside <StoresProvider>');
  return stores;
}

export const useStudy = <T,>(select: (s: StudyState) => T): T => useStore(useStores().study, select);
export const useRuns = <T,>(select: (s: RunState) => T): T => useStore(useStores().runs, select);
export const usePlots = <T,>(select: (s: PlotState) => T): T => useStore(useStores().plots, select);
