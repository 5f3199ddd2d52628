import { useEffect, useState } from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import { CasesTable } from '../cases/CasesTable';
import { ParallelCoordinates } from '../cases/ParallelCoordinates';
import { CropsPanel } from '../crops/CropsPanel';
import { DataPanel } from '../data/DataPanel';
import { PlotPanel } from '../plots/PlotPanel';
import { RunHistory } from '../runs/RunHistory';
import { RunPanel } from '../runs/RunPanel';
import { OpenStudy } from '../study/OpenStudy';
import { StudyEditor } from '../study/StudyEditor';
import { StudyPanel } from '../study/StudyPanel';
import { useData, usePlots, useStudy } from './stores';

const ALL_TABS = ['Study', 'Cases', 'Crops', 'Data', 'Plots'] as const;
type Tab = (typeof ALL_TABS)[number];
const DATA_FILE = /\.(nc|nc4|h5|hdf5|he5)$/i;

export function App() {
  const study = useStudy((s) => s.study);
  const openStudy = useStudy((s) => s.open);
  const openFile = usePlots((s) => s.openFile);
  // A data file opened from the menu or dropped also becomes a root of the data tree.
  const addToTree = useData((s) => s.openFile);
  const [chosen, setTab] = useState<Tab>('Study');
  const [dropNote, setDropNote] = useState<string | null>(null);
  // Without a study, a data file opened on its own can still be browsed and plotted.
  const TABS: readonly Tab[] = study ? ALL_TABS : ['Data', 'Plots'];
  const tab = TABS.includes(chosen) ? chosen : study ? 'Study' : 'Plots';

  // The desktop app's menus: View → a tab, File → Open Data File….
  useEffect(
    () =>
      window.furrowDesktop?.onUi((command) => {
        if (command.type === 'show-tab') setTab(command.tab);
        else {
          setTab('Plots');
          void openFile(command.file);
          void addToTree(command.file);
        }
      }),
    [openFile, addToTree],
  );
  // A study folder or a data file dropped on the window opens (the desktop app knows dropped files' paths).
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const dropped = e.dataTransfer.files[0];
    if (!dropped) return;
    const where = window.furrowDesktop?.pathOf(dropped);
    if (!where) {
      setDropNote('Dropping files works in the desktop app; here, type the path of the study folder or file.');
      return;
    }
    setDropNote(null);
    if (DATA_FILE.test(where)) {
      setTab('Plots');
      void openFile(where);
      void addToTree(where);
    } else void openStudy(where);
  };
  // Arrow keys move between tabs, as the ARIA tabs pattern has it.
  const onKey = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length]!;
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <div className="app" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <header className="app-header">
        <h1>Furrow</h1>
        {study && (
          <span className="study-title" title={study.dir}>
            {study.name} <small>{study.dir}</small>
          </span>
        )}
      </header>
      <main className="app-main">
        <OpenStudy />
        {dropNote && <p role="status">{dropNote}</p>}
        {/* Without a study, the Data and Plots tabs still open any HDF5/NetCDF file by its path. */}
        <div role="tablist" aria-label="Views" className="tabs" onKeyDown={onKey}>
          {TABS.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              id={`tab-${t}`}
              aria-selected={tab === t}
              aria-controls={`panel-${t}`}
              tabIndex={tab === t ? 0 : -1}
              onClick={() => setTab(t)}
            >
              {t}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
          {tab === 'Study' && study && (
            <>
              <StudyPanel study={study} />
              <StudyEditor />
              <RunPanel />
              <RunHistory />
            </>
          )}
          {tab === 'Cases' && (
            <>
              <ParallelCoordinates />
              <CasesTable />
            </>
          )}
          {tab === 'Crops' && <CropsPanel />}
          {tab === 'Data' && <DataPanel />}
          {tab === 'Plots' && <PlotPanel />}
        </div>
      </main>
    </div>
  );
}
