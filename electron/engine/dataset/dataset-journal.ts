// Changing an HDF5 file in place without ever leaving it half-changed: a rollback journal, SQLite's idea.
// HDF5 itself has no transactions: a process killed while h5wasm writes can leave a file that does not open.
// So while a change runs, every byte range of the file that h5wasm is about to overwrite, and that the file held
// when the change began, is first appended to `<file>.journal` together with its position. A change that
// completes flushes the file and deletes the journal. A change cut short leaves the journal behind, and the next
// process to open the file copies the saved bytes back and truncates the file to its old size: the file is again
// exactly what it was before the change. The cost is the bytes overwritten (a harvest's new cells and some
// metadata), never the size of the file.
//
// h5wasm reads and writes files through Node's `fs` (Emscripten's NODERAWFS), so the journal watches the file's
// descriptors by wrapping fs.openSync / writeSync / ftruncateSync for the length of one change (Node's own
// fs.truncateSync opens the file and calls fs.ftruncateSync through these). The wrapping is scoped: it is undone when
// the change ends, and it touches only descriptors of this file.
//
// A kill of the process (what the fault tests do) is covered in full: the journal's record is written before the
// bytes it protects. A power cut is covered as far as the operating system wrote the journal out; the journal is
// synced when it starts and the file when the change commits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asDiskError } from './disk';
import { FurrowError } from '../errors';
import { isProcessAlive } from '../study/study-lock';

const MAGIC = Buffer.from('FURROWJ1');

interface Header {
  pid: number;
  host: string;
  /** The file's size when the change began. */
  size: number;
  since: string;
}

export function journalOf(file: string): string {
  return `${file}.journal`;
}

/** The journal's header, or nothing when the journal was cut short while it was started (its JSON then ends early). */
function readHeader(journal: Buffer): { header: Header; recordsAt: number } | undefined {
  if (!journal.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  try {
    const recordsAt = MAGIC.length + 4 + journal.readUInt32LE(MAGIC.length);
    return {
      header: JSON.parse(journal.subarray(MAGIC.length + 4, recordsAt).toString('utf8')) as Header,
      recordsAt,
    };
  } catch {
    // cut short: the file was not touched yet
  }
}

/**
 * If a change of `file` was cut short, put the file back as it was before it and say so. A journal whose writer
 * may still be running is left alone unless `force` (the caller holds the study's lock).
 */
export function recoverFile(file: string, options: { force?: boolean } = {}): boolean {
  const journalFile = journalOf(file);
  let journal: Buffer;
  try {
    journal = fs.readFileSync(journalFile);
  } catch {
    return false;
  }
  const parsed = readHeader(journal);
  if (!parsed) {
    // Cut short while the journal itself was being started: the file was not touched yet.
    fs.rmSync(journalFile, { force: true });
    return false;
  }
  const { header, recordsAt } = parsed;
  // Without the lock, only a journal whose writer is known to be gone is rolled back: one written on another
  // host (a shared folder) may belong to a harvest still going.
  const writerGone = header.host === os.hostname() && (header.pid === process.pid || !isProcessAlive(header.pid));
  if (!options.force && !writerGone) return false;
  if (!fs.existsSync(file)) {
    fs.rmSync(journalFile, { force: true }); // nothing left to put back
    return false;
  }
  const records: { position: number; bytes: Buffer }[] = [];
  for (let at = recordsAt; at + 12 <= journal.length;) {
    const position = journal.readDoubleLE(at);
    const length = journal.readUInt32LE(at + 8);
    if (at + 12 + length > journal.length) break; // a record cut short: the write it announced never happened
    records.push({ position, bytes: journal.subarray(at + 12, at + 12 + length) });
    at += 12 + length;
  }
  const fd = fs.openSync(file, 'r+');
  try {
    // Cut first: what the change added goes, which gives a full disk back its room before the old bytes return.
    fs.ftruncateSync(fd, header.size);
    // Latest first, so that where a range was saved twice the bytes saved first (the original ones) win.
    for (const { position, bytes } of records.reverse()) fs.writeSync(fd, bytes, 0, bytes.length, position);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(journalFile, { force: true });
  return true;
}

/** An error Emscripten's file system passes on to HDF5 as an errno (it needs the `code`). */
function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * Run `change`, which opens `file` with h5wasm, changes it and closes it, so that it either completes or leaves
 * a journal that puts the file back. If `change` throws, the file is put back at once and the error rethrown.
 *
 * A write that fails (a full disk, a quota, a failing device) fails the whole change: the first failure, of the
 * journal or of the file, refuses every later write to the file (HDF5 goes on writing its caches while it
 * closes), the file is put back byte for byte, and that failure is what the caller sees, whatever HDF5 made of it.
 */
export function changeInPlace<T>(file: string, change: () => T): T {
  const journalFile = journalOf(file);
  if (fs.existsSync(journalFile)) {
    throw new FurrowError(
      'busy',
      `${file} has an unfinished change (${journalFile}); it is put back when no process is changing it`,
    );
  }
  const target = path.resolve(file);
  const size = fs.statSync(target).size;
  const kept = 'The dataset is as it was before this change';
  const jfd = fs.openSync(journalFile, 'wx');
  const header = Buffer.from(
    JSON.stringify({ pid: process.pid, host: os.hostname(), size, since: new Date().toISOString() } satisfies Header),
  );
  const lengthField = Buffer.alloc(4);
  lengthField.writeUInt32LE(header.length);
  try {
    writeAll(fs.writeSync, jfd, Buffer.concat([MAGIC, lengthField, header]));
    fs.fsyncSync(jfd);
  } catch (error) {
    fs.closeSync(jfd);
    fs.rmSync(journalFile, { force: true }); // the file was not touched yet
    throw asDiskError(error, journalFile, kept);
  }

  const original = {
    openSync: fs.openSync,
    writeSync: fs.writeSync,
    readSync: fs.readSync,
    ftruncateSync: fs.ftruncateSync,
  };
  /** The first write that failed: from then on nothing more reaches the file. */
  let failure = null as { error: unknown; file: string } | null;
  const guarded = <R>(what: string, write: () => R): R => {
    if (failure) throw errnoError('EIO', `${file}: not written, an earlier write of this change failed`);
    try {
      return write();
    } catch (error) {
      failure = { error, file: what };
      throw error;
    }
  };
  const watched = new Set<number>();
  /** Save the file's original bytes in [from, to) before they are overwritten or cut off: a whole record, or none. */
  const save = (fd: number, from: number, to: number) => {
    const end = Math.min(to, size);
    if (from >= end) return;
    const record = Buffer.alloc(12 + end - from);
    record.writeDoubleLE(from, 0);
    const read = original.readSync(fd, record, 12, end - from, from);
    record.writeUInt32LE(read, 8);
    guarded(journalFile, () => writeAll(original.writeSync, jfd, record.subarray(0, 12 + read)));
  };
  const patched = fs as unknown as Record<keyof typeof original, (...args: unknown[]) => unknown>;
  patched.openSync = (...args: unknown[]) => {
    const fd = (original.openSync as (...a: unknown[]) => number)(...args);
    // A descriptor number the file had and closed may come back for another file.
    if (path.resolve(String(args[0])) === target) watched.add(fd);
    else watched.delete(fd);
    return fd;
  };
  patched.writeSync = (...args: unknown[]) => {
    const [fd, buffer, , length, position] = args as [number, Uint8Array, number, number, number];
    if (!watched.has(fd)) return (original.writeSync as (...a: unknown[]) => number)(...args);
    if (!ArrayBuffer.isView(buffer) || typeof position !== 'number') {
      const error = errnoError('EIO', 'dataset journal: a write without a position, which it cannot protect');
      failure ??= { error, file: target };
      throw error;
    }
    save(fd, position, position + length);
    return guarded(target, () => (original.writeSync as (...a: unknown[]) => number)(...args));
  };
  patched.ftruncateSync = (...args: unknown[]) => {
    const [fd, length] = args as [number, number | undefined];
    if (!watched.has(fd)) return (original.ftruncateSync as (...a: unknown[]) => void)(...args);
    save(fd, length ?? 0, size);
    return guarded(target, () => (original.ftruncateSync as (...a: unknown[]) => void)(...args));
  };
  const unpatch = () => Object.assign(fs, original);

  /** Put the file back now; if even that fails, the journal stays and the next opener puts it back. */
  const rollBack = (): string => {
    unpatch();
    fs.closeSync(jfd);
    try {
      recoverFile(file); // the journal's writer is this process: it counts as gone
      return kept;
    } catch {
      return `The dataset is put back as it was the next time it is opened (${journalFile} keeps what it needs)`;
    }
  };
  let result: T;
  try {
    result = change();
  } catch (error) {
    const after = rollBack();
    if (failure) throw asDiskError(failure.error, failure.file, after);
    throw error;
  }
  if (failure) {
    // HDF5 may report a failed flush only as a warning: the change did not complete all the same.
    throw asDiskError(failure.error, failure.file, rollBack());
  }
  unpatch();
  try {
    const fd = fs.openSync(target, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    fs.closeSync(jfd);
    recoverFile(file); // this process's own journal
    throw asDiskError(error, target, kept);
  }
  fs.closeSync(jfd);
  fs.rmSync(journalFile);
  return result;
}

/** Write all of `bytes` (at the descriptor's position), or throw: a short write goes on where it stopped. */
function writeAll(write: typeof fs.writeSync, fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) {
    const n = write(fd, bytes, at, bytes.length - at);
    if (n <= 0) throw errnoError('EIO', `wrote ${at} of ${bytes.length} bytes, then nothing`);
    at += n;
  }
}
