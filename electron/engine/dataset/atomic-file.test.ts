// Files written whole or not at all, and the temporary files of killed writers cleared away.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { copyAtomically, removeStaleTemporaries, temporaryOf, writeAtomically } from './atomic-file';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-atomic-'));
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('a file written whole', () => {
  it('is named after its writer while it is written, hidden or not', () => {
    const file = path.join('/s', 'data', 'd.nc');
    expect(temporaryOf(file)).toBe(`/s/data/d.nc.${os.hostname()}.${process.pid}.tmp`);
    expect(temporaryOf(file, true)).toBe(`/s/data/.d.nc.${os.hostname()}.${process.pid}.tmp`);
  });

  it('replaces the old one in one step, creating its folder, and leaves no temporary file', () => {
    const dir = tmp();
    const file = path.join(dir, 'new', 'plots.yaml');
    writeAtomically(file, 'a: 1\n');
    writeAtomically(file, 'a: 2\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('a: 2\n');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['plots.yaml']);
  });

  it('that cannot be written leaves the old one and no temporary file, and says so', () => {
    const dir = tmp();
    const file = path.join(dir, 'plots.yaml');
    fs.writeFileSync(file, 'old');
    fs.mkdirSync(temporaryOf(file)); // the temporary file cannot be written
    expect(() => writeAtomically(file, 'new')).toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
  });

  it('on a full disk (/dev/full) leaves the old file and no temporary file, and says so', () => {
    const dir = tmp();
    const file = path.join(dir, 'plots.yaml');
    fs.writeFileSync(file, 'old');
    fs.symlinkSync('/dev/full', temporaryOf(file));
    const error = (() => {
      try {
        writeAtomically(file, 'new');
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(
      new RegExp(`^cannot write ${file}: the disk is full.*\\. plots\\.yaml is as it was before$`),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['plots.yaml']);
  });

  it('is copied whole, or no copy is made', () => {
    const dir = tmp();
    const from = path.join(dir, 'd.nc');
    fs.writeFileSync(from, 'bytes');
    const to = path.join(dir, 'backups', 'b1', 'd.nc');
    copyAtomically(from, to);
    expect(fs.readFileSync(to, 'utf8')).toBe('bytes');
    expect(fs.readdirSync(path.dirname(to))).toEqual(['d.nc']);
    const missing = path.join(dir, 'backups', 'b2', 'd.nc');
    expect(() => copyAtomically(path.join(dir, 'gone.nc'), missing)).toThrow();
    expect(fs.readdirSync(path.dirname(missing))).toEqual([]);
  });

  it('cut short by a full disk leaves no copy and no temporary file, and says the original is unchanged', () => {
    const dir = tmp();
    const from = path.join(dir, 'd.nc');
    fs.writeFileSync(from, 'bytes');
    const to = path.join(dir, 'backups', 'd.nc');
    // The disk fills up half way through the copy: half of it is on disk, then ENOSPC (as test/faults/ does it).
    const copy = vi.spyOn(fs, 'copyFileSync').mockImplementation((_src, dest) => {
      fs.writeFileSync(dest as string, 'by');
      throw Object.assign(new Error('ENOSPC: no space left on device, copyfile'), { code: 'ENOSPC' });
    });
    let error: unknown;
    try {
      copyAtomically(from, to);
    } catch (e) {
      error = e;
    } finally {
      copy.mockRestore();
    }
    expect((error as Error).message).toMatch(
      new RegExp(
        `^cannot write ${to}: the disk is full \\(.* free there\\)\\. No copy of ${from} was made, and it is unchanged$`,
      ),
    );
    expect(fs.readdirSync(path.dirname(to))).toEqual([]);
    expect(fs.readFileSync(from, 'utf8')).toBe('bytes');
  });
});

describe('temporary files left behind', () => {
  it('are removed when their writer on this host is gone, and kept while it may still write', () => {
    const dir = tmp();
    const file = path.join(dir, 'd.nc');
    const host = os.hostname();
    const dead = deadPid();
    const names = {
      gone: `d.nc.${host}.${dead}.tmp`,
      goneHidden: `.d.nc.${host}.${dead}.tmp`,
      beforeHosts: `d.nc.${dead}.tmp`,
      mine: `d.nc.${host}.${process.pid}.tmp`,
      alive: `d.nc.${host}.${process.ppid}.tmp`,
      otherHost: `d.nc.elsewhere.${dead}.tmp`,
      otherFile: `e.nc.${host}.${dead}.tmp`,
      prefixed: `xd.nc.${host}.${dead}.tmp`,
      notTmp: `d.nc.${host}.${dead}.tmp.keep`,
      // The name is matched as written, not as a pattern: `d.nc` does not match `dxnc`.
      pattern: `dxnc.${host}.${dead}.tmp`,
    };
    for (const name of Object.values(names)) fs.writeFileSync(path.join(dir, name), '');
    const removed = removeStaleTemporaries(file);
    expect(removed.sort()).toEqual(
      [names.goneHidden, names.beforeHosts, names.gone].map((n) => path.join(dir, n)).sort(),
    );
    expect(fs.readdirSync(dir).sort()).toEqual(
      [names.mine, names.alive, names.otherHost, names.otherFile, names.prefixed, names.notTmp, names.pattern].sort(),
    );
    expect(removeStaleTemporaries(path.join(dir, 'missing', 'd.nc'))).toEqual([]);
  });
});
