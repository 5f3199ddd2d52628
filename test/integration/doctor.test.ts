// `furrow doctor [<study>]`: each line ok or what to do, exit 0 when all that the study needs is there. Real
// files damaged as a disk or a person would damage them, a real process holding the lock, a real PATH without the
// cluster's commands, a real SLURM where test/slurm/start.sh runs one, a real small disk where tmpfs can be mounted.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleStudy, furrow, tempDir } from '../helpers/furrow';
import { describeWith, mountSmallDisk, SLURM_CONF, unmountSmallDisk } from '../helpers/tools';

interface Line {
  check: string;
  state: 'ok' | 'warning' | 'error';
  found: string;
  fix: string | null;
}
interface Report {
  study: string | null;
  ready: boolean;
  lines: Line[];
}

async function doctor(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; report: Report }> {
  const r = await furrow(['doctor', ...args, '--json'], env ? { env } : {});
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}
const lineOf = (report: Report, check: string) => report.lines.find((l) => l.check === check)!;

/** A study run once: it has a run database and a dataset. */
async function ranStudy(): Promise<string> {
  const dir = await exampleStudy('foo');
  expect((await furrow(['run', dir, '-q'])).code).toBe(0);
  return dir;
}

describe('furrow doctor', () => {
  it('a study run once: every line ok, exit 0; the text says so a line each', async () => {
    const dir = await ranStudy();
    const { code, report } = await doctor([dir]);
    expect(code).toBe(0);
    expect(report.ready).toBe(true);
    expect(report.study).toBe(dir);
    for (const check of ['Node', 'build', 'study', 'study lock', 'run database', 'dataset'])
      expect(lineOf(report, check), check).toMatchObject({ state: 'ok', fix: null });
    expect(lineOf(report, 'run database').found).toMatch(/quick_check ok/);
    expect(lineOf(report, 'dataset').found).toMatch(/opens: a\(3\), b\(3\), c\(4\); 2 variables/);
    expect(lineOf(report, 'disk space').found).toMatch(/free in/);
    const text = await furrow(['doctor', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ok +study lock +free: no run is writing the study$/m);
    expect(text.stdout).toMatch(/all that the study needs is here\n$/);
  }, 60_000);

  it('a damaged run database or dataset: FAIL with what to do, exit 1; nothing is changed', async () => {
    const dir = await ranStudy();
    const db = path.join(dir, 'runs.sqlite');
    fs.writeFileSync(db, 'SQLite format 3\0 but the rest is gone');
    const dataset = path.join(dir, 'data', 'foo.nc');
    fs.truncateSync(dataset, 2000);
    const before = [fs.readFileSync(db), fs.readFileSync(dataset)];
    const { code, report } = await doctor([dir]);
    expect(code).toBe(1);
    expect(report.ready).toBe(false);
    expect(lineOf(report, 'run database')).toMatchObject({
      state: 'error',
      fix: expect.stringMatching(/move it aside/),
    });
    expect(lineOf(report, 'dataset')).toMatchObject({ state: 'error', fix: expect.stringMatching(/backups/) });
    expect([fs.readFileSync(db), fs.readFileSync(dataset)]).toEqual(before);
    const text = await furrow(['doctor', dir, '-q']);
    // --quiet leaves the lines that need doing.
    expect(
      text.stdout
        .trim()
        .split('\n')
        .filter((l) => /^FAIL/.test(l))
        .map((l) => l.split(/ {2,}/)[1]),
    ).toEqual(['run database', 'dataset']);
    expect(text.stdout).not.toMatch(/^ok/m);
  }, 60_000);

  it('the lock: held by a live process (said, with who), or left by one that is gone (taken over)', async () => {
    const dir = await exampleStudy('foo');
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const lock = { pid: holder.pid, host: os.hostname(), since: new Date().toISOString(), what: 'furrow run' };
      fs.writeFileSync(path.join(dir, '.furrow.lock'), JSON.stringify(lock));
      const held = await doctor([dir]);
      expect(lineOf(held.report, 'study lock')).toMatchObject({
        state: 'warning',
        found: expect.stringMatching(new RegExp(`held by furrow run \\(pid ${holder.pid} .*which is running`)),
      });
      expect(held.code).toBe(0);
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
      const gone = await doctor([dir]);
      expect(lineOf(gone.report, 'study lock')).toMatchObject({
        state: 'ok',
        found: expect.stringMatching(/which is gone/),
      });
    } finally {
      holder.kill('SIGKILL');
    }
  }, 60_000);

  it('Chromium: needed by a study with plots.yaml (FAIL, exit 1), a warning without one', async () => {
    const dir = await exampleStudy('foo');
    const env = { ...process.env, FURROW_CHROMIUM: '/nowhere/chromium' };
    const without = await doctor([dir], env);
    expect(lineOf(without.report, 'Chromium (export)')).toMatchObject({ state: 'warning' });
    expect(without.code).toBe(0);
    fs.writeFileSync(path.join(dir, 'plots.yaml'), 'energy:\n  kind: line\n  x: a\n  y: a_out\n');
    const needed = await doctor([dir], env);
    expect(lineOf(needed.report, 'Chromium (export)')).toMatchObject({
      state: 'error',
      found: 'Chromium: /nowhere/chromium does not exist',
      fix: expect.stringMatching(/apt-get install chromium/),
    });
    expect(needed.code).toBe(1);
  }, 60_000);

  it("cluster commands: none here is fine, unless the study's crops were submitted to that scheduler", async () => {
    const dir = await exampleStudy('foo');
    // A PATH with node only: no sbatch, qsub or pdftotext.
    const bin = tempDir('furrow-path-');
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const env = { ...process.env, PATH: bin };
    const none = await doctor([dir], env);
    expect(lineOf(none.report, 'cluster')).toMatchObject({
      state: 'ok',
      found: expect.stringMatching(/no SLURM, PBS or SGE/),
    });
    expect(lineOf(none.report, 'poppler (optional)').state).toBe('warning');
    expect(none.code).toBe(0);
    expect((await furrow(['crop', 'sow', dir, '--name', 'k', '--batches', '2'])).code).toBe(0);
    const crop = path.join(dir, 'crops', 'k', 'crop.json');
    const json = JSON.parse(fs.readFileSync(crop, 'utf8')) as { jobs: unknown[] };
    json.jobs.push({
      scheduler: 'slurm',
      job_id: '42',
      batches: [1, 2],
      script: 'x.sh',
      submitted_utc: new Date().toISOString(),
    });
    fs.writeFileSync(crop, JSON.stringify(json));
    const needed = await doctor([dir], env);
    expect(lineOf(needed.report, 'SLURM')).toMatchObject({
      state: 'error',
      found: expect.stringMatching(/sbatch.* not found/),
    });
    expect(needed.code).toBe(1);
  }, 60_000);

  it('without a study: this machine only, exit 0', async () => {
    const { code, report } = await doctor([]);
    expect(code).toBe(0);
    expect(report.study).toBeNull();
    expect(report.lines.map((l) => l.check)).not.toContain('study lock');
  });
});

describeWith('slurm', 'furrow doctor and a real SLURM', () => {
  it('says SLURM answers when its controller runs, and what to do when it cannot be reached', async () => {
    const up = await doctor([], { ...process.env, SLURM_CONF });
    expect(lineOf(up.report, 'SLURM')).toMatchObject({ state: 'ok', found: expect.stringMatching(/sinfo answers/) });
    const conf = path.join(tempDir(), 'slurm.conf');
    fs.writeFileSync(
      conf,
      fs.readFileSync(SLURM_CONF, 'utf8').replace(/^SlurmctldHost=.*$/m, 'SlurmctldHost=nowhere.invalid'),
    );
    const down = await doctor([], { ...process.env, SLURM_CONF: conf });
    expect(lineOf(down.report, 'SLURM')).toMatchObject({
      state: 'warning',
      fix: expect.stringMatching(/check that the SLURM controller runs/),
    });
  }, 60_000);
});

describeWith('tmpfs', 'furrow doctor on a full disk', () => {
  it('FAIL when the disk has less room than the dataset needs to be written anew, exit 1', async () => {
    const dir = await ranStudy();
    const disk = path.join(tempDir(), 'small');
    const mounted = mountSmallDisk(disk, 20 * 1024);
    expect(mounted.ok, mounted.why).toBe(true);
    try {
      fs.cpSync(dir, path.join(disk, 'foo'), { recursive: true });
      const { code, report } = await doctor([path.join(disk, 'foo')]);
      expect(lineOf(report, 'disk space')).toMatchObject({
        state: 'error',
        fix: expect.stringMatching(/^free at least/),
      });
      expect(code).toBe(1);
    } finally {
      unmountSmallDisk(disk);
    }
  }, 60_000);
});
