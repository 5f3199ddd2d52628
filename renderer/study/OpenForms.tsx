// The ways into a study, shared by the start page and the study switcher: the studies opened before, a folder by
// its path (or picked in the desktop app's dialog), and a new study from one of the bundled examples.
import { useEffect, useState } from 'react';
import { PathForm } from '../app/PathForm';
import { useStudy } from '../app/stores';

/** The last folder part, for a short label (the whole path stays in the title and the accessible name). */
export const folderName = (dir: string) => dir.split(/[\\/]/).filter(Boolean).pop() ?? dir;

/** A text field for a folder, with "Choose…" in the desktop app (its system dialog). */
function FolderField(props: { label: string; value: string; onChange: (v: string) => void; title: string }) {
  const desktop = window.furrowDesktop;
  return (
    <div className="row grow">
      <label className="grow">
        {props.label}
        <input
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          placeholder="/path/to/folder"
          spellCheck={false}
        />
      </label>
      {desktop && (
        <button
          type="button"
          className="plain"
          onClick={() => void desktop.chooseFolder(props.title).then((dir) => dir && props.onChange(dir))}
        >
          Choose…
        </button>
      )}
    </div>
  );
}

export function RecentStudies({ onOpen }: { onOpen?: () => void }) {
  const { recent, loadRecent, open, study } = useStudy((s) => s);
  useEffect(() => {
    void loadRecent();
  }, [loadRecent]);
  if (recent.length === 0) return <p className="muted">No study opened yet: start a new one, or open a folder.</p>;
  return (
    <ul className="recent-list" aria-label="Recent studies">
      {recent.map((dir) => (
        <li key={dir}>
          <button
            type="button"
            className={dir === study?.dir ? 'current' : ''}
            title={dir}
            aria-current={dir === study?.dir ? 'true' : undefined}
            onClick={() => {
              onOpen?.();
              if (dir !== study?.dir) void open(dir);
            }}
          >
            {folderName(dir)} <span className="muted">{dir}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Open a study folder by its path; when there is no study there, offer to make one. */
export function OpenFolderForm() {
  const { open, create, error, failed, canCreateIn, loading } = useStudy((s) => s);
  const shown = failed === 'open' ? error : null;
  return (
    <PathForm
      name="Open a study"
      label="Study folder"
      button="Open"
      placeholder="/path/to/my-study"
      choose="Open a study folder"
      primary
      busy={loading}
      onSubmit={open}
    >
      {shown && (
        <p role="alert" className="error" style={{ flexBasis: '100%' }}>
          {shown}{' '}
          {canCreateIn && (
            <button type="button" className="plain" onClick={() => void create(canCreateIn, 'blank')}>
              Create a blank study there
            </button>
          )}
        </p>
      )}
    </PathForm>
  );
}

/** A new study: an example (cards that say what each shows), a new or empty folder, and its parameters' file. */
export function NewStudyForm() {
  const { create, error, failed, loading, examples, loadExamples } = useStudy((s) => s);
  const [example, setExample] = useState('blank');
  const [dir, setDir] = useState('');
  const [paramSpace, setParamSpace] = useState('');
  useEffect(() => {
    void loadExamples();
  }, [loadExamples]);
  const listed = examples.length ? examples : [{ name: 'blank', description: '' }];
  // The start, first: a blank study is what most people want.
  const ordered = [...listed.filter((x) => x.name === 'blank'), ...listed.filter((x) => x.name !== 'blank')];
  return (
    <form
      aria-label="New study"
      onSubmit={(event) => {
        event.preventDefault();
        if (dir.trim()) void create(dir.trim(), example, paramSpace.trim() || undefined);
      }}
    >
      <fieldset className="cards" role="radiogroup" aria-label="Example to start from">
        {ordered.map(({ name, description }) => (
          <label key={name} className="card">
            <span className="card-title">
              <input
                type="radio"
                name="example"
                value={name}
                checked={example === name}
                onChange={() => setExample(name)}
              />
              {name}
            </span>
            <span className="card-text">{description || 'A bundled example study.'}</span>
          </label>
        ))}
      </fieldset>
      <div className="row">
        <FolderField
          label="Folder for the new study (new or empty)"
          value={dir}
          onChange={setDir}
          title="New study: choose an empty folder"
        />
        <button type="submit" disabled={loading || !dir.trim()}>
          Create study
        </button>
      </div>
      <details>
        <summary className="muted">Take the parameters from a paramspace file (optional)</summary>
        <label>
          Paramspace file
          <input
            value={paramSpace}
            onChange={(e) => setParamSpace(e.target.value)}
            placeholder="/path/to/run_cfg.yml"
            spellCheck={false}
          />
        </label>
      </details>
      {failed === 'create' && error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
