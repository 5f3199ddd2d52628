import { PlotPanel } from '../plots/PlotPanel';
import { RunPanel } from '../runs/RunPanel';
import { OpenStudy } from '../study/OpenStudy';
import { StudyPanel } from '../study/StudyPanel';
import { useStudy } from './stores';

export function App() {
  const study = useStudy((s) => s.study);
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
            <StudyPanel study={study} />
            <RunPanel />
            <PlotPanel />
          </>
        )}
      </main>
    </div>
  );
}
