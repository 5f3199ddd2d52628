// A function that says which module file it comes from, so that worker processes can import it themselves.
// An inline closure cannot cross to another process (it may use this process's variables); a function loaded
// with `fromModule` can, because each worker imports the same file. It stays an ordinary function here too.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RunnerError } from './runner-error';

/** Shared by every copy of the library in a process (Symbol.for), so a branded function is recognised by all. */
const MODULE = Symbol.for('furrow.module');

/** Where a module function lives: the file a worker imports and the export it calls. */
export interface ModuleRef {
  file: string;
  exportName: string;
}

export type ModuleFunction<F extends (...args: never[]) => unknown = (params: Record<string, unknown>) => unknown> =
  F & { readonly [MODULE]: ModuleRef };

/** The module a function was loaded from by `fromModule`, or null for any other function. */
export function moduleOf(fn: unknown): ModuleRef | null {
  return typeof fn === 'function' && MODULE in fn ? (fn as ModuleFunction)[MODULE] : null;
}

/** Mark `fn` as the function `ref` names, so that runners send it to worker processes. */
export function brandAs(fn: object, ref: ModuleRef): void {
  Object.defineProperty(fn, MODULE, { value: ref });
}

/**
 * Load `exportName` of the ES module `file` (a path, relative to the working folder, or a file: URL such as
 * `new URL('./model.mjs', import.meta.url)`), as a function that runners may send to worker processes.
 */
export async function fromModule<
  F extends (...args: never[]) => unknown = (params: Record<string, unknown>) => unknown,
>(file: string | URL, exportName = 'default'): Promise<ModuleFunction<F>> {
  const abs =
    file instanceof URL || String(file).startsWith('file:') ? fileURLToPath(file) : path.resolve(String(file));
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (error) {
    throw new RunnerError(`cannot load ${abs}: ${(error as Error).message.split('\n')[0]}`);
  }
  const fn = mod[exportName];
  if (typeof fn !== 'function') {
    throw new RunnerError(
      `${abs} has no function export '${exportName}' (it exports: ${Object.keys(mod).join(', ') || 'nothing'})`,
    );
  }
  // A wrapper, so that branding it never changes the module's own export.
  const wrapped = ((...args: never[]) => (fn as F)(...args)) as unknown as ModuleFunction<F>;
  brandAs(wrapped, { file: abs, exportName });
  Object.defineProperty(wrapped, 'name', { value: fn.name || exportName });
  return wrapped;
}
