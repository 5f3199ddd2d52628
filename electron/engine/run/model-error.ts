// A model's error in its author's terms: their own file, line and column, and that line's text; never Furrow's
// frames (the worker that called the model, the host, the command line) or Node's (its module loader). Paths
// inside the study folder are written relative to it. Module model workers and command models both use it.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorAt } from '../../../shared/api';

export interface ModelErrorText {
  /** The message, with the stack frames of the person's own files only. */
  text: string;
  /** The first of those frames, with its line's text. */
  at: ErrorAt | null;
}

const FRAME = /^\s*at\s/;
/** Frames of Node itself and of Furrow's build, whoever calls it. */
const NOT_THEIRS =
  /node:internal|\(node:|\bnode:[a-z_]+|[\\/]\.vite[\\/]build[\\/]|[\\/]electron[\\/](?:engine|host|cli|lib)[\\/]|\(native\)/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The study folder as written in messages: its path, its real path (a symlinked /tmp), as file:// URLs too. */
function studyPrefix(studyDir: string): RegExp {
  const dirs = new Set([path.resolve(studyDir)]);
  try {
    dirs.add(fs.realpathSync(studyDir));
  } catch {
    // a folder that is gone: its given name only
  }
  const alternatives = [...dirs].map((d) => escape(d.replace(/[\\/]+$/, ''))).join('|');
  return new RegExp(`(?:file://)?(?:${alternatives})[\\\\/]`, 'g');
}

/** The text of line `line` (1-based) of a file in the study folder, or null when it cannot be read. */
export function sourceLine(studyDir: string, file: string, line: number): string | null {
  try {
    const text = fs.readFileSync(path.resolve(studyDir, file), 'utf8');
    const found = text.split(/\r?\n/)[line - 1];
    return found === undefined ? null : found.trimEnd();
  } catch {
    return null;
  }
}

/** A message (an error's stack, a command's stderr) as its author reads it. */
export function cleanModelError(message: string, studyDir: string): ModelErrorText {
  const inStudy = studyPrefix(studyDir);
  const theirs = (line: string) => !NOT_THEIRS.test(line) && new RegExp(inStudy.source).test(line);
  const text = message
    .split('\n')
    .filter((line) => !FRAME.test(line) || theirs(line))
    .map((line) => line.replace(inStudy, ''))
    .join('\n')
    .trimEnd();
  return { text, at: jsFrameAt(text, studyDir) ?? pythonFrameAt(text, studyDir) };
}

/** A JavaScript stack's first frame in the study (`at model (model.mjs:2:28)`): where it was thrown. */
function jsFrameAt(text: string, studyDir: string): ErrorAt | null {
  for (const line of text.split('\n')) {
    if (!FRAME.test(line)) continue;
    const m = /\(?([^\s()]+?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m || path.isAbsolute(m[1]!) || m[1]!.includes('://')) continue;
    const [file, lineNo, column] = [m[1]!, Number(m[2]), Number(m[3])];
    return { file, line: lineNo, column, source: sourceLine(studyDir, file, lineNo) };
  }
  return null;
}

/**
 * A Python traceback's last frame in the study (`File "model.py", line 3`): the innermost, where it was raised.
 * The column is the caret's under the quoted line when Python drew one, else where the statement starts.
 */
function pythonFrameAt(text: string, studyDir: string): ErrorAt | null {
  const lines = text.split('\n');
  let at: ErrorAt | null = null;
  lines.forEach((line, i) => {
    const m = /^\s*File "([^"]+)", line (\d+)/.exec(line);
    if (!m || path.isAbsolute(m[1]!) || m[1]!.startsWith('<')) return;
    const [file, lineNo] = [m[1]!, Number(m[2])];
    const source = sourceLine(studyDir, file, lineNo);
    const quoted = lines[i + 1] ?? '';
    const caret = /^\s*\^/.test(lines[i + 2] ?? '') ? lines[i + 2]!.indexOf('^') : -1;
    const indent = quoted.length - quoted.trimStart().length;
    const column =
      caret >= 0 && source !== null
        ? caret - indent + (source.length - source.trimStart().length) + 1
        : (source?.search(/\S/) ?? 0) + 1;
    at = { file, line: lineNo, column: Math.max(1, column), source };
  });
  return at;
}

/** `model.mjs:2:15`: where, as a stack frame writes it. */
export const frameOf = (at: ErrorAt) => `${at.file}:${at.line}:${at.column}`;

/** The line, numbered, with a caret under the column: for a terminal. */
export function excerptOf(at: ErrorAt): string {
  if (at.source === null) return `  at ${frameOf(at)}`;
  const gutter = `  ${at.line} | `;
  const under = at.source.slice(0, Math.max(0, at.column - 1)).replace(/[^\t]/g, ' '); // tabs kept, to line up
  return `${gutter}${at.source}\n${' '.repeat(gutter.length - 2)}| ${under}^`;
}

/** Node's check of one file: its first syntax error (line, column, message), or null when it parses. */
function checkSyntax(file: string): Promise<{ line: number; column: number; message: string } | null> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--check', file],
      {
        timeout: 10_000,
        // Inside Electron, process.execPath is the app: this makes it plain Node.
        env: { ...process.env, ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
      },
      (error, _stdout, stderr) => {
        if (!error) return resolve(null);
        // `<file>:<line>`, the line, a caret under the column, a blank line, then `SyntaxError: …`.
        const lines = String(stderr).split('\n');
        const head = /:(\d+)\s*$/.exec(lines[0] ?? '');
        const caret = (lines[2] ?? '').indexOf('^');
        const message = lines.find((l) => /^\w*Error\b/.test(l));
        if (!head || !message) return resolve(null);
        resolve({ line: Number(head[1]), column: caret >= 0 ? caret + 1 : 1, message: message.trim() });
      },
    );
  });
}

/** The relative modules a file imports statically (`import … from './x.mjs'`, `export … from`, `import './x'`). */
function importsOf(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const found: string[] = [];
  const re = /(?:^|[;\s}])(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) found.push(path.resolve(path.dirname(file), m[1]!));
  return found;
}

/**
 * Where a module that failed to load with a SyntaxError has it. Node's error for a dynamic import() carries no
 * location, so each file of the study that the module imports (itself first) is checked with `node --check`.
 */
export async function syntaxErrorAt(entry: string, studyDir: string): Promise<ModelErrorText | null> {
  const inside = (file: string) => !path.relative(studyDir, file).startsWith('..');
  const seen = new Set<string>();
  const queue = [path.resolve(entry)];
  while (queue.length > 0 && seen.size < 50) {
    const file = queue.shift()!;
    if (seen.has(file) || !inside(file) || !fs.existsSync(file)) continue;
    seen.add(file);
    const found = await checkSyntax(file);
    if (found) {
      const rel = path.relative(studyDir, file);
      const at = { file: rel, line: found.line, column: found.column, source: sourceLine(studyDir, rel, found.line) };
      return { text: `${found.message}\n    at ${frameOf(at)}`, at };
    }
    queue.push(...importsOf(file));
  }
  return null;
}

/**
 * Why a module model did not load, in the person's terms: `model.mjs could not be loaded: SyntaxError: …` and the
 * frame of their file where it is (a syntax error's line found by syntaxErrorAt).
 */
export async function loadErrorOf(error: unknown, modulePath: string, studyDir: string): Promise<ModelErrorText> {
  const name = path.relative(studyDir, modulePath);
  const raw = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const clean = cleanModelError(raw, studyDir);
  let { text, at } = clean;
  if (error instanceof SyntaxError && at === null) {
    const found = await syntaxErrorAt(modulePath, studyDir);
    if (found) ({ text, at } = found);
  }
  return { text: `${name} could not be loaded: ${text}`, at };
}
