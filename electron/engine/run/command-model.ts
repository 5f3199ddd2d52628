// Command models: any program, run once per case in the case's folder (cases/<pset_id>/), never through a
// shell. Outputs come from the last line of stdout if it is a JSON object, else from outputs.json, and outputs
// declared with {file, path} from an HDF5 file the program wrote. stdout and stderr are kept in the folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CaseFeed, CaseList } from './case-list';
import { CaseQueue, isCaseFeed } from './case-list';
import { guardGroup, release } from './orphan-guard';
import type { PoolHooks } from './worker-pool';
import { cleanModelError } from './model-error';
import { fillPlaceholders } from '../study/study';
import { readArray } from '../dataset/netcdf-read';

/** Each of stdout.log and stderr.log keeps at most this much; the rest is counted, not stored. */
const LOG_LIMIT = 10 * 1024 * 1024;
/** Enough of stdout's end to find its last line. */
const TAIL = 256 * 1024;

export interface CommandCase {
  psetId: string;
  /** The case's folder, where the command runs. */
  dir: string;
  studyDir: string;
  runId: string;
}

export interface CommandOptions {
  argv: string[];
  workers: number;
  timeoutSeconds: number;
  /** Outputs read from HDF5 files the command writes: name → {file, path}. */
  fileOutputs: Record<string, { file: string; path: string }>;
  /**
   * The parameters as the command receives them in params.json and FURROW_PARAMS (nested, for a parameter
   * space); its {name} placeholders take the flat names.
   */
  modelParams?: (params: Record<string, unknown>) => Record<string, unknown>;
  /** The bundled HDF5 writer (h5.mjs), offered to the command as FURROW_H5. */
  h5Kit?: string;
  signal?: AbortSignal;
}

/** A bounded log file: the first LOG_LIMIT bytes, then a note of how much was left out. */
class BoundedLog {
  private written = 0;
  private dropped = 0;
  private readonly fd: number;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  write(chunk: Buffer): void {
    const room = LOG_LIMIT - this.written;
    if (room > 0) fs.writeSync(this.fd, chunk, 0, Math.min(room, chunk.length));
    this.written += Math.min(room, chunk.length);
    this.dropped += Math.max(0, chunk.length - Math.max(room, 0));
  }
  close(): void {
    if (this.dropped > 0) fs.writeSync(this.fd, `\n[furrow: ${this.dropped} more bytes were not kept]\n`);
    fs.closeSync(this.fd);
  }
}

/**
 * The last `limit` bytes of a stream, kept as its chunks and joined once when asked: copying the tail again for
 * every chunk would copy a model's gigabyte of output many times over.
 */
class Tail {
  private chunks: Buffer[] = [];
  private bytes = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.chunks.length > 1 && this.bytes - this.chunks[0]!.length >= this.limit) {
      this.bytes -= this.chunks.shift()!.length;
    }
  }
  get(): Buffer {
    return Buffer.concat(this.chunks).subarray(-this.limit);
  }
}

/** The last non-blank line of stdout. Invalid UTF-8 there fails the case rather than storing mangled text. */
function lastLine(tail: Buffer): string {
  let end = tail.length;
  while (end > 0 && /\s/.test(String.fromCharCode(tail[end - 1]!))) end--;
  const start = tail.lastIndexOf(0x0a, end - 1) + 1;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(tail.subarray(start, end)).trim();
  } catch {
    throw new Error("the last line of the command's output is not valid UTF-8");
  }
}

/**
 * JSON as Python's `json.dumps` writes it by default: NaN, Infinity and -Infinity are values there, so a model
 * that computes them can report them (each is stored as such). Those words inside strings stay text.
 */
export function parseModelJson(text: string): unknown {
  const MARK = '\u0000furrow:';
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const word = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9))?.[0];
    if (word) {
      out += JSON.stringify(MARK + word);
      i += word.length - 1;
    } else out += c;
  }
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? Number(value.slice(MARK.length)) : value,
  );
}

async function collectOutputs(
  dir: string,
  stdoutTail: Buffer,
  fileOutputs: CommandOptions['fileOutputs'],
): Promise<Record<string, unknown>> {
  let outputs: Record<string, unknown> | null = null;
  const line = lastLine(stdoutTail);
  if (line.startsWith('{')) {
    try {
      outputs = parseModelJson(line) as Record<string, unknown>;
    } catch {
      outputs = null;
    }
  }
  const jsonFile = path.join(dir, 'outputs.json');
  if (outputs === null && fs.existsSync(jsonFile)) {
    try {
      outputs = parseModelJson(fs.readFileSync(jsonFile, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`outputs.json is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  const fromFiles = Object.entries(fileOutputs);
  if (outputs === null && fromFiles.length === 0) {
    const shown = line.length > 200 ? `${line.slice(0, 200)}…` : line;
    throw new Error(
      `the command printed no JSON object on its last line (it printed ${shown ? JSON.stringify(shown) : 'nothing'}) and wrote no outputs.json`,
    );
  }
  outputs ??= {};
  for (const [name, { file, path: inner }] of fromFiles) {
    const target = path.resolve(dir, file);
    if (!fs.existsSync(target)) throw new Error(`output '${name}': the command wrote no ${file}`);
    outputs[name] = await readArray(target, inner);
  }
  return outputs;
}

/** Kill a command and everything it started (it leads its own process group). */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  if (!liveGroups.delete(pid)) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
  release(pid, true);
}

/**
 * Commands' process groups still running: killed when this process exits, however it exits (on a SIGKILL, by
 * the orphan guard).
 */
const liveGroups = new Set<number>();
process.on('exit', () => [...liveGroups].forEach(killTree));

function runOne(
  argv: string[],
  c: CommandCase,
  params: Record<string, unknown>,
  options: CommandOptions,
): Promise<Record<string, unknown>> {
  fs.mkdirSync(c.dir, { recursive: true });
  const given = options.modelParams?.(params) ?? params;
  const paramsJson = JSON.stringify(given);
  fs.writeFileSync(path.join(c.dir, 'params.json'), `${JSON.stringify(given, null, 2)}\n`);
  const stdoutLog = new BoundedLog(path.join(c.dir, 'stdout.log'));
  const stderrLog = new BoundedLog(path.join(c.dir, 'stderr.log'));
  const tail = new Tail(TAIL);
  const errTail = new Tail(8192);
  return new Promise((resolve, reject) => {
    const [program, ...args] = argv;
    const child = spawn(program!, args, {
      cwd: c.dir,
      detached: true, // its own process group, so a timeout or cancel kills its children too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        FURROW_PARAMS: paramsJson,
        FURROW_CASE_DIR: c.dir,
        FURROW_PSET_ID: c.psetId,
        FURROW_RUN_ID: c.runId,
        ...(options.h5Kit ? { FURROW_H5: pathToFileURL(options.h5Kit).href } : {}),
        // Inside Electron, process.execPath is the app: this makes it behave as plain Node for {node} scripts.
        ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}),
      },
    });
    let settled = false;
    const finish = (error: Error | null, outputs?: Record<string, unknown>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      killTree(child.pid); // children left behind by a command that exited are not left running
      stdoutLog.close();
      stderrLog.close();
      if (error) reject(error);
      else resolve(outputs!);
    };
    const stderrTail = () => {
      const text = errTail.get().toString('utf8').trim().split('\n').slice(-10).join('\n');
      return text ? `\n${text}` : '';
    };
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${options.timeoutSeconds} s (model.timeout)${stderrTail()}`)),
      options.timeoutSeconds * 1000,
    );
    const onAbort = () => finish(new Error('cancelled'));
    options.signal?.addEventListener('abort', onAbort);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutLog.write(chunk);
      tail.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrLog.write(chunk);
      errTail.push(chunk);
    });
    child.on('error', (error) => finish(new Error(`cannot start ${program}: ${error.message}`)));
    if (child.pid !== undefined) {
      liveGroups.add(child.pid);
      guardGroup(child.pid);
    }
    // When the command exits, whatever it left running is killed, so the pipes it may hold close and the
    // outputs are read; should they stay open anyway (a grandchild in a group of its own), go on after 2 s.
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let closed = false;
    const afterExit = () => {
      if (closed || !exited) return;
      closed = true;
      onEnd(exited.code, exited.signal);
    };
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      killTree(child.pid);
      setTimeout(afterExit, 2000).unref();
    });
    child.on('close', () => afterExit());
    const onEnd = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      if (code !== 0) {
        finish(
          new Error(`the command ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${stderrTail()}`),
        );
        return;
      }
      collectOutputs(c.dir, tail.get(), options.fileOutputs).then(
        (outputs) => finish(null, outputs),
        (error: Error) => finish(error),
      );
    };
  });
}

/**
 * A case's argv: placeholders filled ({study_dir} and {case_dir} too), and arguments written as ./path or
 * ../path made absolute against the study folder, since the command runs in the case's folder.
 */
export function commandLine(argv: string[], params: Record<string, unknown>, c: CommandCase): string[] {
  // {node} runs a script with the Node.js Furrow itself runs on (Electron's, in the app).
  const values = { ...params, study_dir: c.studyDir, case_dir: c.dir, node: process.execPath };
  return argv.map((arg) => {
    const filled = fillPlaceholders(arg, values);
    return /^\.\.?\//.test(arg) ? path.resolve(c.studyDir, filled) : filled;
  });
}

/** Run each case's command, `workers` at a time; every outcome goes to the hooks, as with module models. */
export async function runCommands(
  indices: CaseList | CaseFeed,
  hooks: PoolHooks & { caseOf(index: number): CommandCase },
  options: CommandOptions,
): Promise<void> {
  const queue = isCaseFeed(indices) ? indices : new CaseQueue(indices);
  const lane = async () => {
    const next = () => queue.take(1)[0];
    for (let index = next(); index !== undefined && !options.signal?.aborted; index = next()) {
      const params = hooks.paramsOf(index);
      const c = hooks.caseOf(index);
      const argv = commandLine(options.argv, params, c);
      hooks.onBusy(1);
      hooks.onStart?.(index);
      const start = performance.now();
      const seconds = () => (performance.now() - start) / 1000;
      try {
        const outputs = await runOne(argv, c, params, options);
        hooks.onBusy(-1);
        hooks.onDone(index, outputs, seconds());
      } catch (error) {
        hooks.onBusy(-1);
        if (options.signal?.aborted) continue;
        // Its stderr in the person's terms: paths relative to the study, where in their script it failed.
        const { text, at } = cleanModelError((error as Error).message, c.studyDir);
        hooks.onFailed(index, text, seconds(), undefined, at ?? undefined);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.workers, queue.length)) }, lane));
}
