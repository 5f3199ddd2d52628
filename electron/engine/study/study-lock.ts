// One writer per study: a run holds <study>/.furrow.lock, which says who holds it (pid, host, since when, what).
// A second writer is told who; a lock whose process is gone (same host, dead pid) is taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asDiskError } from '../dataset/disk';
import { FurrowError } from '../errors';

export const LOCK_FILE = '.furrow.lock';

export interface Holder {
  pid: number;
  host: string;
  since: string;
  what: string;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(file: string): Holder | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
  } catch {
    return null; // half-written or gone: treated as stale
  }
}

/** The study's lock as it is: none, or its holder and whether that process is still there (null: on another host). */
export function lockState(studyDir: string): { holder: Holder; alive: boolean | null } | null {
  const holder = read(path.join(studyDir, LOCK_FILE));
  if (!holder) return null;
  return { holder, alive: holder.host === os.hostname() ? isProcessAlive(holder.pid) : null };
}

/** Who holds the study's lock now, if a live process on this host (or any process on another host) does. */
export function lockHolder(studyDir: string): Holder | null {
  const holder = read(path.join(studyDir, LOCK_FILE));
  if (!holder) return null;
  return holder.host !== os.hostname() || isProcessAlive(holder.pid) ? holder : null;
}

/** Take the study's lock, or say who holds it. Returns the function that releases it. */
export function lockStudy(studyDir: string, what: string): () => void {
  const file = path.join(studyDir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), what };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      return () => {
        if (read(file)?.pid === me.pid) fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        fs.rmSync(file, { force: true }); // created, then left empty by a full disk
        throw asDiskError(error, file, 'Nothing was changed');
      }
    }
    const holder = read(file);
    const stale = holder === null || (holder.host === me.host && !isProcessAlive(holder.pid));
    if (!stale) {
      throw new FurrowError(
        'busy',
        `${studyDir} is being written by ${holder.what} (pid ${holder.pid} on ${holder.host}, since ${holder.since}); wait for it to finish or stop it. If that process is gone, delete ${file}`,
      );
    }
    fs.rmSync(file, { force: true }); // its holder is gone: take it over
  }
  throw new FurrowError('busy', `could not take ${file}; another process keeps taking it`);
}
