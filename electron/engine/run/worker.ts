// Entry point of a model worker process: loads the study's module model once, then runs the cases it is
// sent, one after another, reporting results in chunks. A case that throws fails alone; the worker goes on.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CaseResult, FromWorker, ToWorker } from './worker-protocol';
import { CHUNK_MS } from './worker-protocol';
import { parentChannel } from './spawner';
import { cleanModelError, loadErrorOf } from './model-error';

const channel = parentChannel();
const send = (message: FromWorker) => channel.send(message);
let model: ((params: Record<string, unknown>) => unknown) | undefined;
let studyDir = '';

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `threw ${JSON.stringify(error) ?? String(error)}`;
}

/** A case's error as the person reads it: their frames only, and where in their files. */
function failure(error: unknown): Pick<CaseResult, 'error' | 'at'> {
  const { text, at } = cleanModelError(describe(error), studyDir);
  return at ? { error: text, at } : { error: text };
}

/** Send results; outputs that cannot cross to the parent (functions, say) fail their own case only. */
function sendResults(results: CaseResult[], next: number | null): void {
  try {
    send({ type: 'results', results, next });
  } catch {
    const safe = results.map((r) => {
      try {
        structuredClone(r.outputs);
        return r;
      } catch (error) {
        return {
          index: r.index,
          seconds: r.seconds,
          error: `the model returned something that cannot be stored: ${failure(error).error}`,
        };
      }
    });
    send({ type: 'results', results: safe, next });
  }
}

channel.onMessage(async (raw) => {
  const message = raw as ToWorker;
  if (message.type === 'init') {
    studyDir = message.studyDir;
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
  let pending: CaseResult[] = [];
  let lastSent = Date.now();
  for (const { index, params } of message.cases) {
    if (Date.now() - lastSent >= CHUNK_MS) {
      sendResults(pending, index);
      pending = [];
      lastSent = Date.now();
    }
    const start = performance.now();
    try {
      const outputs = await model!(params);
      pending.push({ index, seconds: (performance.now() - start) / 1000, outputs });
    } catch (error) {
      pending.push({ index, seconds: (performance.now() - start) / 1000, ...failure(error) });
    }
  }
  sendResults(pending, null);
});
