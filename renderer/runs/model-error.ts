// A model's error as its author reads it: their own file, line and column, never Furrow's frames (the worker that
// called the model, Node's module loader). Paths inside the study folder are shown relative to it.
import type { ErrorAt } from '../../shared/api';

export interface CleanError {
  /** The message and the stack frames in the person's own files. */
  text: string;
  /** The first frame in the person's own files, if any. */
  at: ErrorAt | null;
}

const FRAME = /^\s*at\s/;
/** Frames of Node itself and of Furrow's build, whoever calls it. */
const NOT_THEIRS =
  /node:internal|\(node:|\bnode:[a-z_]+|[\\/]\.vite[\\/]build[\\/]|[\\/]electron[\\/]engine[\\/]|\(native\)/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function cleanModelError(message: string, studyDir: string | null): CleanError {
  const inStudy = studyDir ? new RegExp(`(?:file://)?${escape(studyDir.replace(/[\\/]+$/, ''))}[\\\\/]`, 'g') : null;
  const kept = message
    .split('\n')
    .filter((line) => !FRAME.test(line) || (!NOT_THEIRS.test(line) && (!inStudy || line.match(inStudy))));
  const text = (inStudy ? kept.map((line) => line.replace(inStudy, '')) : kept).join('\n').trimEnd();
  let at: ErrorAt | null = null;
  for (const line of text.split('\n')) {
    if (!FRAME.test(line)) continue;
    const m = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (m) {
      at = { file: m[1]!.replace(/^file:\/\//, ''), line: Number(m[2]), column: Number(m[3]), source: null };
      break;
    }
  }
  return { text, at };
}

/** "model.mjs, line 2, column 28": where, in words. */
export function describeAt(at: ErrorAt): string {
  return `${at.file}, line ${at.line}, column ${at.column}`;
}
