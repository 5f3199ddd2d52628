// The workspace around the features: which page is shown, and which overlay (a popover, the run details, the
// shortcuts) is open. One overlay at a time, so Escape always knows what it closes. Features navigate through it
// (opening a data file shows the Data page), so it lives apart from any one of them.
import { createStore } from 'zustand/vanilla';

export const PAGES = ['Start', 'Study', 'Adapt', 'Cases', 'Crops', 'Data', 'Plots', 'What matters'] as const;
export type Page = (typeof PAGES)[number];

/** The pages that need a study: without one, the start page, the data tree and the plots are there. */
export const STUDY_PAGES: readonly Page[] = ['Study', 'Adapt', 'Cases', 'Crops', 'What matters'];

/** `setup`: Help → Check setup, opened from the Help panel (or the desktop app's Help menu). */
export type Overlay = 'switcher' | 'run-options' | 'run-details' | 'shortcuts' | 'setup' | null;

export interface UiState {
  page: Page;
  overlay: Overlay;
  show(page: Page): void;
  /** Open an overlay, or close it when it is the one open (a second press of its button). */
  toggle(overlay: Exclude<Overlay, null>): void;
  close(): void;
}

export function createUiStore() {
  return createStore<UiState>()((set, get) => ({
    page: 'Start',
    overlay: null,
    show: (page) => set({ page, overlay: null }),
    toggle: (overlay) => set({ overlay: get().overlay === overlay ? null : overlay }),
    close: () => set({ overlay: null }),
  }));
}

/** The pages listed with or without a study open. */
export function pagesFor(hasStudy: boolean): readonly Page[] {
  return hasStudy ? PAGES : PAGES.filter((p) => !STUDY_PAGES.includes(p));
}
