// The disk under a study: how much room it has, and what a write that failed for want of it means to the person.
// A full disk surfaces as an errno from Node (ENOSPC), as SQLITE_FULL from the run database, or deep inside an
// HDF5 error stack; the person needs one line: which file, that the disk is full, how much room is left there,
// and that nothing of the failed write was kept.
import fs from 'node:fs';
import path from 'node:path';
import { FurrowError } from '../errors';

export const sizeText = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : bytes < 1024 ** 3
        ? `${(bytes / 1024 ** 2).toFixed(1)} MiB`
        : `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

/** What each errno of a failed write means, in the person's words. */
const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would grow past what the file system allows',
  EIO: 'the disk reported an input/output error',
  EROFS: 'the file system is read-only',
};

/** HDF5 reports a failed write in its error stack, with the C library's words for the errno. */
const HDF5_WORDS: [RegExp, string][] = [
  [/error message = 'No space left on device'/, 'ENOSPC'],
  [/error message = '(Disk )?[Qq]uota exceeded'/, 'EDQUOT'],
  [/error message = 'File too large'/, 'EFBIG'],
  [/error message = '(I\/O|Input\/output) error'/, 'EIO'],
  [/error message = 'Read-only file system'/, 'EROFS'],
];

/** The reason a write failed, if it failed for the disk's sake (not for a bug of ours). */
export function diskReason(error: unknown): string | null {
  let code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' && error instanceof Error) {
    code = HDF5_WORDS.find(([words]) => words.test(error.message))?.[1];
  }
  if (typeof code !== 'string') return null;
  if (code in REASONS) return REASONS[code]!;
  if (code === 'SQLITE_FULL') return REASONS['ENOSPC']!;
  if (code.startsWith('SQLITE_IOERR')) return REASONS['EIO']!;
  if (code === 'SQLITE_READONLY') return REASONS['EROFS']!;
  return null;
}

/** Bytes free to this process on the disk that holds `place` (or its nearest existing parent); null if unknown. */
export function freeSpace(place: string): number | null {
  let at = path.resolve(place);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  try {
    const s = fs.statfsSync(at);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/**
 * `error` as the person should read it, when a write of `file` failed for the disk's sake; `after` says what was
 * kept and what to do. Any other error is returned as it is.
 */
export function asDiskError(error: unknown, file: string, after: string): unknown {
  let reason = diskReason(error);
  if (!reason || (error instanceof FurrowError && error.code === 'io')) return error;
  const free = freeSpace(file);
  // SQLite reports some writes on a full disk as I/O errors (its shared memory, say): the room says which it was.
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR') && free !== null && free < 64 * 1024) {
    reason = REASONS['ENOSPC']!;
  }
  const room = free === null ? '' : ` (${sizeText(free)} free there)`;
  return new FurrowError('io', `cannot write ${file}: ${reason}${room}. ${after}`);
}

/**
 * Refuse, before writing `file`, when the disk it is on has less room than the `bytes` the write needs (`what`
 * needs them: "the dataset", say); `after` says what was kept.
 */
export function ensureRoom(file: string, bytes: number, what: string, after: string): void {
  const free = freeSpace(file);
  if (free === null || free >= bytes) return;
  throw new FurrowError(
    'io',
    `cannot write ${file}: ${what} needs about ${sizeText(bytes)}, and the disk has ${sizeText(free)} free there. ${after}`,
  );
}
