// The model's own files, kept with each run as psweep's `backup_script` keeps the script: the module file, or the
// scripts a command names inside the study folder (`python3 ./sim.py`, `{study_dir}/sim.py`). Each run records their
// hash; a run whose files differ from the last copy made copies them into its backups/<timestamp>/ folder.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Study } from '../study/study';

/** Folders of the study that hold what runs make, never the model's own files. */
const MADE = new Set(['cases', 'data', 'backups', 'crops', 'eval']);

/** The model's own files inside the study folder, as paths relative to it, sorted. */
export function modelFiles(study: Study): string[] {
  const root = path.resolve(study.dir);
  const candidates =
    study.model.kind === 'module'
      ? [study.model.path]
      : study.model.argv
          .map((arg) => arg.replaceAll('{study_dir}', root))
          .filter((arg) => !/\{[^{}]*\}/.test(arg))
          .map((arg) => path.resolve(root, arg));
  const inside = candidates
    .map((file) => path.relative(root, file))
    .filter((rel) => rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel))
    .filter((rel) => !MADE.has(rel.split(path.sep)[0]!))
    .filter((rel) => fs.statSync(path.join(root, rel), { throwIfNoEntry: false })?.isFile() === true);
  return [...new Set(inside)].sort();
}

/** One SHA-1 over the files' names and contents: it changes when any of them does. */
export function modelHash(studyDir: string, files: string[]): string {
  const hash = createHash('sha1');
  for (const rel of files) {
    hash.update(`${rel.split(path.sep).join('/')}\0`);
    hash.update(fs.readFileSync(path.join(studyDir, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Copy the files into `backupDir`, each at its path relative to the study. */
export function copyModelFiles(studyDir: string, files: string[], backupDir: string): void {
  for (const rel of files) {
    const to = path.join(backupDir, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(studyDir, rel), to);
  }
}

/**
 * The run's record of the model's files: their hash, and the folder (relative to the study) their copy went into
 * when they differ from the last copy made (null: unchanged, no copy). Null when the model has no file in the study.
 */
export function keepModelFiles(
  study: Study,
  lastCopied: string | null,
  backupDir: string,
): { hash: string; backup: string | null } | null {
  const files = modelFiles(study);
  if (files.length === 0) return null;
  const hash = modelHash(study.dir, files);
  if (hash === lastCopied) return { hash, backup: null };
  copyModelFiles(study.dir, files, backupDir);
  return { hash, backup: path.relative(study.dir, backupDir).split(path.sep).join('/') };
}
