// Run the built `furrow` command line as a person would, in throwaway folders.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The built command line; FURROW_CLI points the tests at another build (the fault campaign's self-check). */
export const CLI = process.env['FURROW_CLI'] ?? path.join(ROOT, '.vite', 'build', 'cli.mjs');
/** A test-only entry point that makes `furrow` fail, or be killed, at a chosen write (see the file). */
export const FS_FAULTS = path.join(ROOT, 'test', 'faults', 'fs-faults.mjs');

/** What test/faults/fs-faults.mjs is told: which file, at which of its writes, what happens. */
export interface FsFault {
  file: string;
  nth?: number;
  action?:
    'enospc' | 'short' | 'flaky' | 'eio' | 'kill-before' | 'kill-after' | 'kill-after-open' | 'kill-after-remove';
  count?: string;
  snapshot?: string;
}

/** The options of `furrow()` (or of a spawn of CLI) that arm a fault. */
export function withFault(fault: FsFault): { node: string[]; env: NodeJS.ProcessEnv } {
  return { node: ['--import', FS_FAULTS], env: { ...process.env, FURROW_FS_FAULT: JSON.stringify(fault) } };
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function furrow(
  args: string[],
  /** `node`: Node's own options before the command line (a test-only `--import`, say). */
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; node?: string[] } = {},
): Promise<Result> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.node ?? []), CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function tempDir(prefix = 'furrow-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A study folder made from an example, optionally with its study.yaml and model replaced. */
export async function exampleStudy(
  example: string,
  changes: { studyYaml?: string; model?: string } = {},
): Promise<string> {
  const dir = path.join(tempDir(), example);
  const init = await furrow(['init', dir, '--example', example]);
  if (init.code !== 0) throw new Error(`furrow init failed: ${init.stderr}`);
  if (changes.studyYaml !== undefined) fs.writeFileSync(path.join(dir, 'study.yaml'), changes.studyYaml);
  if (changes.model !== undefined) fs.writeFileSync(path.join(dir, 'model.mjs'), changes.model);
  return dir;
}

export interface Served {
  url: string;
  origin: string;
  token: string;
  pid: number;
  /** Whether the serve process is still there (false once it has exited, however). */
  alive(): boolean;
  stop(): Promise<void>;
}

/** `furrow serve` on a free port; resolves once it prints its URL. */
export function serveStudy(study: string | null): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...(study ? [study] : []), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = false;
  child.once('exit', () => (exited = true));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`furrow serve printed no URL:\n${output}`)), 20_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[0],
        origin: match[1]!,
        token: match[2]!,
        pid: child.pid!,
        alive: () => !exited,
        stop: () =>
          new Promise((done) => {
            if (exited) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`furrow serve exited (${code}):\n${output}`)));
  });
}

/** Whether a process still runs. A zombie (killed, not yet reaped by a PID 1 that never reaps) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The processes `pid` started that still run, with their command lines. */
export function childProcesses(pid: number): { pid: number; command: string }[] {
  const children: { pid: number; command: string }[] = [];
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const task of tasks) {
    let list: string;
    try {
      list = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of list.split(' ').filter(Boolean).map(Number)) {
      try {
        const command = fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        if (isAlive(child)) children.push({ pid: child, command });
      } catch {
        // gone meanwhile
      }
    }
  }
  return children;
}

/**
 * A study whose model returns, for each `a` in range(aEnd), a vector `y` over `t` (range(t)): `a * scale + i`.
 * Big enough to grow a dataset by a chosen number of bytes.
 */
export function vectorStudy(t: number, aEnd: number, scale: number): { studyYaml: string; model: string } {
  return {
    studyYaml: `name: vec\nmodel: {module: ./model.mjs}\noutputs:\n  y: {dims: [t]}\ncoords:\n  t: {range: [0, ${t}]}\ncombos:\n  a: {range: [0, ${aEnd}]}\n`,
    model: `export default ({ a }) => ({ y: Array.from({ length: ${t} }, (_, i) => a * ${scale} + i) });\n`,
  };
}
