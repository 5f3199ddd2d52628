// The Data page: the data tree in a pane of its own on the left; the selected node's details and values on the
// right, at the window's full width (as h5web lays them out). The separator between them moves.
import { useEffect } from 'react';
import { PathForm } from '../app/PathForm';
import { preloadPlotly } from '../plots/plotly';
import { SplitPane } from '../app/SplitPane';
import { useData } from '../app/stores';
import { DataTree } from './DataTree';
import { NodeDetails } from './NodeDetails';
import { ValuePreview } from './ValuePreview';
import './data-tree.css';

/** Add any HDF5/NetCDF file to the tree by its path (the desktop app also has File → Open Data File…). */
function OpenDataFile() {
  const { files, openFile, closeFile } = useData((s) => s);
  return (
    <PathForm
      name="Open a data file"
      label="HDF5 / NetCDF file to add to the tree"
      button="Add file"
      placeholder="/path/to/data.nc"
      clear
      onSubmit={openFile}
    >
      {files.map((f) => (
        <button
          key={f}
          type="button"
          className="plain"
          onClick={() => void closeFile(f)}
          aria-label={`Remove ${f} from the tree`}
        >
          {f.split(/[\\/]/).pop()} ✕
        </button>
      ))}
    </PathForm>
  );
}

export function DataPanel() {
  const { refresh, loadRoots } = useData((s) => s);
  // The roots as they are now: a study opened before this window was, a dataset a run has just made.
  useEffect(() => void loadRoots(), [loadRoots]);
  // A dataset's Line or Heatmap view is a few clicks away: plotly (a second or two of the page's time) loads once
  // the page is painted, while the tree is read, so that the first view does not wait for it.
  useEffect(() => {
    const soon = setTimeout(preloadPlotly, 200);
    return () => clearTimeout(soon);
  }, []);
  return (
    <>
      <div className="page-head">
        <h1>Data</h1>
        <button type="button" className="plain" onClick={() => void refresh()}>
          Refresh
        </button>
        <OpenDataFile />
      </div>
      <SplitPane id="data" direction="row" initial={280} min={200} minOther={320} label="Resize the data tree">
        <div className="panel data-tree-pane">
          <DataTree />
        </div>
        <div className="panel data-side">
          <NodeDetails />
          <ValuePreview />
        </div>
      </SplitPane>
    </>
  );
}
