// System tools some tests need (Debian's Chromium, Debian's xarray, a local SLURM, poppler's PDF tools). Missing here: the tests skip with a
// visible message. Missing under CI=true: they fail, because CI must run everything.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const SYSTEM_PYTHON = '/usr/bin/python3';
/** The local one-node SLURM of test/slurm/start.sh (or another, named by SLURM_CONF). */
export const SLURM_CONF = process.env['SLURM_CONF'] ?? '/tmp/furrow-slurm/slurm.conf';

/** A small disk of its own (a tmpfs), for filling up: mounting one needs root. */
export function mountSmallDisk(dir: string, kib: number): { ok: boolean; why: string } {
  fs.mkdirSync(dir, { recursive: true });
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { encoding: 'utf8' });
  return { ok: mount.status === 0, why: (mount.stderr || mount.error?.message || '').trim() };
}

export function unmountSmallDisk(dir: string): void {
  spawnSync('umount', ['-l', dir]);
  fs.rmSync(dir, { recursive: true, force: true });
}

function available(name: string): { ok: boolean; why: string } {
  if (name === 'tmpfs') {
    if (process.getuid?.() !== 0) return { ok: false, why: 'mounting a small disk (tmpfs) needs root' };
    const probe = `/tmp/furrow-tmpfs-probe-${process.pid}`;
    const mounted = mountSmallDisk(probe, 64);
    if (mounted.ok) unmountSmallDisk(probe);
    return { ok: mounted.ok, why: `cannot mount a tmpfs: ${mounted.why}` };
  }
  if (name === 'slurm') {
    const probe = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', env: { ...process.env, SLURM_CONF } });
    return {
      ok: probe.status === 0 && /idle|mixed|allocated/.test(probe.stdout),
      why: `no local SLURM answers (start one with \`eval "$(test/slurm/start.sh)"\`): ${(probe.stderr || probe.error?.message || probe.stdout).trim().split('\n').pop()}`,
    };
  }
  if (name === 'chromium')
    return { ok: fs.existsSync(CHROMIUM), why: `${CHROMIUM} is missing (apt-get install chromium)` };
  if (name === 'poppler') {
    const probe = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
    const ok = probe.status === 0 && fs.existsSync(CHROMIUM);
    return { ok, why: 'pdftotext or Chromium is missing (apt-get install poppler-utils chromium)' };
  }
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import xarray, h5netcdf, netCDF4'], { encoding: 'utf8' });
  return {
    ok: probe.status === 0,
    why: `Debian's xarray is missing (apt-get install python3-xarray python3-h5netcdf python3-netcdf4): ${(probe.stderr ?? probe.error?.message ?? '').trim().split('\n').pop()}`,
  };
}

/** `describe` that needs a system tool: runs, skips with a message, or (CI=true) fails. */
export function describeWith(
  tool: 'chromium' | 'xarray' | 'slurm' | 'poppler' | 'tmpfs',
  title: string,
  body: () => void,
): void {
  const { ok, why } = available(tool);
  if (ok) {
    describe(title, body);
    return;
  }
  if (process.env['CI'] === 'true') {
    describe(title, () => {
      it(`needs ${tool}`, () => {
        throw new Error(`CI must run this: ${why}`);
      });
    });
    return;
  }
  console.warn(`\n[skipped] ${title}: ${why}\n`);
  describe.skip(title, body);
}

/** Run Python code with Debian's xarray (the `args` as sys.argv[1:]); its stdout, parsed as JSON. */
export function python(code: string, ...args: string[]): unknown {
  const run = spawnSync(SYSTEM_PYTHON, ['-c', code, ...args], { encoding: 'utf8' });
  if (run.status !== 0 || run.stderr) throw new Error(`python failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** `pdffonts` lists only fonts embedded in the file (a journal's preflight refuses any other). */
export function expectEmbeddedFonts(file: string): void {
  const lines = spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout.trim().split('\n').slice(2);
  expect(lines.length, file).toBeGreaterThan(0);
  // name, type, encoding, then emb sub uni: "yes" under emb for every font.
  for (const line of lines) expect(line, `${file}: ${line}`).toMatch(/\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/);
}
