// Crops (issue 5): sow batches, grow them one by one or all here, reap them into the dataset and the run database
// as a run would; and what a grower killed halfway, a corrupt crop or a machine without sbatch leave behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { datasetValues } from '../helpers/dataset';
import { CLI, exampleStudy, furrow, tempDir } from '../helpers/furrow';

const last = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

/** A study of 4 × 3 = 12 cases: a scalar, a string and a series with a NaN in it. */
const TWELVE = `name: grid
model: {module: ./model.mjs}
outputs:
  energy: {}
  label: {}
  trace: {dims: [step]}
coords: {step: [0, 1, 2]}
combos:
  temp: [0.5, 1.5, 2.5, 3.5]
  field: [-1, 0, 1]
`;
const TWELVE_MODEL = `export default ({ temp, field }) => ({
  energy: temp * field - 1,
  label: temp > 2 ? 'hot' : 'cold',
  trace: [temp, field === 0 ? NaN : field, temp + field],
});
`;

async function twelve(): Promise<string> {
  return exampleStudy('foo', { studyYaml: TWELVE, model: TWELVE_MODEL });
}

/** The same study run in one go with `furrow run`, for comparison. */
async function runInOneGo(studyYaml: string, model: string, name = 'model.mjs'): Promise<string> {
  const dir = await exampleStudy('foo', { studyYaml, model });
  if (name !== 'model.mjs') fs.renameSync(path.join(dir, 'model.mjs'), path.join(dir, name));
  const run = await furrow(['run', dir, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return dir;
}

describe('a crop', () => {
  it('sows 12 cases in batches of 5, refuses an incomplete reap, fills NaN when allowed, and ends equal to a run', async () => {
    const dir = await twelve();
    const sow = await furrow(['crop', 'sow', dir, '--name', 'c', '--batch-size', '5', '--json']);
    expect(sow.code, sow.stderr).toBe(0);
    expect(last(sow.stdout)).toMatchObject({ cases: 12, batches: 3, sown: true });
    const crop = path.join(dir, 'crops', 'c');
    const sizes = [1, 2, 3].map(
      (k) => JSON.parse(fs.readFileSync(path.join(crop, 'batches', `batch-000${k}.json`), 'utf8')).cases.length,
    );
    expect(sizes).toEqual([5, 5, 2]);
    // Sowing the same request again changes nothing; another request under the same name is refused.
    const again = await furrow(['crop', 'sow', dir, '--name', 'c', '--batch-size', '5', '--json']);
    expect(last(again.stdout)).toMatchObject({ sown: false, batches: 3 });
    const other = await furrow(['crop', 'sow', dir, '--name', 'c', '--batch-size', '4']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/crop 'c' was sown already with another request/);

    const grow1 = await furrow(['grow-batch', crop, '1']);
    expect(grow1.code, grow1.stderr).toBe(0);
    const status = last((await furrow(['crop', 'status', dir, '--name', 'c', '--json'])).stdout) as {
      batches: { batch: number; state: string }[];
    };
    expect(status.batches.map((b) => b.state)).toEqual(['grown', 'missing', 'missing']);

    const refused = await furrow(['crop', 'reap', dir, '--name', 'c']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/2 of 3 batches are not grown: 2 \(missing\), 3 \(missing\)/);
    expect(fs.existsSync(path.join(dir, 'data', 'grid.nc'))).toBe(false);

    const partial = await furrow(['crop', 'reap', dir, '--name', 'c', '--allow-incomplete', '--json']);
    expect(partial.code, partial.stderr).toBe(0);
    expect(last(partial.stdout)).toMatchObject({
      done: 5,
      reaped_batches: [1],
      missing_batches: [2, 3],
      removed: false,
    });
    const energy = await readSlice(path.join(dir, 'data', 'grid.nc'), 'energy', {});
    // Batch 1 holds the first 5 cases in the space's order: temp 0.5 (3 cases) and temp 1.5 × field -1, 0.
    expect(energy.values).toEqual([-1.5, -1, -0.5, -2.5, -1, null, null, null, null, null, null, null]);

    const grow = await furrow(['crop', 'grow', dir, '--name', 'c', '--workers', '2', '--json']);
    expect(grow.code, grow.stderr).toBe(0);
    const reap = await furrow(['crop', 'reap', dir, '--name', 'c', '--json']);
    expect(reap.code, reap.stderr).toBe(0);
    expect(last(reap.stdout)).toMatchObject({ done: 7, reaped_batches: [2, 3], missing_batches: [], removed: true });
    expect(fs.existsSync(crop)).toBe(false);

    const ref = await runInOneGo(TWELVE, TWELVE_MODEL);
    expect(await datasetValues(path.join(dir, 'data', 'grid.nc'))).toEqual(
      await datasetValues(path.join(ref, 'data', 'grid.nc')),
    );
    // The run database holds every case once, with the pset_id it was sown with.
    const db = await furrow(['db', dir, '--format', 'json']);
    const rows = JSON.parse(db.stdout) as { _pset_id: string; _status: string; temp: number; field: number }[];
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => `${r.temp},${r.field}`)).size).toBe(12);
    expect(rows.every((r) => r._status === 'done')).toBe(true);
  });

  it("batches as xyzpy's Crop does: 99 cases in 67 batches are 32 of 2 and 35 of 1", async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: 'name: n\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  i: {range: [0, 99]}\n',
      model: 'export default ({ i }) => i;\n',
    });
    expect((await furrow(['crop', 'sow', dir, '--name', 'b', '--batches', '67'])).code).toBe(0);
    const batches = path.join(dir, 'crops', 'b', 'batches');
    const files = fs.readdirSync(batches).sort();
    expect(files).toHaveLength(67);
    const sizes = files.map((f) => JSON.parse(fs.readFileSync(path.join(batches, f), 'utf8')).cases.length);
    expect(sizes).toEqual([...Array(32).fill(2), ...Array(35).fill(1)]);
    // Both options must agree: n ≤ B·N < n + B.
    expect((await furrow(['crop', 'sow', dir, '--name', 'ok', '--batch-size', '2', '--batches', '50'])).code).toBe(0);
    const bad = await furrow(['crop', 'sow', dir, '--name', 'bad', '--batch-size', '2', '--batches', '60']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/do not fit 99 cases: they need 99 ≤ 2×60 < 99 \+ 2/);
    const neither = await furrow(['crop', 'sow', dir, '--name', 'x']);
    expect(neither.stderr).toMatch(/--batch-size B .* or --batches N/);
  });

  it('shuffles the cases with a seed, the same way every time, and still reaps to the dataset of a run', async () => {
    const dir = await twelve();
    for (const name of ['s', 't']) {
      expect((await furrow(['crop', 'sow', dir, '--name', name, '--batches', '2', '--shuffle', '7'])).code).toBe(0);
    }
    const order = (name: string) =>
      [1, 2].flatMap((k) =>
        (
          JSON.parse(fs.readFileSync(path.join(dir, 'crops', name, 'batches', `batch-000${k}.json`), 'utf8')) as {
            cases: { index: number }[];
          }
        ).cases.map((c) => c.index),
      );
    expect(order('s')).toEqual(order('t'));
    expect(order('s')).not.toEqual([...Array(12).keys()]);
    expect([...order('s')].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect((await furrow(['crop', 'grow', dir, '--name', 's'])).code).toBe(0);
    expect((await furrow(['crop', 'reap', dir, '--name', 's'])).code).toBe(0);
    const ref = await runInOneGo(TWELVE, TWELVE_MODEL);
    expect(await datasetValues(path.join(dir, 'data', 'grid.nc'))).toEqual(
      await datasetValues(path.join(ref, 'data', 'grid.nc')),
    );
  });

  it('sows only the missing cases, or the cases of a CSV file', async () => {
    const dir = await twelve();
    expect((await furrow(['run', dir, '--combo', 'temp=0.5,1.5'])).code).toBe(0);
    const sow = await furrow(['crop', 'sow', dir, '--name', 'rest', '--missing-only', '--batch-size', '4', '--json']);
    expect(last(sow.stdout)).toMatchObject({ cases: 6, batches: 2 });
    const csv = path.join(tempDir(), 'cases.csv');
    fs.writeFileSync(csv, 'temp,field\n9.5,-1\n9.5,1\n');
    const study = `name: grid
model: {module: ./model.mjs}
outputs: {energy: {}, label: {}, trace: {dims: [step]}}
coords: {step: [0, 1, 2]}
cases:
  - {temp: 0.5, field: 0}
`;
    const cases = await exampleStudy('foo', { studyYaml: study, model: TWELVE_MODEL });
    const sown = await furrow(['crop', 'sow', cases, '--name', 'f', '--cases', csv, '--batch-size', '1', '--json']);
    expect(sown.code, sown.stderr).toBe(0);
    expect(last(sown.stdout)).toMatchObject({ cases: 2, batches: 2 });
    expect((await furrow(['crop', 'grow', cases, '--name', 'f'])).code).toBe(0);
    expect((await furrow(['crop', 'reap', cases, '--name', 'f'])).code).toBe(0);
    const energy = await readSlice(path.join(cases, 'data', 'grid.nc'), 'energy', {});
    expect(energy.coords).toEqual({ temp: [9.5], field: [-1, 1] });
    expect(energy.values).toEqual([-10.5, 8.5]);
  });

  it('grows a command model in case folders and reaps it like a run of the same cases', async () => {
    const yaml = `name: cmd
model: {command: ['{node}', ./model.mjs, '{x}', '{y}']}
outputs: {sum: {}, text: {}}
combos:
  x: [1, 2, 3]
  y: [a, b]
`;
    const model = `const [x, y] = process.argv.slice(2);
console.log(JSON.stringify({ sum: Number(x) * 2, text: y + x }));
`;
    const dir = await exampleStudy('foo', { studyYaml: yaml, model });
    expect((await furrow(['crop', 'sow', dir, '--name', 'c', '--batches', '2'])).code).toBe(0);
    const grown = await furrow(['crop', 'grow', dir, '--name', 'c']);
    expect(grown.code, grown.stderr).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'cases'))).toHaveLength(6);
    expect((await furrow(['crop', 'reap', dir, '--name', 'c'])).code).toBe(0);
    const ref = await runInOneGo(yaml, model);
    expect(await datasetValues(path.join(dir, 'data', 'cmd.nc'))).toEqual(
      await datasetValues(path.join(ref, 'data', 'cmd.nc')),
    );
    // Each case's row names its folder, and that folder holds the case's logs.
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as { _calc_dir: string }[];
    for (const r of rows) expect(fs.existsSync(path.join(dir, r._calc_dir, 'stdout.log'))).toBe(true);
  });

  it('reaps results grown on another machine and copied into results/, and keeps the folder with --keep', async () => {
    const dir = await twelve();
    expect((await furrow(['crop', 'sow', dir, '--name', 'far', '--batches', '2'])).code).toBe(0);
    // "Another machine": a copy of the study folder somewhere else, grown there.
    const elsewhere = path.join(tempDir(), 'copy');
    fs.cpSync(dir, elsewhere, { recursive: true });
    for (const k of ['1', '2']) {
      expect((await furrow(['grow-batch', path.join(elsewhere, 'crops', 'far'), k])).code).toBe(0);
    }
    fs.cpSync(path.join(elsewhere, 'crops', 'far', 'results'), path.join(dir, 'crops', 'far', 'results'), {
      recursive: true,
    });
    const reap = await furrow(['crop', 'reap', dir, '--name', 'far', '--keep', '--json']);
    expect(reap.code, reap.stderr).toBe(0);
    expect(last(reap.stdout)).toMatchObject({ done: 12, removed: false });
    const status = last((await furrow(['crop', 'status', dir, '--name', 'far', '--json'])).stdout) as {
      counts: Record<string, number>;
    };
    expect(status.counts).toMatchObject({ reaped: 2, missing: 0 });
    const ref = await runInOneGo(TWELVE, TWELVE_MODEL);
    expect(await datasetValues(path.join(dir, 'data', 'grid.nc'))).toEqual(
      await datasetValues(path.join(ref, 'data', 'grid.nc')),
    );
    // Reaping again is refused: no case is recorded twice.
    const again = await furrow(['crop', 'reap', dir, '--name', 'far']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/crop 'far' is reaped already/);
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as unknown[];
    expect(rows).toHaveLength(12);
  });

  it('records a case that failed while growing as failed, with its reason, and keeps the rest', async () => {
    const model = `export default ({ temp, field }) => {
  if (temp === 2.5 && field === 0) throw new Error('diverged at temp 2.5');
  return { energy: temp * field, label: 'x', trace: [0, 0, 0] };
};
`;
    const dir = await exampleStudy('foo', { studyYaml: TWELVE, model });
    expect((await furrow(['crop', 'sow', dir, '--name', 'c', '--batches', '3'])).code).toBe(0);
    expect((await furrow(['crop', 'grow', dir, '--name', 'c'])).code).toBe(0);
    const reap = await furrow(['crop', 'reap', dir, '--name', 'c', '--json']);
    expect(reap.code).toBe(1); // some cases failed
    expect(last(reap.stdout)).toMatchObject({ done: 11, failed: 1 });
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as {
      _status: string;
      _error: string | null;
    }[];
    expect(rows.filter((r) => r._status === 'failed').map((r) => r._error)).toEqual([
      expect.stringMatching(/diverged at temp 2.5/),
    ]);
  });
});

describe('two crops of one study', () => {
  it('reap into one dataset one after the other and lose nothing: the dataset of one run of all their cases', async () => {
    const dir = await twelve();
    for (const [name, temps] of [
      ['cold', '0.5,1.5'],
      ['hot', '2.5,3.5'],
    ]) {
      const sow = await furrow(['crop', 'sow', dir, '--name', name!, '--batch-size', '4', '--combo', `temp=${temps}`]);
      expect(sow.code, sow.stderr).toBe(0);
      expect((await furrow(['crop', 'grow', dir, '--name', name!])).code).toBe(0);
    }
    // The second reap waits for nothing: the first has let go of the study.
    expect(last((await furrow(['crop', 'reap', dir, '--name', 'cold', '--json'])).stdout)).toMatchObject({ done: 6 });
    expect(last((await furrow(['crop', 'reap', dir, '--name', 'hot', '--json'])).stdout)).toMatchObject({ done: 6 });
    const ref = await runInOneGo(TWELVE, TWELVE_MODEL);
    expect(await datasetValues(path.join(dir, 'data', 'grid.nc'))).toEqual(
      await datasetValues(path.join(ref, 'data', 'grid.nc')),
    );
    const db = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as { _status: string }[];
    expect(db.filter((r) => r._status === 'done')).toHaveLength(12);
  });
});

describe('a crop under faults', () => {
  it('keeps no partial result of a grower killed with SIGKILL, and grows the batch again', async () => {
    const model = `export default async ({ temp, field }) => {
  await new Promise((r) => setTimeout(r, 150));
  return { energy: temp * field, label: 'x', trace: [0, 0, 0] };
};
`;
    const dir = await exampleStudy('foo', { studyYaml: TWELVE, model });
    expect((await furrow(['crop', 'sow', dir, '--name', 'k', '--batches', '1'])).code).toBe(0);
    const crop = path.join(dir, 'crops', 'k');
    const grower = spawn(process.execPath, [CLI, 'grow-batch', crop, '1', '--workers', '1'], {
      stdio: 'ignore',
      detached: true,
    });
    // Killed while its cases run: the log says it started, no result is there yet.
    await expect
      .poll(
        () =>
          fs.existsSync(path.join(crop, 'logs', 'batch-0001.log')) &&
          fs.statSync(path.join(crop, 'logs', 'batch-0001.log')).size > 0,
      )
      .toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    process.kill(-grower.pid!, 'SIGKILL');
    await new Promise((r) => grower.once('exit', r));
    expect(fs.existsSync(path.join(crop, 'results', 'batch-0001.json'))).toBe(false);
    const status = last((await furrow(['crop', 'status', dir, '--name', 'k', '--json'])).stdout) as {
      counts: Record<string, number>;
    };
    expect(status.counts).toMatchObject({ missing: 1, grown: 0 });
    const again = await furrow(['grow-batch', crop, '1']);
    expect(again.code, again.stderr).toBe(0);
    const reap = await furrow(['crop', 'reap', dir, '--name', 'k', '--json']);
    expect(last(reap.stdout)).toMatchObject({ done: 12 });
  });

  it('says clearly that a crop.json is missing or corrupt, and that a batch file is', async () => {
    const dir = await twelve();
    expect((await furrow(['crop', 'sow', dir, '--name', 'c', '--batches', '2'])).code).toBe(0);
    const crop = path.join(dir, 'crops', 'c');
    fs.writeFileSync(path.join(crop, 'batches', 'batch-0002.json'), '{"crop": "c", "batch": 2, "cases": [');
    const badBatch = await furrow(['grow-batch', crop, '2']);
    expect(badBatch.code).toBe(2);
    expect(badBatch.stderr).toMatch(/batch-0002\.json is not valid JSON.*a batch file is corrupt/);
    const status = last((await furrow(['crop', 'status', dir, '--name', 'c', '--json'])).stdout) as {
      batches: { state: string; error: string | null; log: string }[];
    };
    expect(status.batches[1]).toMatchObject({ state: 'failed', error: expect.stringMatching(/not valid JSON/) });
    expect(fs.readFileSync(status.batches[1]!.log, 'utf8')).toMatch(/could not grow batch 2/);

    fs.writeFileSync(path.join(crop, 'crop.json'), '{"format": "furrow-crop/1", "name": ');
    for (const args of [
      ['crop', 'status', dir, '--name', 'c'],
      ['grow-batch', crop, '1'],
      ['crop', 'reap', dir, '--name', 'c'],
    ]) {
      const r = await furrow(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/crop\.json is not valid JSON .*crop\.json is corrupt/);
    }
    fs.rmSync(path.join(crop, 'crop.json'));
    const missing = await furrow(['grow-batch', crop, '1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/crop\.json is missing: Is .* a crop folder\?/);
  });

  it("refuses a crop name that is a path in every command, so one study's command never reaches another's crop", async () => {
    const [a, b] = [await twelve(), await twelve()];
    expect((await furrow(['crop', 'sow', b, '--name', 'k', '--batches', '2'])).code).toBe(0);
    expect((await furrow(['crop', 'grow', b, '--name', 'k'])).code).toBe(0);
    const theirs = path.relative(path.join(a, 'crops'), path.join(b, 'crops', 'k'));
    for (const [verb, ...more] of [
      ['status'],
      ['grow'],
      ['reap'],
      ['submit', '--scheduler', 'slurm', '--dry-run'],
      ['cancel'],
      ['sow', '--batches', '1'],
    ] as const) {
      for (const name of [theirs, '..', '.hidden', 'a/b']) {
        const r = await furrow(['crop', verb, a, '--name', name, ...more]);
        expect(r.code, `${verb} ${name}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toContain(`'${name}' is not a crop name: a crop name is letters, digits, _ . and -`);
      }
    }
    expect(fs.readdirSync(path.join(b, 'crops', 'k', 'results')).sort()).toEqual([
      'batch-0001.json',
      'batch-0002.json',
    ]);
    expect(fs.existsSync(path.join(b, 'data'))).toBe(false);
    expect(fs.existsSync(path.join(a, 'crops'))).toBe(false);
  });

  it('without sbatch on PATH, says so and suggests --dry-run; --dry-run writes the script', async () => {
    const dir = await twelve();
    expect((await furrow(['crop', 'sow', dir, '--name', 'c', '--batches', '3'])).code).toBe(0);
    const empty = tempDir();
    const r = await furrow(['crop', 'submit', dir, '--name', 'c', '--scheduler', 'slurm'], {
      env: { ...process.env, PATH: empty },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sbatch is not on PATH.*--dry-run/);
    // The script is written all the same, to submit by hand; the message names it.
    const written = fs.readdirSync(path.join(dir, 'crops', 'c')).filter((f) => f.endsWith('.sh'));
    expect(written).toHaveLength(1);
    expect(r.stderr).toContain(written[0]);
    const dry = await furrow(
      ['crop', 'submit', dir, '--name', 'c', '--scheduler', 'slurm', '--dry-run', '--cpus-per-task', '4'],
      {
        env: { ...process.env, PATH: empty },
      },
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^#SBATCH --array=1-3$/m);
    expect(dry.stdout).toMatch(/^export OMP_NUM_THREADS=4 /m);
    expect(dry.stdout).toMatch(/grow-batch \S+crops\/c "\$SLURM_ARRAY_TASK_ID"$/m);
    expect(fs.readdirSync(path.join(dir, 'crops', 'c')).filter((f) => f.endsWith('.sh'))).toHaveLength(2);
  });

  it('writes PBS and SGE array scripts with the same options, and drops the array line for one batch', async () => {
    const dir = await twelve();
    expect((await furrow(['crop', 'sow', dir, '--name', 'c', '--batches', '3'])).code).toBe(0);
    const common = ['--time', '2:00:00', '--mem', '4G', '--cpus-per-task', '2', '--partition', 'short', '--dry-run'];
    const pbs = await furrow(['crop', 'submit', dir, '--name', 'c', '--scheduler', 'pbs', ...common]);
    expect(pbs.code, pbs.stderr).toBe(0);
    for (const line of [
      '#PBS -J 1-3',
      '#PBS -l walltime=2:00:00',
      '#PBS -l mem=4G',
      '#PBS -l ncpus=2',
      '#PBS -q short',
    ]) {
      expect(pbs.stdout).toContain(line);
    }
    expect(pbs.stdout).toContain('batches=(1 2 3)');
    expect(pbs.stdout).toContain('"${batches[$((PBS_ARRAY_INDEX - 1))]}"');
    const sge = await furrow(['crop', 'submit', dir, '--name', 'c', '--scheduler', 'sge', ...common]);
    for (const line of ['#$ -t 1-3', '#$ -l h_rt=2:00:00', '#$ -l h_vmem=4G', '#$ -pe smp 2', '#$ -q short']) {
      expect(sge.stdout).toContain(line);
    }
    // One batch left: no array line, the batch number in the command.
    expect((await furrow(['grow-batch', path.join(dir, 'crops', 'c'), '1'])).code).toBe(0);
    expect((await furrow(['grow-batch', path.join(dir, 'crops', 'c'), '3'])).code).toBe(0);
    for (const scheduler of ['slurm', 'pbs', 'sge']) {
      const one = await furrow(['crop', 'submit', dir, '--name', 'c', '--scheduler', scheduler, '--dry-run']);
      expect(one.stdout).not.toMatch(/--array|-J |-t /);
      expect(one.stdout).toMatch(/grow-batch \S+ 2$/m);
    }
  });
});
