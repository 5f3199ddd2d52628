// Faults around `furrow run`: races at the timeout, a model that never loads, Ctrl-C, bad --combo values.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { CLI, exampleStudy, furrow, isAlive, tempDir } from '../helpers/furrow';

const FOO_YAML = fs.readFileSync(path.resolve('assets/examples/foo/study.yaml'), 'utf8');

describe('furrow run under faults', () => {
  it('survives cases finishing right at their timeout: every case is counted once, nothing crashes', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: FOO_YAML.replace('timeout: 60', 'timeout: 0.05'),
      model: `export default function foo({ a, b, c }) {
  const until = Date.now() + 45 + (c % 7);
  while (Date.now() < until) {}
  return [a + b + c, a * b * c];
}
`,
    });
    const run = await furrow(['run', dir, '--json', '--workers', '4']);
    expect([0, 1]).toContain(run.code);
    const summary = JSON.parse(run.stdout.trim()) as { cases: number; done: number; failed: number; skipped: number };
    expect(summary.cases).toBe(36);
    expect(summary.done + summary.failed).toBe(36);
    expect(summary.skipped).toBe(0);
    expect(run.stderr).not.toMatch(/internal error|EPIPE/);
  });

  it('fails the run, naming the module, when the model never finishes loading', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: FOO_YAML.replace('timeout: 60', 'timeout: 60\n  load_timeout: 1'),
      model: 'await new Promise(() => {});\nexport default () => [1, 2];\n',
    });
    const run = await furrow(['run', dir, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/model\.mjs took longer than 1 s to load \(model\.load_timeout\)/);
  });

  it('stops every worker at once on Ctrl-C and leaves the dataset as it was', async () => {
    const pids = path.join(await exampleStudy('foo'), '..', 'pids');
    const dir = await exampleStudy('foo', {
      model: `import fs from 'node:fs';
fs.appendFileSync(${JSON.stringify(pids)}, process.pid + '\\n');
export default async function foo({ a, b, c }) {
  await new Promise((r) => setTimeout(r, 200));
  return [a + b + c, a * b * c];
}
`,
    });
    expect((await furrow(['run', dir, '--combo', 'a=1', '--combo', 'b=10', '--combo', 'c=100', '--json'])).code).toBe(
      0,
    );
    fs.writeFileSync(pids, '');

    const child = spawn(process.execPath, [CLI, 'run', dir, '--missing-only', '--workers', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await expect
      .poll(() => fs.readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).length, { timeout: 10_000 })
      .toBe(2);
    const started = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toMatchObject({ code: 130 });
    expect(Date.now() - started).toBeLessThan(3000);
    const [, finished, done] =
      /run cancelled: (\d+) of 35 cases had finished; the (\d+) done are in the dataset/.exec(stderr) ?? [];
    expect(Number(finished)).toBeGreaterThanOrEqual(0);
    const workers = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    await expect.poll(() => workers.filter(isAlive), { timeout: 2000 }).toEqual([]);
    // Nothing finished is lost: the database records them, and --missing-only runs exactly the rest.
    const rest = await furrow(['run', dir, '--missing-only', '--json']);
    expect(JSON.parse(rest.stdout)).toMatchObject({
      cases: 36,
      done: 36 - 1 - Number(done),
      skipped: 1 + Number(done),
    });
    const db = JSON.parse(
      (await furrow(['db', dir, '--format', 'json', '--where', "_status = 'done'"])).stdout,
    ) as unknown[];
    expect(db).toHaveLength(36); // each case done exactly once over the three runs
    const full = await readSlice(path.join(dir, 'data', 'foo.nc'), 'b_out', {});
    expect(full.values.filter((v) => v === null)).toHaveLength(0);
  });

  it('blames --combo, not study.yaml, for a bad command-line value', async () => {
    const dir = await exampleStudy('foo');
    const run = await furrow(['run', dir, '--combo', 'a=1,2,1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^furrow: --combo a: combo 'a' lists the value 1 twice/);
    expect(run.stderr).not.toMatch(/study\.yaml/);
  });
});

describe('closing the terminal (SIGHUP) during a run of a command model', () => {
  it('stops the commands and everything they started, and records the rest as cancelled', async () => {
    const pids = path.join(tempDir(), 'pids');
    fs.writeFileSync(pids, '');
    const dir = path.join(tempDir(), 'hup');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'study.yaml'),
      `name: hup\nmodel: {command: [sh, -c, 'echo $$ >> ${pids}; sleep 60 & echo $! >> ${pids}; wait']}\noutputs: {y: {}}\ncombos: {i: [1, 2, 3, 4]}\n`,
    );
    const child = spawn(process.execPath, [CLI, 'run', dir, '--workers', '2'], { stdio: 'ignore' });
    await expect
      .poll(() => fs.readFileSync(pids, 'utf8').trim().split('\n').filter(Boolean).length, { timeout: 10_000 })
      .toBe(4);
    child.kill('SIGHUP');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(130);
    const started = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    await expect.poll(() => started.filter(isAlive), { timeout: 3000 }).toEqual([]);
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as { _status: string }[];
    expect(rows.map((r) => r._status).sort()).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
  });
});
