// `furrow adapt` (issue 26) through the built command line: each point a case of an adaptive run in the run database,
// the point dataset as Debian's xarray opens it, resume without evaluating a point twice, a learner per combination,
// a model that fails at some points, and bad input refused with what to do, nothing stored lost.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { exampleStudy, furrow } from '../helpers/furrow';
import { describeWith, python } from '../helpers/tools';

/** python-adaptive's peak, logging every evaluation (one line per x) to `evals.log` in the study. */
const PEAK_MODEL = `import fs from 'node:fs';
export default ({ x, a, log }) => {
  fs.appendFileSync(log, x + '\\n');
  return { y: x + (a * a) / (a * a + x * x) };
};
`;

async function peakStudy(extra = ''): Promise<string> {
  const dir = await exampleStudy('foo', { studyYaml: 'name: peak\n', model: PEAK_MODEL });
  const log = path.join(dir, 'evals.log');
  fs.writeFileSync(
    path.join(dir, 'study.yaml'),
    `name: peak\nmodel: {module: ./model.mjs}\noutputs:\n  y: {}\n  curve: {dims: [t]}\ncoords: {t: [0, 1]}\ncombos:\n  x: [0]\n${extra}constants:\n  a: 0.01\n  log: ${JSON.stringify(log)}\n  label: text\n`,
  );
  return dir;
}

const evaluations = (dir: string) => fs.readFileSync(path.join(dir, 'evals.log'), 'utf8').trim().split('\n');

interface Row {
  _pset_hash: string;
  _status: string;
  _run_seq: number;
  x: number;
  y: number | null;
}

function rows(dir: string): { psets: Row[]; runs: { run_seq: number; kind: string | null; settings: string }[] } {
  const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
  try {
    return {
      psets: db.prepare('SELECT * FROM psets ORDER BY _pset_seq').all() as Row[],
      runs: db.prepare('SELECT run_seq, kind, settings FROM runs ORDER BY run_seq').all() as never,
    };
  } finally {
    db.close();
  }
}

const adapt = (dir: string, ...args: string[]) =>
  furrow(['adapt', dir, '--param', 'x=-1:1', '--output', 'y', '--workers', '2', ...args]);

describe('furrow adapt', () => {
  it('evaluates each point once as a case of an adaptive run, and goes on from the stored points', async () => {
    const dir = await peakStudy();
    const first = await adapt(dir, '--goal', 'points=40');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/goal met: 40 points \(40 evaluated by this run, 0 failed\)/);
    let db = rows(dir);
    expect(db.psets).toHaveLength(40);
    expect(db.runs).toEqual([
      { run_seq: 1, kind: 'adaptive', settings: '{"params":[{"name":"x","lo":-1,"hi":1}],"output":"y"}' },
    ]);
    expect(new Set(db.psets.map((r) => r._status))).toEqual(new Set(['done']));
    // Sampled where the output changes fastest: more points near the peak at 0 than in the flat rest.
    const near = db.psets.filter((r) => Math.abs(r.x) < 0.1).length;
    expect(near).toBeGreaterThan(40 * 0.05 * 2);

    const second = await adapt(dir, '--goal', 'points=70');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/40 stored points told to the learners/);
    expect(second.stdout).toMatch(/70 points \(30 evaluated by this run/);
    db = rows(dir);
    expect(db.psets).toHaveLength(70);
    expect(new Set(db.psets.map((r) => r._pset_hash)).size).toBe(70);
    expect(new Set(evaluations(dir)).size).toBe(70);
    expect(evaluations(dir)).toHaveLength(70);

    // A goal already met evaluates nothing.
    const third = await adapt(dir, '--goal', 'points=50');
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/70 points \(0 evaluated by this run/);
    expect(evaluations(dir)).toHaveLength(70);
  }, 90_000);

  it('learns for each combination of the other combos, and records the points that fail (the run goes on)', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml:
        'name: k\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  k: [1, 3]\n  x: [0]\n  kind: [a]\n',
      model:
        "export default ({ x, k }) => { if (x > 0.2 && x < 0.4) throw new Error('no value here'); return { y: Math.tanh(k * 10 * x) }; };\n",
    });
    const r = await furrow(['adapt', dir, '--param', 'x=-1:1', '--output', 'y', '--goal', 'points=60']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/point k=\d x=0\.\d+ kind=a failed: Error: no value here/);
    const { psets } = rows(dir);
    const failed = psets.filter((p) => p._status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((p) => p.x > 0.2 && p.x < 0.4)).toBe(true);
    const byK = (k: number) => psets.filter((p) => JSON.parse((p as unknown as { _params: string })._params).k === k);
    expect(byK(1).length).toBeGreaterThan(5);
    expect(byK(3).length).toBeGreaterThan(5);
    expect(r.stdout).toMatch(new RegExp(`60 points \\(60 evaluated by this run, ${failed.length} failed\\)`));
  }, 60_000);

  it('ends at the first goal met: a loss, or seconds', async () => {
    const dir = await peakStudy();
    const byLoss = await adapt(dir, '--goal', 'loss=0.05', '--goal', 'points=100000', '--json');
    expect(byLoss.code, byLoss.stderr).toBe(0);
    const summary = JSON.parse(byLoss.stdout.trim().split('\n').at(-1)!) as { loss: number; points: number };
    expect(summary.loss).toBeLessThanOrEqual(0.05);
    expect(summary.points).toBeLessThan(1000);
    const bySeconds = await adapt(dir, '--goal', 'seconds=1', '--goal', 'points=100000');
    expect(bySeconds.code, bySeconds.stderr).toBe(0);
    expect(bySeconds.stdout).toMatch(/^goal met: \d+ points/);
  }, 60_000);

  it('ends when the learners have no point left to ask (a range a few floating-point steps wide)', async () => {
    const dir = await peakStudy();
    const r = await furrow(
      ['adapt', dir, '--param', 'x=1:1.000000000000001', '--output', 'y', '--goal', 'points=100'],
      {
        timeoutMs: 20_000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^goal met: \d+ points/);
    const n = rows(dir).psets.length;
    expect(n).toBeLessThan(100);
    expect(evaluations(dir)).toHaveLength(n);
  }, 30_000);

  it('learns two parameters (the ring, Learner2D) and goes on from its stored points with two workers', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: 'name: ring\nmodel: {module: ./model.mjs}\noutputs: {z: {}}\ncombos:\n  x: [0]\n  y: [0]\n',
      model: 'export default ({ x, y }) => ({ z: x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4) });\n',
    });
    const ring = (goal: string) =>
      furrow([
        'adapt',
        dir,
        '--param',
        'x=-1:1',
        '--param',
        'y=-1:1',
        '--output',
        'z',
        '--goal',
        goal,
        '--workers',
        '2',
      ]);
    expect((await ring('points=50')).code).toBe(0);
    const second = await ring('points=90');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/90 points \(40 evaluated by this run, 0 failed\)/);
    const { psets } = rows(dir);
    expect(new Set(psets.map((p) => p._pset_hash)).size).toBe(90);
    // Where the output changes fastest: more points near the ring (radius 0.75) than its share of the square.
    const radius = (p: Row) => Math.hypot(p.x, (p as unknown as { y: number }).y);
    const nearRing = psets.filter((p) => Math.abs(radius(p) - 0.75) < 0.15).length;
    expect(nearRing / 90).toBeGreaterThan((Math.PI * (0.9 ** 2 - 0.6 ** 2)) / 4);
  }, 60_000);

  it('refuses what cannot be learned, naming the study file and the parameter or output', async () => {
    const dir = await peakStudy('  mode: [fast, slow]\n');
    const yaml = path.join(dir, 'study.yaml');
    const bad = async (args: string[], message: RegExp) => {
      const r = await furrow(['adapt', dir, ...args, '--goal', 'points=5']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    };
    await bad(['--param', 'mode=0:1', '--output', 'y'], new RegExp(`${yaml}: --param mode: .*not all numbers`));
    await bad(['--param', 'label=0:1', '--output', 'y'], /--param label: .*a constant that is not a number/);
    await bad(
      ['--param', 'z=0:1', '--output', 'y'],
      /--param z: .*no parameter of that name \(numeric parameters: x, a\)/,
    );
    await bad(
      ['--param', 'x=0:1', '--output', 'curve'],
      /--output curve: 'curve' has dims \(t\); a learned output must be a scalar/,
    );
    await bad(['--param', 'x=1:0', '--output', 'y'], /--param x=1:0: LO and HI must be finite numbers with LO < HI/);
    await bad(['--param', 'x=0:1', '--output', 'y', '--goal', 'loss=-1'], /--goal/);
    expect(fs.existsSync(path.join(dir, 'runs.sqlite'))).toBe(false);
  }, 60_000);

  it('with other parameters or output than the stored points: says which are stored and what to do; nothing changes', async () => {
    const dir = await peakStudy();
    expect((await adapt(dir, '--goal', 'points=10')).code).toBe(0);
    const file = path.join(dir, 'data', 'peak.adapt.nc');
    const before = fs.readFileSync(file);
    const r = await furrow(['adapt', dir, '--param', 'x=0:1', '--output', 'y', '--goal', 'points=20']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} holds the points of y over x=-1:1, not y over x=0:1`);
    expect(r.stderr).toMatch(/give the same --param and --output; to learn these instead, move .* aside/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(rows(dir).psets).toHaveLength(10);
  }, 60_000);

  it('a cut-short point dataset is refused with what to do, and rebuilt from the run database once moved aside', async () => {
    const dir = await peakStudy();
    expect((await adapt(dir, '--goal', 'points=20')).code).toBe(0);
    const file = path.join(dir, 'data', 'peak.adapt.nc');
    fs.truncateSync(file, 1000);
    const cut = fs.readFileSync(file);
    const r = await adapt(dir, '--goal', 'points=30');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} does not open as a point dataset`);
    expect(r.stderr).toMatch(/Nothing was changed\. Its points are kept in .*runs\.sqlite: move the file aside/);
    expect(fs.readFileSync(file).equals(cut)).toBe(true);
    expect(rows(dir).psets).toHaveLength(20);
    fs.renameSync(file, `${file}.cut`);
    const again = await adapt(dir, '--goal', 'points=30');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/30 points \(10 evaluated by this run/);
    expect(evaluations(dir)).toHaveLength(30);
  }, 60_000);
});

describeWith('xarray', 'the point dataset in xarray', () => {
  it('opens with a point dim, the learned parameter and the combos as coordinates on it, the options in attrs', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: 'name: p\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  x: [0]\n  mode: [fast, slow]\n',
      model: "export default ({ x, mode }) => ({ y: mode === 'fast' ? x * x : x > 0.5 ? 1 : 0 });\n",
    });
    const r = await furrow(['adapt', dir, '--param', 'x=0:1', '--output', 'y', '--goal', 'points=24', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const seen = python(
      `import sys, json, xarray as xr
ds = xr.open_dataset(sys.argv[1], engine='h5netcdf')
print(json.dumps({'dims': dict(ds.sizes), 'coords': sorted(ds.coords), 'vars': sorted(ds.data_vars),
  'y_dims': list(ds['y'].dims), 'modes': sorted(set(ds['mode'].values.tolist())),
  'xmin': float(ds['x'].min()), 'xmax': float(ds['x'].max()), 'attrs': {k: str(v) for k, v in ds.attrs.items()}}))`,
      path.join(dir, 'data', 'p.adapt.nc'),
    ) as {
      dims: Record<string, number>;
      coords: string[];
      vars: string[];
      y_dims: string[];
      modes: string[];
      xmin: number;
      xmax: number;
      attrs: Record<string, string>;
    };
    expect(seen.dims).toEqual({ point: 24 });
    expect(seen.coords).toEqual(['mode', 'point', 'x']);
    expect(seen.vars).toEqual(['failed', 'run', 'y']);
    expect(seen.y_dims).toEqual(['point']);
    expect(seen.modes).toEqual(['fast', 'slow']);
    expect([seen.xmin, seen.xmax]).toEqual([0, 1]);
    expect(seen.attrs).toMatchObject({
      furrow_adapt: '{"params":[{"name":"x","lo":0,"hi":1}],"output":"y"}',
      furrow_adapt_goal: '{"points":24}',
      furrow_adapt_learner: 'Learner1D',
      furrow_adapt_loss: 'default',
    });
  }, 60_000);
});
