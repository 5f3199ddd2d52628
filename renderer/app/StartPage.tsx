// Where the app starts with no study open: the studies opened before, a new study from an example, a study folder
// by its path, or a data file on its own (browsed and plotted without a study).
import { NewStudyForm, OpenFolderForm, RecentStudies } from '../study/OpenForms';
import { PathForm } from './PathForm';
import { useData, usePlots, useStudy, useUi } from './stores';

function OpenDataFileForm() {
  const addToTree = useData((s) => s.openFile);
  const plotFile = usePlots((s) => s.openFile);
  const show = useUi((s) => s.show);
  return (
    <PathForm
      name="Open a data file"
      label="HDF5 / NetCDF file"
      button="Open file"
      placeholder="/path/to/data.nc"
      onSubmit={(path) => {
        void addToTree(path);
        void plotFile(path);
        show('Data');
      }}
    />
  );
}

export function StartPage() {
  const study = useStudy((s) => s.study);
  return (
    <>
      <div className="page-head">
        <h1>Start</h1>
        <span className="status">
          {study
            ? `${study.name} is open; another study opens in its place.`
            : 'Describe one run of your model, run it over every combination you choose, and plot the results.'}
        </span>
      </div>
      <div className="start">
        <section className="panel wide" aria-labelledby="new-heading">
          <h2 id="new-heading">New study</h2>
          <p className="muted">
            Pick an example to start from and a new or empty folder; the study opens, ready to edit and run.
          </p>
          <NewStudyForm />
        </section>
        <section className="panel" aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recent studies</h2>
          <RecentStudies />
        </section>
        <section className="panel" aria-labelledby="open-heading">
          <h2 id="open-heading">Open a study folder</h2>
          <p className="muted">A folder with a study.yaml: its runs, data and plots come with it.</p>
          <OpenFolderForm />
        </section>
        <section className="panel" aria-labelledby="data-file-heading">
          <h2 id="data-file-heading">Open a data file</h2>
          <p className="muted">Any HDF5 or NetCDF file: browse its tree and plot it, with or without a study.</p>
          <OpenDataFileForm />
        </section>
      </div>
    </>
  );
}
