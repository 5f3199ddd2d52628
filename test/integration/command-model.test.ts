// Command models: real programs, one per case, in their case folders.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { furrow, isAlive, tempDir } from '../helpers/furrow';
import { describeWith, SYSTEM_PYTHON } from '../helpers/tools';

function study(yaml: string, files: Record<string, string> = {}): string {
  const dir = path.join(tempDir(), 'cmd');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'study.yaml'), yaml);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
const node = JSON.stringify(process.execPath);

describe('command models', () => {
  it('run a Python program per case, in its own folder, with its parameters passed exactly as given', async () => {
    const dir = study(
      `name: py
model:
  command: [python3, ./sim.py, --a, "{a}", --label, "{label}"]
outputs:
  total: {}
  echo: {}
  series: {dims: [t]}
coords: {t: [0, 1, 2]}
combos:
  a: [1, 2]
  label: ["plain", "with space", "quote's \\"double\\"", "semi;colon", "$(touch pwned)", "../up", "new\\nline"]
`,
      {
        'sim.py': `import argparse, json, os
p = argparse.ArgumentParser(); p.add_argument('--a', type=int); p.add_argument('--label')
args = p.parse_args()
env = json.loads(os.environ['FURROW_PARAMS'])
assert env['label'] == args.label and os.getcwd() == os.environ['FURROW_CASE_DIR']
print('progress: starting')
print(json.dumps({"total": args.a * 100 + len(args.label), "echo": args.label, "series": [args.a, 2 * args.a, 3 * args.a]}))
`,
      },
    );
    const run = await furrow(['run', dir, '--json', '--workers', '2']);
    expect(run.stderr).toBe('');
    expect(lastJson(run.stdout)).toMatchObject({ cases: 14, done: 14, failed: 0 });
    const echo = await readSlice(path.join(dir, 'data', 'py.nc'), 'echo', { a: 0 });
    expect(echo.values).toEqual([
      'plain',
      'with space',
      'quote\'s "double"',
      'semi;colon',
      '$(touch pwned)',
      '../up',
      'new\nline',
    ]);
    expect(fs.existsSync(path.join(dir, 'pwned'))).toBe(false);
    const series = await readSlice(path.join(dir, 'data', 'py.nc'), 'series', { a: 1, label: 0 });
    expect(series.values).toEqual([2, 4, 6]);
    // Each case has its folder with params.json and its logs; the database points at it.
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as {
      _calc_dir: string;
      _pset_id: string;
    }[];
    expect(rows).toHaveLength(14);
    const caseDir = path.join(dir, rows[0]!._calc_dir);
    expect(rows[0]!._calc_dir).toBe(path.join('cases', rows[0]!._pset_id));
    expect(fs.readdirSync(caseDir).sort()).toEqual(['params.json', 'stderr.log', 'stdout.log']);
    expect(fs.readFileSync(path.join(caseDir, 'stdout.log'), 'utf8')).toMatch(/^progress: starting\n\{/);
  });

  it('read outputs.json when stdout ends without JSON', async () => {
    const dir = study(
      'name: o\nmodel: {command: [' + node + ', ./run.mjs, "{x}"]}\noutputs: {y: {}}\ncombos: {x: [1, 2]}\n',
      {
        'run.mjs':
          "import fs from 'node:fs';\nfs.writeFileSync('outputs.json', JSON.stringify({ y: Number(process.argv[2]) * 3 }));\nconsole.log('done');\n",
      },
    );
    const run = await furrow(['run', dir, '--json']);
    expect(lastJson(run.stdout)).toMatchObject({ done: 2 });
    expect((await readSlice(path.join(dir, 'data', 'o.nc'), 'y', {})).values).toEqual([3, 6]);
  });

  it('fail only the cases that exit non-zero, print no JSON or garbage, or sleep past the timeout', async () => {
    const dir = study(
      'name: f\nmodel: {command: [' +
        node +
        ', ./run.mjs, "{mode}"], timeout: 4}\noutputs: {y: {}}\ncombos: {mode: [ok, exit, nojson, garbage, sleep, ok2]}\n',
      {
        'run.mjs': `const mode = process.argv[2];
if (mode === 'exit') { console.error('Traceback: something broke'); process.exit(3); }
if (mode === 'nojson') console.log('all fine, no numbers');
else if (mode === 'garbage') process.stdout.write(Buffer.from([0x7b, 0xff, 0xfe, 0x0a]));
else if (mode === 'sleep') setTimeout(() => console.log('{"y": 0}'), 60_000);
else console.log(JSON.stringify({ y: mode.length }));
`,
      },
    );
    const run = await furrow(['run', dir, '--json', '--workers', '3']);
    expect(run.code).toBe(1);
    expect(lastJson(run.stdout)).toMatchObject({ cases: 6, done: 2, failed: 4 });
    expect(run.stderr).toMatch(/case mode=exit failed: the command exited with code 3/);
    expect(run.stderr).toMatch(
      /case mode=nojson failed: the command printed no JSON object on its last line \(it printed "all fine, no numbers"\)/,
    );
    expect(run.stderr).toMatch(/case mode=garbage failed: the last line of the command.s output is not valid UTF-8/);
    // The timeout leaves room for a Node process to start on a busy machine (two cores, tests in parallel).
    expect(run.stderr).toMatch(/case mode=sleep failed: timed out after 4 s/);
    const failed = JSON.parse((await furrow(['db', dir, '--format', 'json', '--where', "mode = 'exit'"])).stdout) as {
      _error: string;
    }[];
    expect(failed[0]!._error).toMatch(/exited with code 3\nTraceback: something broke/);
    // Without --json, the run ends by saying where the failed cases' logs are.
    const again = await furrow(['run', dir, '--retry-failed', '--workers', '3']);
    expect(again.stdout).toMatch(/0 of 6 cases done, 4 failed, 2 not run/);
    expect(again.stdout).toContain(`their logs (stdout.log, stderr.log) are in:\n  ${path.join(dir, 'cases')}`);
  });

  it('kill the children a command leaves behind', async () => {
    const pidFile = path.join(tempDir(), 'child.pid');
    const dir = study('name: c\nmodel: {command: [' + node + ', ./run.mjs]}\noutputs: {y: {}}\ncombos: {x: [1]}\n', {
      'run.mjs': `import { spawn } from 'node:child_process';
import fs from 'node:fs';
const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
fs.writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));
child.unref();
console.log('{"y": 1}');
`,
    });
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await expect.poll(() => isAlive(pid)).toBe(false);
  });

  it('finish a command that exits with its output while a child it left keeps the pipes open', async () => {
    const dir = study(
      'name: b\nmodel: {command: [sh, -c, \'sleep 30 & echo "{\\"y\\": {x}}"\'], timeout: 5}\noutputs: {y: {}}\ncombos: {x: [1, 2]}\n',
    );
    const started = Date.now();
    const run = await furrow(['run', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(lastJson(run.stdout)).toMatchObject({ done: 2, failed: 0 });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuse a placeholder that names no parameter, before running anything', async () => {
    const dir = study('name: p\nmodel:\n  command: [echo, "{a}", "{typo}"]\noutputs: {y: {}}\ncombos: {a: [1]}\n');
    const run = await furrow(['run', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/study\.yaml:3: model\.command\.2: \{typo\} names no parameter, constant or resource/);
    expect(fs.existsSync(path.join(dir, 'runs.sqlite'))).toBe(false);
  });
});

describeWith('xarray', 'command models writing HDF5', () => {
  it('read outputs from the HDF5 file a shell command writes', async () => {
    const dir = study(
      `name: h5
model:
  command: [sh, -c, '${SYSTEM_PYTHON} -c "import h5py, numpy as np; f = h5py.File(\\"data.h5\\", \\"w\\"); f[\\"x\\"] = np.arange(4) * {k}; f[\\"m\\"] = float({k}) / 2"']
outputs:
  x: {dims: [i], file: data.h5, path: /x}
  m: {file: data.h5, path: /m}
combos: {k: [1, 3]}
`,
    );
    const run = await furrow(['run', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(lastJson(run.stdout)).toMatchObject({ done: 2 });
    expect((await readSlice(path.join(dir, 'data', 'h5.nc'), 'x', { k: 1 })).values).toEqual([0, 3, 6, 9]);
    expect((await readSlice(path.join(dir, 'data', 'h5.nc'), 'm', {})).values).toEqual([0.5, 1.5]);
  });
});
