// The window is the app: a header (the study and its switcher, the pages, help), the page at the window's full
// width, and while a study is open the run bar under every page. Keys: Ctrl/Cmd+S saves, Ctrl/Cmd+Enter runs,
// Escape closes what is open; the desktop app's menus send the same commands.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DragEvent, KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { UiCommand } from '../../shared/bridge';
import { AdaptPage } from '../adaptive/AdaptPage';
import { CasesPage } from '../cases/CasesPage';
import { CropsPanel } from '../crops/CropsPanel';
import { DataPanel } from '../data/DataPanel';
import { PlotPanel } from '../plots/PlotPanel';
import { RunBar } from '../runs/RunBar';
import { WhatMattersPage } from '../sensitivity/WhatMattersPage';
import { StudyPage } from '../study/StudyPage';
import { StudySwitcher } from '../study/StudySwitcher';
import { focusTrigger, useOutsideClose } from './overlay';
import { SetupCheck } from './SetupCheck';
import { StartPage } from './StartPage';
import { useStoresHandle, useStudy, useUi } from './stores';
import { pagesFor } from './ui-store';
import type { Page } from './ui-store';

const DATA_FILE = /\.(nc|nc4|h5|hdf5|he5)$/i;
/** Pages that fill the window and scroll inside their own panes. */
const FILLS: readonly Page[] = ['Cases', 'Data', 'Plots'];
const MAC = /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = MAC ? '⌘' : 'Ctrl';
/** A page's name as an element id ('What matters' → 'What-matters'): ids hold no spaces. */
const slug = (page: Page) => page.replaceAll(' ', '-');

export const SHORTCUTS: [string, string][] = [
  [`${MOD}+S`, 'Save the study (study.yaml)'],
  [`${MOD}+Enter`, 'Run the study as the Study page shows it (saving unsaved edits first)'],
  ['Escape', 'Close the open popover or panel'],
  ['← →', 'Move between the pages (on the page tabs)'],
];

/** Help: the keyboard shortcuts, and from there Check setup (both panels under the one Help button). */
function Help() {
  const { overlay, toggle, close } = useUi((s) => s);
  const box = useRef<HTMLDivElement>(null);
  const open = overlay === 'shortcuts' || overlay === 'setup';
  useOutsideClose(box, open, close);
  return (
    <div className="switcher" ref={box}>
      <button
        type="button"
        id="trigger-shortcuts"
        className="plain"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? `${overlay}-popover` : undefined}
        onClick={() => (open ? close() : toggle('shortcuts'))}
      >
        Help
      </button>
      {overlay === 'shortcuts' && (
        <div id="shortcuts-popover" className="popover right" role="dialog" aria-label="Keyboard shortcuts">
          <h2>Keyboard shortcuts</h2>
          <table className="shortcuts">
            <tbody>
              {SHORTCUTS.map(([keys, what]) => (
                <tr key={keys}>
                  <th scope="row">
                    <kbd>{keys}</kbd>
                  </th>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button type="button" onClick={() => toggle('setup')}>
              Check setup…
            </button>
            <button type="button" className="plain" onClick={close}>
              Close
            </button>
          </div>
        </div>
      )}
      {overlay === 'setup' && <SetupCheck />}
    </div>
  );
}

export function App() {
  const stores = useStoresHandle();
  const study = useStudy((s) => s.study);
  const { page: chosen, show } = useUi((s) => s);
  const pages = pagesFor(study !== null);
  const page: Page = pages.includes(chosen) ? chosen : 'Start';
  const [dropNote, setDropNote] = useState<string | null>(null);

  const openDataFile = useCallback(
    (file: string) => {
      void stores.data.getState().openFile(file);
      void stores.plots.getState().openFile(file);
      stores.ui.getState().show('Data');
    },
    [stores],
  );
  const save = useCallback(() => void stores.edit.getState().saveIfUnsaved(), [stores]);
  const run = useCallback(() => {
    if (!stores.study.getState().study) return;
    const runs = stores.runs.getState();
    void runs.start(runs.startParams());
  }, [stores]);

  // The desktop app's menus: File → Open Data File…, Save Study; View → a page; Run → Run, Cancel; Help.
  useEffect(
    () =>
      window.furrowDesktop?.onUi((command: UiCommand) => {
        if (command.type === 'show-tab') show(command.tab);
        else if (command.type === 'open-data-file') openDataFile(command.file);
        else if (command.type === 'save') save();
        else if (command.type === 'run') run();
        else if (command.type === 'cancel-run') void stores.runs.getState().cancel();
        else if (command.type === 'check-setup') stores.ui.getState().toggle('setup');
        else stores.ui.getState().toggle('shortcuts');
      }),
    [show, openDataFile, save, run, stores],
  );
  // The keys work on every page. (In the desktop app the menu takes Ctrl+S and Ctrl+Enter first and sends the same
  // commands; both arriving is harmless: a save of nothing changed and a run already starting do nothing.)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = MAC ? e.metaKey : e.ctrlKey;
      if (e.key === 'Escape') {
        const open = stores.ui.getState().overlay;
        if (!open) return;
        stores.ui.getState().close();
        focusTrigger(open === 'setup' ? 'shortcuts' : open); // Check setup opens from Help
      } else if (mod && (e.key === 's' || e.key === 'S')) {
        e.preventDefault();
        save();
      } else if (mod && e.key === 'Enter') {
        e.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stores, save, run]);

  // A study folder or a data file dropped on the window opens (the desktop app knows dropped files' paths).
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const dropped = e.dataTransfer.files[0];
    if (!dropped) return;
    const where = window.furrowDesktop?.pathOf(dropped);
    setDropNote(
      where
        ? null
        : 'Dropping files works in the desktop app; here, type the path of the folder or file on the Start page.',
    );
    if (!where) return;
    if (DATA_FILE.test(where)) openDataFile(where);
    else void stores.study.getState().open(where);
  };
  // Arrow keys move between tabs, as the ARIA tabs pattern has it.
  const onTabKey = (e: ReactKeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = pages[(pages.indexOf(page) + step + pages.length) % pages.length]!;
    show(next);
    document.getElementById(`tab-${slug(next)}`)?.focus();
  };
  return (
    <div className="app" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <header className="app-header">
        <span className="brand">Furrow</span>
        <StudySwitcher />
        <div role="tablist" aria-label="Pages" className="tabs" onKeyDown={onTabKey}>
          {pages.map((p) => (
            <button
              key={p}
              type="button"
              role="tab"
              id={`tab-${slug(p)}`}
              aria-selected={page === p}
              aria-controls={`panel-${slug(p)}`}
              tabIndex={page === p ? 0 : -1}
              onClick={() => show(p)}
            >
              {p}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {dropNote && (
          <p role="status" className="muted">
            {dropNote}
          </p>
        )}
        <Help />
      </header>
      <main
        role="tabpanel"
        id={`panel-${slug(page)}`}
        aria-labelledby={`tab-${slug(page)}`}
        className={`app-page${FILLS.includes(page) ? ' fills' : ''}`}
      >
        {page === 'Start' && <StartPage />}
        {page === 'Study' && <StudyPage />}
        {page === 'Adapt' && <AdaptPage />}
        {page === 'Cases' && <CasesPage />}
        {page === 'Crops' && <CropsPanel />}
        {page === 'Data' && <DataPanel />}
        {page === 'Plots' && <PlotPanel />}
        {page === 'What matters' && <WhatMattersPage />}
      </main>
      {study && <RunBar />}
    </div>
  );
}
