// Files written whole or not at all: a reader (or a crash) never sees half of one.
import fs from 'node:fs';
import path from 'node:path';

/** Write a file through a temporary file beside it, then a rename over the old one. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
