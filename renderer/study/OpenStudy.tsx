import { useEffect, useState } from 'react';
import { useStudy } from '../app/stores';

/** Open a study folder by its path, or start a new one from an example (the desktop app also has File menus). */
export function OpenStudy() {
  const [dir, setDir] = useState('');
  const [newDir, setNewDir] = useState('');
  const [example, setExample] = useState('blank');
  const [paramSpace, setParamSpace] = useState('');
  const { open, create, error, loading, study, examples, loadExamples } = useStudy((s) => s);
  useEffect(() => {
    void loadExamples();
  }, [loadExamples]);
  return (
    <div className="open-study-row">
      <form
        className="open-study"
        aria-label="Open a study"
        onSubmit={(event) => {
          event.preventDefault();
          if (dir.trim()) void open(dir.trim());
        }}
      >
        <label>
          Study folder
          <input
            value={dir}
            onChange={(e) => setDir(e.target.value)}
            placeholder={study?.dir ?? '/path/to/my-study'}
            spellCheck={false}
          />
        </label>
        <button type="submit" disabled={loading || !dir.trim()}>
          Open
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      <details className="new-study">
        <summary>New study…</summary>
        <form
          className="open-study"
          aria-label="New study"
          onSubmit={(event) => {
            event.preventDefault();
            if (newDir.trim()) void create(newDir.trim(), example, paramSpace.trim() || undefined);
          }}
        >
          <label>
            New folder (new or empty)
            <input value={newDir} onChange={(e) => setNewDir(e.target.value)} spellCheck={false} />
          </label>
          <label>
            From the example
            <select value={example} onChange={(e) => setExample(e.target.value)}>
              {examples.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </select>
          </label>
          <label>
            Parameters from a paramspace file (optional)
            <input
              value={paramSpace}
              onChange={(e) => setParamSpace(e.target.value)}
              placeholder="/path/to/run_cfg.yml"
              spellCheck={false}
            />
          </label>
          <button type="submit" disabled={loading || !newDir.trim()}>
            Create
          </button>
        </form>
      </details>
    </div>
  );
}
