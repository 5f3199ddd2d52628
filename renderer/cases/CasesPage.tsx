// The Cases page: the tools over the run database's cases (condition, attempts, columns, CSV), the parallel
// coordinates above and the table below, with a separator between them that moves.
import { SplitPane } from '../app/SplitPane';
import { CasesTable, CasesTools } from './CasesTable';
import { ParallelCoordinates } from './ParallelCoordinates';

export function CasesPage() {
  return (
    <>
      <div className="page-head">
        <h1>Cases</h1>
        <CasesTools />
      </div>
      <SplitPane
        id="cases"
        direction="column"
        initial={300}
        min={180}
        minOther={160}
        label="Resize the parallel coordinates"
      >
        <ParallelCoordinates />
        <CasesTable />
      </SplitPane>
    </>
  );
}
