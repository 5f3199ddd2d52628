// Crops grown on a real SLURM (issue 5): the single-node cluster of test/slurm/start.sh, which .ci/run starts.
// Each test sows a crop, submits it as an array job, watches it through `furrow crop status`, and reaps it.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { exampleStudy, furrow } from '../helpers/furrow';
import { describeWith, SLURM_CONF } from '../helpers/tools';
import { datasetValues } from '../helpers/dataset';

const env = { ...process.env, SLURM_CONF };
const last = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

interface Status {
  batches: {
    batch: number;
    state: string;
    job: string | null;
    job_state: string | null;
    log: string;
    error: string | null;
  }[];
  counts: Record<string, number>;
}

async function status(dir: string, name: string): Promise<Status> {
  const r = await furrow(['crop', 'status', dir, '--name', name, '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  return last(r.stdout) as unknown as Status;
}

/** Wait until no batch of the crop is queued or running. */
async function settled(dir: string, name: string): Promise<Status> {
  let s = await status(dir, name);
  const until = Date.now() + 45_000;
  while (s.counts['pending']! + s.counts['running']! > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 300));
    s = await status(dir, name);
  }
  return s;
}

const STUDY = `name: waves
model: {module: ./model.mjs}
outputs:
  peak: {}
  shape: {dims: [x]}
coords: {x: [0, 0.5, 1]}
combos:
  amp: [1, 2, 3]
  freq: [0.5, 1, 2, 4]
`;
const MODEL = `export default ({ amp, freq }) => ({
  peak: amp * freq,
  shape: [0, 0.5, 1].map((x) => amp * Math.sin(freq * x)),
});
`;

describeWith('slurm', 'a crop on SLURM', () => {
  it('grows as an array job and reaps to the dataset furrow run gives for the same cases', async () => {
    const dir = await exampleStudy('foo', { studyYaml: STUDY, model: MODEL });
    expect((await furrow(['crop', 'sow', dir, '--name', 'w', '--batch-size', '5'])).code).toBe(0);
    const submit = await furrow(
      [
        'crop',
        'submit',
        dir,
        '--name',
        'w',
        '--scheduler',
        'slurm',
        '--cpus-per-task',
        '1',
        '--time',
        '0:05:00',
        '--json',
      ],
      { env },
    );
    expect(submit.code, submit.stderr).toBe(0);
    const job = last(submit.stdout) as { job_id: string; batches: number[]; script: string };
    expect(job.batches).toEqual([1, 2, 3]);
    expect(fs.readFileSync(job.script, 'utf8')).toMatch(/^#SBATCH --array=1-3$/m);
    const s = await settled(dir, 'w');
    expect(s.counts).toMatchObject({ grown: 3, failed: 0, missing: 0 });
    // A batch is grown once its result is there; SLURM may still be wrapping its task up (COMPLETING) a moment.
    await expect
      .poll(async () => (await status(dir, 'w')).batches.map((b) => b.job_state))
      .toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    const reap = await furrow(['crop', 'reap', dir, '--name', 'w', '--json'], { env });
    expect(reap.code, reap.stderr).toBe(0);
    expect(last(reap.stdout)).toMatchObject({ done: 12, failed: 0, removed: true });

    const ref = await exampleStudy('foo', { studyYaml: STUDY, model: MODEL });
    expect((await furrow(['run', ref])).code).toBe(0);
    expect(await datasetValues(path.join(dir, 'data', 'waves.nc'))).toEqual(
      await datasetValues(path.join(ref, 'data', 'waves.nc')),
    );
  });

  it('shows a task that exits 1 as a failed batch with its log, and resubmits only what is missing', async () => {
    const dir = await exampleStudy('foo', { studyYaml: STUDY, model: MODEL });
    expect((await furrow(['crop', 'sow', dir, '--name', 'f', '--batches', '3'])).code).toBe(0);
    const setup = '[ "$SLURM_ARRAY_TASK_ID" != 2 ] || { echo "scratch space is full on this node" >&2; exit 1; }';
    const first = await furrow(
      ['crop', 'submit', dir, '--name', 'f', '--scheduler', 'slurm', '--setup', setup, '--json'],
      {
        env,
      },
    );
    expect(first.code, first.stderr).toBe(0);
    const s = await settled(dir, 'f');
    expect(s.batches.map((b) => b.state)).toEqual(['grown', 'failed', 'grown']);
    const failed = s.batches[1]!;
    expect(failed.job_state).toBe('FAILED');
    expect(failed.error).toMatch(/the slurm task ended FAILED/);
    expect(fs.readFileSync(failed.log, 'utf8')).toContain('scratch space is full on this node');
    const text = await furrow(['crop', 'status', dir, '--name', 'f'], { env });
    expect(text.stdout).toContain(`log: ${failed.log}`);

    const again = await furrow(['crop', 'submit', dir, '--name', 'f', '--scheduler', 'slurm', '--json'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect((last(again.stdout) as { batches: number[] }).batches).toEqual([2]);
    expect(fs.readFileSync((last(again.stdout) as { script: string }).script, 'utf8')).not.toMatch(/--array/);
    expect((await settled(dir, 'f')).counts).toMatchObject({ grown: 3, failed: 0 });
    const reap = await furrow(['crop', 'reap', dir, '--name', 'f', '--json'], { env });
    expect(last(reap.stdout)).toMatchObject({ done: 12, removed: true });
  });

  it('cancels queued and running tasks with scancel; their batches are missing again', async () => {
    const slow = `export default async ({ amp, freq }) => {
  await new Promise((r) => setTimeout(r, 60_000));
  return { peak: amp * freq, shape: [0, 0, 0] };
};
`;
    const dir = await exampleStudy('foo', { studyYaml: STUDY, model: slow });
    expect((await furrow(['crop', 'sow', dir, '--name', 'c', '--batches', '4'])).code).toBe(0);
    const submit = await furrow(['crop', 'submit', dir, '--name', 'c', '--scheduler', 'slurm', '--json'], { env });
    expect(submit.code, submit.stderr).toBe(0);
    const jobId = (last(submit.stdout) as { job_id: string }).job_id;
    await expect.poll(async () => (await status(dir, 'c')).counts['running']).toBeGreaterThan(0);
    const cancel = await furrow(['crop', 'cancel', dir, '--name', 'c', '--json'], { env });
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(last(cancel.stdout)).toEqual({ cancelled: [jobId] });
    const s = await settled(dir, 'c');
    expect(s.counts).toMatchObject({ missing: 4, running: 0, pending: 0, grown: 0 });
    expect(s.batches.every((b) => b.job_state === 'CANCELLED')).toBe(true);
  });
});
