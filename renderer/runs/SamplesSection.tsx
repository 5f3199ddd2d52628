// Random samples (as `furrow sample`): N cases drawn from the combos and the sampling distributions, with a seed,
// kept in the run database. A section of the Study page; the run shows in the run bar like any other.
import { useState } from 'react';
import { useEdit, useRuns } from '../app/stores';
import { unsavable } from '../study/edit-store';

export function SamplesSection() {
  const run = useRuns((s) => s);
  const unsaved = useEdit((s) => s.draft !== null && s.draft !== s.base);
  const blocked = useEdit(unsavable);
  const [samples, setSamples] = useState('100');
  const [seed, setSeed] = useState('');
  const busy = run.status === 'starting' || run.status === 'running';
  const n = Math.floor(Number(samples));
  return (
    <section className="panel" aria-labelledby="samples-heading">
      <h2 id="samples-heading">Random samples</h2>
      <p className="hint">
        Drawn from the combos (each value equally likely) and the sampling distributions; kept in the run database, not
        in the dataset.
      </p>
      <div className="run-controls">
        <label>
          Samples
          <input type="number" min={1} value={samples} onChange={(e) => setSamples(e.target.value)} />
        </label>
        <label>
          Seed
          <input
            type="number"
            min={0}
            value={seed}
            placeholder="the study's, or new"
            onChange={(e) => setSeed(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="plain"
          disabled={busy || blocked || !(n >= 1)}
          onClick={() => {
            const { workers } = run.startParams();
            void run.start({
              ...(workers ? { workers } : {}),
              sample: { n, ...(seed.trim() ? { seed: Number(seed) } : {}) },
            });
          }}
        >
          {unsaved ? 'Save and run samples' : 'Run samples'}
        </button>
      </div>
    </section>
  );
}
