// The Data tab: the data tree on the left; the selected node's details and values on the right.
import { useEffect, useState } from 'react';
import { useData } from '../app/stores';
import { DataTree } from './DataTree';
import { NodeDetails } from './NodeDetails';
import { ValuePreview } from './ValuePreview';
import './data-tree.css';

/** Add any HDF5/NetCDF file to the tree by its path (the desktop app also has File → Open Data File…). */
function OpenDataFile() {
  const { files, openFile, closeFile } = useData((s) => s);
  const [file, setFile] = useState('');
  return (
    <form
      className="plot-controls"
      aria-label="Open a data file"
      onSubmit={(e) => {
        e.preventDefault();
        if (file.trim()) void openFile(file.trim()).then(() => setFile(''));
      }}
    >
      <label>
        HDF5 / NetCDF file to add to the tree
        <input value={file} onChange={(e) => setFile(e.target.value)} placeholder="/path/to/data.nc" />
      </label>
      <button type="submit" className="plain" disabled={!file.trim()}>
        Add file
      </button>
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
    </form>
  );
}

export function DataPanel() {
  const { refresh, loadRoots } = useData((s) => s);
  // The roots as they are now: a study opened before this window was, a dataset a run has just made.
  useEffect(() => void loadRoots(), [loadRoots]);
  return (
    <section className="panel data-panel" aria-labelledby="data-heading">
      <div className="data-heading">
        <h2 id="data-heading">Data</h2>
        <button type="button" className="plain" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      <OpenDataFile />
      <div className="data-layout">
        <DataTree />
        <div className="data-side">
          <NodeDetails />
          <ValuePreview />
        </div>
      </div>
    </section>
  );
}
