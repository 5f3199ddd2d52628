import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import { CasesTable } from '../cases/CasesTable';
import { CropsPanel } from '../crops/CropsPanel';
import { PlotPanel } from '../plots/PlotPanel';
import { RunHistory } from '../runs/RunHistory';
import { RunPanel } from '../runs/RunPanel';
import { OpenStudy } from '../study/OpenStudy';
import { StudyEditor } from '../study/StudyEditor';
import { StudyPanel } from '../study/StudyPanel';
import { useStudy } from './stores';

const TABS = ['Study', 'Cases', 'Crops', 'Plots'] as const;
type Tab = (typeof TABS)[number];

export function App() {
  const study = useStudy((s) => s.study);
  const [tab, setTab] = useState<Tab>('Study');
  // Arrow keys move between tabs, as the ARIA tabs pattern has it.
  const onKey = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length]!;
    setTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <div className="app">
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
        {study && (
          <>
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
              {tab === 'Study' && (
                <>
                  <StudyPanel study={study} />
                  <StudyEditor />
                  <RunPanel />
                  <RunHistory />
                </>
              )}
              {tab === 'Cases' && <CasesTable />}
              {tab === 'Crops' && <CropsPanel />}
              {tab === 'Plots' && <PlotPanel />}
            </div>
          </>
        )}
      </main>
    </div>
  );
}
