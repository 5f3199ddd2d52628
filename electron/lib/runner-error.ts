// The library's one kind of error, and the engine's errors turned into it: a caller catches RunnerError alone. Its
// own module, so that every part of the library can throw it without importing the runners.
import { FurrowError } from '../engine/errors';

export class RunnerError extends Error {
  override name = 'RunnerError';
}

/** The engine's errors (bad input, a damaged file, a held lock) as the library's own: one kind to catch. */
export async function library<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof FurrowError ? new RunnerError(error.message) : error;
  }
}

/** `library` for work that returns at once. */
export function librarySync<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof FurrowError ? new RunnerError(error.message) : error;
  }
}
