import { useState } from 'react';
import { useStudy } from '../app/stores';

/** Open a study folder by its path (the Electron app also has File → Open Study…). */
export function OpenStudy() {
  const [dir, setDir] = useState('');
  const { open, error, loading, study } = useStudy((s) => s);
  return (
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
  );
}
