// Entry point of a model worker process: loads the study's module model once, then runs the cases it is
// sent, one after another, reporting results in chunks. A case that throws fails alone; the worker goes on.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PsetRecipe } from './pset-hash';
import { handedWith, psetHasher } from './pset-hash';
import type { CaseFailure, FromWorker, Results, ToWorker } from './worker-protocol';
import { CHUNK_MS, paramsIn } from './worker-protocol';
import { parentChannel } from './spawner';
import { cleanModelError, loadErrorOf } from './model-error';

const channel = parentChannel();
const send = (message: FromWorker) => channel.send(message);
let model: ((params: Record<string, unknown>) => unknown) | undefined;
let studyDir = '';

/** A run's cases' row parts and what their model is handed, made from their own parameters by init's recipe. */
interface Maker {
  hashOf(params: Record<string, unknown>): string;
  handed(params: Record<string, unknown>, hash: string): Record<string, unknown>;
  columns: Record<string, unknown>;
}
let maker: Maker | null = null;

function makerOf(recipe: PsetRecipe): Maker {
  return { hashOf: psetHasher(recipe.constants), handed: handedWith(recipe), columns: recipe.columns };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `threw ${JSON.stringify(error) ?? String(error)}`;
}

/** A case's error as the person reads it: their frames only, and where in their files. */
function failure(error: unknown, k: number): CaseFailure {
  const { text, at } = cleanModelError(describe(error), studyDir);
  return at ? { k, error: text, at } : { k, error: text };
}

const noResults = (): Results => ({ indices: [], seconds: [], outputs: [], failures: [] });

/** Send results; outputs that cannot cross to the parent (functions, say) fail their own case only. */
function sendResults(results: Results, next: number | null): void {
  try {
    send({ type: 'results', ...results, next });
  } catch {
    const failures: CaseFailure[] = [];
    let f = 0;
    const outputs = results.outputs.map((o, k) => {
      while (results.failures[f] !== undefined && results.failures[f]!.k < k) failures.push(results.failures[f++]!);
      if (results.failures[f]?.k === k) return undefined;
      try {
        structuredClone(o);
        return o;
      } catch (error) {
        failures.push({ k, error: `the model returned something that cannot be stored: ${failure(error, k).error}` });
        return undefined;
      }
    });
    failures.push(...results.failures.slice(f));
    send({ type: 'results', ...results, outputs, failures, next });
  }
}

channel.onMessage(async (raw) => {
  const message = raw as ToWorker;
  if (message.type === 'init') {
    studyDir = message.studyDir;
    maker = message.recipe ? makerOf(message.recipe) : null;
    try {
      const mod = (await import(pathToFileURL(message.modulePath).href)) as Record<string, unknown>;
      const fn = mod[message.exportName];
      if (typeof fn !== 'function') {
        const found = Object.keys(mod).join(', ') || 'nothing';
        send({
          type: 'init-error',
          message: `${path.relative(studyDir, message.modulePath)} has no function export '${message.exportName}' (it exports: ${found})`,
        });
        return;
      }
      model = fn as typeof model;
      send({ type: 'ready' });
    } catch (error) {
      const { text, at } = await loadErrorOf(error, message.modulePath, studyDir);
      send({ type: 'init-error', message: text, ...(at ? { at } : {}) });
    }
    return;
  }
  const own = message.own && maker ? maker : null;
  const fresh = (): Results => (own ? { ...noResults(), made: { text: '', ends: [] } } : noResults());
  let pending = fresh();
  let lastSent = Date.now();
  const { indices, params } = message;
  for (let c = 0; c < indices.length; c++) {
    const index = indices[c]!;
    if (Date.now() - lastSent >= CHUNK_MS) {
      sendResults(pending, index);
      pending = fresh();
      lastSent = Date.now();
    }
    let handed = paramsIn(params, c);
    if (own) {
      // The case's row parts, made before it runs: its pset_id, its pset hash and its _params.
      const hash = own.hashOf(handed);
      const made = pending.made!;
      made.text += randomUUID() + hash + JSON.stringify({ ...own.columns, ...handed });
      made.ends.push(made.text.length);
      handed = own.handed(handed, hash);
    }
    const start = performance.now();
    let outputs: unknown;
    let thrown: { error: unknown } | null = null;
    try {
      outputs = await model!(handed);
    } catch (error) {
      thrown = { error };
    }
    pending.seconds.push((performance.now() - start) / 1000);
    if (thrown) pending.failures.push(failure(thrown.error, pending.indices.length));
    pending.indices.push(index);
    pending.outputs.push(outputs);
  }
  sendResults(pending, null);
});
