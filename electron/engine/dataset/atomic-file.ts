// Files written whole or not at all: a reader (or a crash) never sees half of one. Each is written to a temporary
// file beside it, named after its writer (host and pid), then renamed over it. A writer killed before the rename
// leaves its temporary file behind; the next writer of the same file removes it once that writer is known to be
// gone, so a killed write never keeps a disk full.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asDiskError } from './disk';
import { isProcessAlive } from '../study/study-lock';

/** The temporary file this process writes `file` through: hidden (`.name.host.pid.tmp`) or not. */
export function temporaryOf(file: string, hidden = false): string {
  const name = `${path.basename(file)}.${os.hostname()}.${process.pid}.tmp`;
  return path.join(path.dirname(file), hidden ? `.${name}` : name);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Remove the temporary files of `file` left by writers that are gone: on this host with a dead pid (or written
 * before the host was part of the name). A temporary file of a writer on another host may still be written.
 * Returns the files removed.
 */
export function removeStaleTemporaries(file: string): string[] {
  const dir = path.dirname(file);
  const pattern = new RegExp(`^\\.?${escape(path.basename(file))}\\.(?:(.+)\\.)?(\\d+)\\.tmp$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const [, host, pid] = match;
    if (host !== undefined && host !== os.hostname()) continue;
    if (Number(pid) === process.pid || isProcessAlive(Number(pid))) continue; // a write going on now
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(path.join(dir, name));
  }
  return removed;
}

/** Write a file through a temporary file beside it, then a rename over the old one. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  removeStaleTemporaries(file);
  const tmp = temporaryOf(file);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (error) {
    throw asDiskError(error, file, `${path.basename(file)} is as it was before`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Copy `from` to `to` whole or not at all (a backup cut short by a full disk must not pass for a backup). */
export function copyAtomically(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const tmp = temporaryOf(to, true);
  try {
    fs.copyFileSync(from, tmp);
    fs.renameSync(tmp, to);
  } catch (error) {
    throw asDiskError(error, to, `No copy of ${from} was made, and it is unchanged`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
