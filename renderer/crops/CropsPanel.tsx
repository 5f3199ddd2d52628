// Crops: sow the study's cases into batches, grow them here or submit them to a cluster, watch each batch's
// state (a legend says what each colour means), and reap them into the dataset (a reap is a run: its progress shows
// in the run bar).
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { CropStatus } from '../../shared/api';
import { useCrops, useEdit } from '../app/stores';
import { unsavable } from '../study/edit-store';

/** What each state of a batch means, in the order a batch goes through them. */
const BATCH_STATES: [CropStatus['batches'][number]['state'], string][] = [
  ['missing', 'sown, not grown yet'],
  ['pending', 'queued on the cluster'],
  ['running', 'growing'],
  ['grown', 'grown, ready to reap'],
  ['failed', 'failed (its log says why)'],
  ['reaped', 'in the dataset'],
];

function BatchLegend() {
  return (
    <ul className="batch-legend" aria-label="Batch states">
      {BATCH_STATES.map(([state, meaning]) => (
        <li key={state}>
          <span className={`legend-swatch batch ${state}`} aria-hidden="true" />
          {state}: {meaning}
        </li>
      ))}
    </ul>
  );
}

function SowForm() {
  const sow = useCrops((s) => s.sow);
  const unsaved = useEdit((s) => s.draft !== null && s.draft !== s.base);
  const blocked = useEdit(unsavable);
  const [name, setName] = useState('crop1');
  const [by, setBy] = useState<'batchSize' | 'batches'>('batchSize');
  const [count, setCount] = useState('10');
  const [missingOnly, setMissingOnly] = useState(false);
  const [shuffle, setShuffle] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void sow({
      name,
      [by]: Number(count),
      missingOnly,
      ...(shuffle.trim() ? { shuffle: Number(shuffle) } : {}),
    });
  };
  return (
    <form className="crop-form" aria-label="Sow a crop" onSubmit={submit}>
      <label>
        Crop name
        <input value={name} onChange={(e) => setName(e.target.value)} required pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*" />
      </label>
      <label>
        Batching
        <select value={by} onChange={(e) => setBy(e.target.value as 'batchSize' | 'batches')}>
          <option value="batchSize">cases per batch</option>
          <option value="batches">number of batches</option>
        </select>
      </label>
      <label>
        {by === 'batchSize' ? 'Cases per batch' : 'Batches'}
        <input type="number" min={1} value={count} onChange={(e) => setCount(e.target.value)} required />
      </label>
      <label className="check">
        <input type="checkbox" checked={missingOnly} onChange={(e) => setMissingOnly(e.target.checked)} />
        Missing only
      </label>
      <label>
        Shuffle seed
        <input type="number" min={0} value={shuffle} placeholder="none" onChange={(e) => setShuffle(e.target.value)} />
      </label>
      <button type="submit" disabled={blocked}>
        {unsaved ? 'Save and sow' : 'Sow'}
      </button>
      {blocked && <p className="error">The study has an error (marked on the Study page): fix it to sow.</p>}
    </form>
  );
}

function SubmitForm({ name }: { name: string }) {
  const submit = useCrops((s) => s.submit);
  const [scheduler, setScheduler] = useState<'slurm' | 'pbs' | 'sge'>('slurm');
  const [time, setTime] = useState('1:00:00');
  const [cpus, setCpus] = useState('1');
  const [mem, setMem] = useState('');
  const [partition, setPartition] = useState('');
  const [setup, setSetup] = useState('');
  const go = (dryRun: boolean) =>
    void submit({
      name,
      scheduler,
      ...(time ? { time } : {}),
      ...(cpus ? { cpusPerTask: Number(cpus) } : {}),
      ...(mem ? { mem } : {}),
      ...(partition ? { partition } : {}),
      setup: setup.split('\n').filter((l) => l.trim()),
      dryRun,
    });
  return (
    <details className="submit-form">
      <summary>Submit to a cluster</summary>
      <div className="crop-form" role="group" aria-label={`Submit ${name}`}>
        <label>
          Scheduler
          <select value={scheduler} onChange={(e) => setScheduler(e.target.value as 'slurm' | 'pbs' | 'sge')}>
            <option value="slurm">SLURM</option>
            <option value="pbs">PBS</option>
            <option value="sge">SGE</option>
          </select>
        </label>
        <label>
          Wall time
          <input value={time} onChange={(e) => setTime(e.target.value)} placeholder="H:M:S" />
        </label>
        <label>
          CPUs per task
          <input type="number" min={1} value={cpus} onChange={(e) => setCpus(e.target.value)} />
        </label>
        <label>
          Memory
          <input value={mem} onChange={(e) => setMem(e.target.value)} placeholder="e.g. 4G" />
        </label>
        <label>
          Partition
          <input value={partition} onChange={(e) => setPartition(e.target.value)} />
        </label>
        <label>
          Setup lines
          <textarea value={setup} onChange={(e) => setSetup(e.target.value)} placeholder="module load node" rows={2} />
        </label>
        <button type="button" className="plain" onClick={() => go(true)}>
          Show job script
        </button>
        <button type="button" onClick={() => go(false)}>
          Submit
        </button>
      </div>
    </details>
  );
}

function Crop({ crop }: { crop: CropStatus }) {
  const { grow, reap, cancel, growing } = useCrops((s) => s);
  const [allowIncomplete, setAllowIncomplete] = useState(false);
  const isGrowing = growing.has(crop.name);
  const c = crop.counts;
  const onCluster = c.pending + c.running > 0;
  const failed = crop.batches.filter((b) => b.state === 'failed');
  return (
    <article className="crop" aria-labelledby={`crop-${crop.name}`}>
      <h2 id={`crop-${crop.name}`}>{crop.name}</h2>
      <p className="crop-counts" aria-live="polite">
        {crop.cases} cases in {crop.batches.length} batches: {c.grown} grown, {c.failed} failed, {c.running} running,{' '}
        {c.pending} pending, {c.missing} missing, {c.reaped} reaped{isGrowing && ' — growing here…'}
      </p>
      <BatchLegend />
      <ul className="batch-grid" aria-label={`Batches of ${crop.name}`}>
        {crop.batches.map((b) => (
          <li
            key={b.batch}
            className={`batch ${b.state}`}
            aria-label={`Batch ${b.batch}: ${b.state}`}
            title={`batch ${b.batch}: ${b.state}${b.job ? ` (job ${b.job} ${b.job_state ?? ''})` : ''}${b.error ? `\n${b.error}` : ''}`}
          >
            {b.batch}
          </li>
        ))}
      </ul>
      {failed.length > 0 && (
        <details className="failures">
          <summary>Failed batches ({failed.length})</summary>
          <ul>
            {failed.map((b) => (
              <li key={b.batch}>
                Batch {b.batch}: {b.error}
                <br />
                <small>log: {b.log}</small>
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="crop-actions">
        <button type="button" disabled={isGrowing || c.missing + c.failed === 0} onClick={() => void grow(crop.name)}>
          Grow here
        </button>
        <label className="check">
          <input type="checkbox" checked={allowIncomplete} onChange={(e) => setAllowIncomplete(e.target.checked)} />
          Allow incomplete
        </label>
        <button
          type="button"
          disabled={isGrowing || c.grown === 0}
          onClick={() => void reap({ name: crop.name, allowIncomplete })}
        >
          Reap
        </button>
        <button type="button" className="secondary" disabled={!onCluster} onClick={() => void cancel(crop.name)}>
          Cancel cluster jobs
        </button>
      </div>
      <SubmitForm name={crop.name} />
    </article>
  );
}

export function CropsPanel() {
  const { crops, error, script, refresh } = useCrops((s) => s);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return (
    <>
      <div className="page-head">
        <h1>Crops</h1>
      </div>
      <section className="panel" aria-labelledby="crops-heading">
        <h2 id="crops-heading">What a crop is</h2>
        <p className="lead">
          When a study outgrows one run on this machine, its cases can be <strong>sown</strong> into a crop: written to
          disk in batches, with the study as it is now. Each batch is then <strong>grown</strong>, here (Grow here) or
          as a job on a cluster (SLURM, PBS or SGE), each batch on its own and in any order. When batches are grown,
          they are <strong>reaped</strong>: their results go into the study&apos;s dataset and run database, as a
          run&apos;s do.
        </p>
        <h2>Sow a crop</h2>
        <SowForm />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {crops.length === 0 ? (
          <p className="muted">No crop yet: sow one to grow its batches here or on a cluster.</p>
        ) : null}
        {crops.map((crop) => (
          <Crop key={crop.name} crop={crop} />
        ))}
        {script && (
          <figure className="job-script">
            <figcaption>
              {script.job_id ? `Submitted job ${script.job_id}` : 'Job script (not submitted)'}: {script.script}
            </figcaption>
            <pre aria-label="Job script">{script.text}</pre>
          </figure>
        )}
      </section>
    </>
  );
}
