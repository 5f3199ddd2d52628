// Harvesting round after round into one dataset (issue 4): in place, with xyzpy Harvester's merge rules, and
// never losing a completed round to a killed process.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDataset, readSlice } from '../../electron/engine/dataset/netcdf-read';
import { CLI, FS_FAULTS, exampleStudy, furrow } from '../helpers/furrow';

const summary = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

/** A study over `x` and `y` whose model is `model` (a module's source). */
function study(yaml: string, model: string): Promise<string> {
  return exampleStudy('foo', { studyYaml: `name: h\nmodel: {module: ./model.mjs}\n${yaml}`, model });
}

describe('a harvest', () => {
  it('grows the dataset in place: the same file, no copy of it, untouched cells missing', async () => {
    const dir = await study(
      'outputs: {z: {}}\ncombos:\n  x: [1, 2]\n  y: [5]\n',
      'export default ({ x, y }) => x * y;\n',
    );
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const file = path.join(dir, 'data', 'h.nc');
    const inode = fs.statSync(file).ino;
    expect((await furrow(['run', dir, '--combo', 'x=3', '--combo', 'y=6,7', '--json'])).code).toBe(0);
    expect(fs.statSync(file).ino).toBe(inode); // changed in place, not replaced
    const backups = fs.readdirSync(path.join(dir, 'backups'), { recursive: true }).map(String);
    expect(backups.some((f) => f.endsWith('h.nc'))).toBe(false);
    const z = await readSlice(file, 'z', {});
    expect(z.coords).toEqual({ x: [1, 2, 3], y: [5, 6, 7] });
    expect(z.values).toEqual([5, null, null, 10, null, null, null, 18, 21]);
  });

  it("follows xyzpy's overwrite rules: error leaves the file as it was, old and new pick a side", async () => {
    const first = 'export default ({ x }) => 10 * x;\n';
    const second = 'export default ({ x, k }) => -x * k;\n';
    const yaml = 'outputs: {z: {}}\nconstants: {k: 3}\ncombos:\n  x: [1, 2]\n';
    const results: Record<string, unknown> = {};
    for (const policy of ['error', 'old', 'new']) {
      const dir = await study(yaml, first);
      expect((await furrow(['run', dir, '--json'])).code).toBe(0);
      const file = path.join(dir, 'data', 'h.nc');
      const before = fs.readFileSync(file);
      fs.writeFileSync(path.join(dir, 'model.mjs'), second);
      const run = await furrow(['run', dir, '--combo', 'x=2,3', '--overwrite', policy, '--json']);
      if (policy === 'error') {
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/'z' at x=2: the dataset holds 20 but this run gave -6; nothing was written/);
        expect(fs.readFileSync(file).equals(before)).toBe(true);
      } else expect(run.code).toBe(0);
      results[policy] = (await readSlice(file, 'z', {})).values;
    }
    expect(results['error']).toEqual([10, 20]);
    expect(results['old']).toEqual([10, 20, -9]);
    expect(results['new']).toEqual([10, -6, -9]);
  });

  it('in a rewrite too (string coords, a new variable): error leaves the file as it was, old and new pick a side', async () => {
    // Each second round changes the file in a way it cannot be changed in place: the merge runs over the whole dataset.
    const rounds = [
      {
        what: 'string coords that grow',
        yaml: ['outputs: {z: {}}\ncombos:\n  x: [a, b]\n', 'outputs: {z: {}}\ncombos:\n  x: [a, b]\n'],
        model: [
          'export default ({ x }) => ({ a: 1, b: 2, c: 3 })[x] * 10;\n',
          'export default ({ x }) => -({ a: 1, b: 2, c: 3 })[x] * 3;\n',
        ],
        round: ['--combo', 'x=b,c'],
        at: 'x=b',
      },
      {
        what: 'a new variable',
        yaml: ['outputs: {z: {}}\ncombos:\n  x: [1, 2]\n', 'outputs: {z: {}, w: {}}\ncombos:\n  x: [1, 2]\n'],
        model: ['export default ({ x }) => ({ z: x * 10 });\n', 'export default ({ x }) => ({ z: -x * 3, w: x });\n'],
        round: ['--combo', 'x=2,3'],
        at: 'x=2',
      },
    ];
    for (const { what, yaml, model, round, at } of rounds) {
      const results: Record<string, unknown> = {};
      for (const policy of ['error', 'old', 'new']) {
        const dir = await study(yaml[0]!, model[0]!);
        expect((await furrow(['run', dir, '--json'])).code).toBe(0);
        const file = path.join(dir, 'data', 'h.nc');
        const before = fs.readFileSync(file);
        fs.writeFileSync(path.join(dir, 'study.yaml'), `name: h\nmodel: {module: ./model.mjs}\n${yaml[1]!}`);
        fs.writeFileSync(path.join(dir, 'model.mjs'), model[1]!);
        const run = await furrow(['run', dir, ...round, '--overwrite', policy, '--json']);
        if (policy === 'error') {
          expect(run.code, `${what}: ${run.stderr}`).toBe(2);
          expect(run.stderr).toContain(`'z' at ${at}: the dataset holds 20 but this run gave -6; nothing was written`);
          expect(fs.readFileSync(file).equals(before), what).toBe(true);
        } else {
          expect(run.code, `${what}: ${run.stderr}`).toBe(0);
          expect(summary(run.stdout), what).toMatchObject({ harvest: 'rewritten' });
        }
        results[policy] = (await readSlice(file, 'z', {})).values;
      }
      expect(results, what).toEqual({ error: [10, 20], old: [10, 20, -9], new: [10, -6, -9] });
    }
  });

  it('--missing-only calls the model only for the cells not stored yet', async () => {
    const dir = await study(
      'outputs: {z: {}}\ncombos:\n  x: [5, 6]\n  y: [0]\n',
      `import fs from 'node:fs';
export default ({ x, y }) => { fs.appendFileSync(new URL('./calls', import.meta.url), \`\${x},\${y}\\n\`); return x + y; };
`,
    );
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    fs.rmSync(path.join(dir, 'calls'));
    const run = await furrow(['run', dir, '--combo', 'x=5,6,7', '--combo', 'y=0,1', '--missing-only', '--json']);
    expect(run.code).toBe(0);
    const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').sort();
    expect(calls).toEqual(['5,1', '6,1', '7,0', '7,1']);
    const z = await readSlice(path.join(dir, 'data', 'h.nc'), 'z', {});
    expect(z.values).toEqual([5, 6, 6, 7, 7, 8]);
  });

  it('--missing-only also skips the cells the dataset holds, when the run database does not know them', async () => {
    const dir = await study(
      'outputs: {z: {}, s: {dims: [t]}}\ncoords: {t: [0, 1]}\ncombos:\n  x: [1, 2]\n  y: [a]\n',
      `import fs from 'node:fs';
export default ({ x, y }) => {
  fs.appendFileSync(new URL('./calls', import.meta.url), \`\${x},\${y}\\n\`);
  return { z: x === 2 ? NaN : x, s: [x, x === 2 ? 5 : NaN] };
};
`,
    );
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    // The database is gone (a dataset copied from a colleague, say): the dataset alone says what is stored.
    for (const f of fs.readdirSync(dir)) if (f.startsWith('runs.sqlite')) fs.rmSync(path.join(dir, f));
    fs.rmSync(path.join(dir, 'calls'));
    const request = ['--combo', 'x=1,2,3', '--combo', 'y=a,b', '--missing-only', '--json'];
    const plan = await furrow(['run', dir, ...request, '--simulate']);
    expect(JSON.parse(plan.stdout)).toMatchObject({ cases: 6, would_run: 4, done_before: 2 });
    const run = await furrow(['run', dir, ...request]);
    expect(run.code).toBe(0);
    const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n').sort();
    expect(calls).toEqual(['1,b', '2,b', '3,a', '3,b']); // (2, a) has s but no z: stored all the same
  });

  it('--missing-only runs again the cases whose constants changed, once the old dataset is moved aside', async () => {
    const dir = await study(
      'outputs: {z: {}}\nconstants: {k: 3}\ncombos:\n  x: [1, 2]\n',
      `import fs from 'node:fs';
export default ({ x, k }) => { fs.appendFileSync(new URL('./calls', import.meta.url), \`\${x},\${k}\\n\`); return x * k; };
`,
    );
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    // A new value of k makes new cases: the old results stay aside, the run database keeps their record.
    fs.writeFileSync(
      path.join(dir, 'study.yaml'),
      'name: h\nmodel: {module: ./model.mjs}\noutputs: {z: {}}\nconstants: {k: 4}\ncombos:\n  x: [1, 2]\n',
    );
    fs.renameSync(path.join(dir, 'data', 'h.nc'), path.join(dir, 'h-k3.nc'));
    const plan = await furrow(['run', dir, '--missing-only', '--simulate', '--json']);
    expect(JSON.parse(plan.stdout)).toMatchObject({ cases: 2, would_run: 2, done_before: 0 });
    const run = await furrow(['run', dir, '--missing-only', '--json']);
    expect(summary(run.stdout)).toMatchObject({ done: 2, skipped: 0 });
    const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
    expect(calls).toEqual(['1,3', '2,3', '1,4', '2,4']);
    expect((await readSlice(path.join(dir, 'data', 'h.nc'), 'z', {})).values).toEqual([4, 8]);
  });

  it('--combo a=... means the values a already has in the dataset', async () => {
    const dir = await study(
      'outputs: {z: {}}\ncombos:\n  x: [1, 2]\n  y: [5]\n',
      'export default ({ x, y }) => x * y;\n',
    );
    const early = await furrow(['run', dir, '--combo', 'x=...', '--json']);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/--combo x=\.\.\.: .*h\.nc does not exist yet/);
    expect((await furrow(['run', dir, '--combo', 'x=1,4', '--json'])).code).toBe(0);
    const run = await furrow(['run', dir, '--combo', 'x=...', '--combo', 'y=6', '--json']);
    expect(summary(run.stdout)).toMatchObject({ cases: 2, done: 2 });
    const z = await readSlice(path.join(dir, 'data', 'h.nc'), 'z', {});
    expect(z.coords).toEqual({ x: [1, 4], y: [5, 6] });
    expect(z.values).toEqual([5, 6, 20, 24]);
  });

  it('a dataset that is not HDF5 any more: a clear error naming the newest backup, and nothing run', async () => {
    const dir = await study('outputs: {z: {}}\ncombos:\n  x: [1]\n', 'export default ({ x }) => String(x).length;\n');
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    expect((await furrow(['run', dir, '--combo', 'x=hello', '--json'])).code).toBe(0); // string coords: a rewrite
    const file = path.join(dir, 'data', 'h.nc');
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 300));
    const run = await furrow(['run', dir, '--combo', 'x=2', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/h\.nc: not a readable HDF5\/NetCDF4 file/);
    expect(run.stderr).toMatch(/newest backup of it is .*backups[/\\][^/\\]+[/\\]h\.nc/);
  });
});

describe('furrow dataset', () => {
  it('expand-dims turns a constant into a dim of length 1, so the next run can vary it', async () => {
    const dir = await study(
      'outputs: {z: {}}\nconstants: {k: 3}\ncombos:\n  x: [1, 2]\n',
      'export default ({ x, k }) => x * k;\n',
    );
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const file = path.join(dir, 'data', 'h.nc');
    const wrong = await furrow(['dataset', 'expand-dims', dir, 'k', '4']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/says k = 3 \(an attribute\)/);
    const expand = await furrow(['dataset', 'expand-dims', dir, 'k', '3']);
    expect(expand.code).toBe(0);
    expect(expand.stdout).toMatch(/dims now k\(1\), x\(2\)/);
    const info = await describeDataset(file);
    expect(info.attrs['k']).toBeUndefined();
    // The study now varies k, first, as the dataset has it; the new value is harvested next to the old one.
    fs.writeFileSync(
      path.join(dir, 'study.yaml'),
      'name: h\nmodel: {module: ./model.mjs}\noutputs: {z: {}}\ncombos:\n  k: [4]\n  x: [1, 2]\n',
    );
    const run = await furrow(['run', dir, '--json']);
    expect(summary(run.stdout)).toMatchObject({ done: 2, harvest: 'in place' });
    const z = await readSlice(file, 'z', {});
    expect(z.coords).toEqual({ k: [3, 4], x: [1, 2] });
    expect(z.values).toEqual([3, 6, 4, 8]);
  });

  it('drop removes coordinate values and their cells, after a backup; an unknown value changes nothing', async () => {
    const dir = await study(
      'outputs: {z: {}, s: {dims: [t]}}\ncoords: {t: [0, 1]}\ncombos:\n  x: [1, 2, 3]\n  y: [a, b]\n',
      'export default ({ x, y }) => ({ z: x, s: [x, y === "a" ? 0 : 1] });\n',
    );
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const file = path.join(dir, 'data', 'h.nc');
    const before = fs.readFileSync(file);
    const unknown = await furrow(['dataset', 'drop', dir, 'x=2,7']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/'x' has no value 7 in .*h\.nc \(it has 1, 2, 3\); nothing was changed/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const drop = await furrow(['dataset', 'drop', dir, 'x=2', '--json']);
    expect(drop.code).toBe(0);
    const { backup } = JSON.parse(drop.stdout) as { backup: string };
    expect(fs.readFileSync(path.join(backup, 'h.nc')).equals(before)).toBe(true);
    const s = await readSlice(file, 's', { y: 1 });
    expect(s.coords).toEqual({ x: [1, 3], t: [0, 1] });
    expect(s.values).toEqual([1, 1, 3, 1]);
    expect((await furrow(['dataset', 'drop', dir, 'y=a'])).code).toBe(0);
    expect((await readSlice(file, 'z', {})).values).toEqual([1, 3]);
  });
});

describe('a harvest killed at any moment', () => {
  it('leaves a dataset that opens and holds every round that completed (20 seeded trials)', async () => {
    const dir = await study(
      'outputs: {s: {dims: [t]}}\ncoords: {t: {range: [0, 2000]}}\ncombos:\n  x: [0]\n  y: {range: [0, 10]}\n',
      'export default ({ x, y }) => Float64Array.from({ length: 2000 }, (_, t) => x * 1e4 + y * 10 + t);\n',
    );
    const file = path.join(dir, 'data', 'h.nc');
    let seed = 4;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    expect((await furrow(['run', dir, '--combo', 'x=0', '--json'])).code).toBe(0); // kills then hit in-place writes
    const completed: number[] = [0];
    let interrupted = 0; // trials killed inside a write, leaving a journal to roll back
    let round = 0;
    const check = async () => {
      const info = await describeDataset(file); // opens: a cut-short change is rolled back first
      const xs = info.dims.find((d) => d.name === 'x')!.values as number[];
      for (const x of completed) {
        const at = xs.indexOf(x);
        expect(at, `round x=${x} lost`).toBeGreaterThanOrEqual(0);
        const slice = await readSlice(file, 's', { x: at, t: 1999 });
        expect(slice.values).toEqual(Array.from({ length: 10 }, (_, y) => x * 1e4 + y * 10 + 1999));
      }
    };
    for (let trial = 0; trial < 20; trial++) {
      const xs = [round * 2 + 1, round * 2 + 2];
      const args = [CLI, 'run', dir, '--combo', `x=${xs.join(',')}`, '--json'];
      let code: number | null;
      const before = fs.readFileSync(file);
      if (trial % 2 === 0) {
        // Half the trials kill it right after one of its first writes into the file (test/faults/fs-faults.mjs),
        // so a change cut short after it overwrote bytes is rolled back in every run of this test, not by chance.
        const nth = 1 + Math.floor(random() * 8);
        const fault = JSON.stringify({ file: 'h.nc', nth, action: 'kill-after' });
        const child = spawn(process.execPath, ['--import', FS_FAULTS, ...args], {
          stdio: 'ignore',
          env: { ...process.env, FURROW_FS_FAULT: fault },
        });
        code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
        expect(code, `killed after write ${nth}`).toBe(null);
        expect(fs.existsSync(`${file}.journal`), `killed after write ${nth}`).toBe(true);
      } else {
        // The others at a random moment of the run: before, inside or after its harvest.
        const child = spawn(process.execPath, args, { stdio: 'ignore' });
        const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
        setTimeout(() => child.kill('SIGKILL'), 300 + random() * 2500);
        code = await exited;
      }
      if (code === 0) completed.push(...xs);
      round++;
      if (fs.existsSync(`${file}.journal`)) interrupted++;
      await check();
      if (trial % 2 === 0)
        expect(fs.readFileSync(file).equals(before), `trial ${trial}: put back byte for byte`).toBe(true);
      expect(fs.existsSync(`${file}.journal`)).toBe(false);
    }
    console.log(
      `harvest kill trials: ${interrupted} of 20 killed inside a write, ${completed.length - 1} rounds completed`,
    );
    expect(interrupted).toBeGreaterThanOrEqual(10);
    expect(summary((await furrow(['run', dir, '--combo', 'x=0', '--json'])).stdout)).toMatchObject({ done: 10 });
  }, 240_000);
});

describe('a long run', () => {
  it('stores its results in rounds while it runs: a kill keeps every round, --missing-only runs the rest once', async () => {
    const dir = await study(
      'outputs: {z: {}}\ncombos:\n  x: {range: [0, 12]}\n  y: {range: [0, 5]}\n',
      'export default async ({ x, y }) => { await new Promise((r) => setTimeout(r, 40)); return 100 * x + y; };\n',
    );
    const file = path.join(dir, 'data', 'h.nc');
    const child = spawn(process.execPath, [CLI, 'run', dir, '--workers', '1', '--store-every', '0.3', '--json'], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // The first rounds land while the run goes on (60 cases at 40 ms each take more than 2 s): kill it then.
    const dbFile = path.join(dir, 'runs.sqlite');
    const doneRows = () => {
      if (!fs.existsSync(dbFile)) return 0;
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(`SELECT COUNT(*) FROM psets WHERE _status = 'done'`).pluck().get() as number;
      } finally {
        db.close();
      }
    };
    await expect.poll(doneRows, { timeout: 20_000, interval: 50 }).toBeGreaterThan(0);
    child.kill('SIGKILL');
    expect(await exited).toBe(null);

    // Every case the database calls done has its value in the dataset; the run had not finished.
    const db = new Database(dbFile, { readonly: true });
    const recorded = (db.prepare(`SELECT _params FROM psets WHERE _status = 'done'`).pluck().all() as string[]).map(
      (p) => JSON.parse(p) as { x: number; y: number },
    );
    db.close();
    const z = await readSlice(file, 'z', {});
    const at = (x: number, y: number) => z.values[(z.coords['x'] as number[]).indexOf(x) * 5 + y];
    for (const { x, y } of recorded) expect(at(x, y), `x=${x}, y=${y}`).toBe(100 * x + y);
    const inDataset = z.values.filter((v) => v !== null).length;
    expect(inDataset).toBeGreaterThanOrEqual(recorded.length);
    expect(inDataset).toBeLessThan(60);

    const rest = await furrow(['run', dir, '--missing-only', '--json']);
    expect(rest.code, rest.stderr).toBe(0);
    expect(summary(rest.stdout)).toMatchObject({ done: 60 - inDataset });
    const all = await readSlice(file, 'z', {});
    expect(all.values).toEqual(Array.from({ length: 60 }, (_, i) => 100 * Math.floor(i / 5) + (i % 5)));
    const again = new Database(dbFile, { readonly: true });
    const hashes = again.prepare(`SELECT _pset_hash FROM psets WHERE _status = 'done'`).pluck().all() as string[];
    again.close();
    expect(new Set(hashes).size).toBe(hashes.length); // no case recorded done twice
  }, 60_000);
});
