// Entry point of a model worker process: loads the study's module model once, then runs the cases it is
// sent, one after another, reporting results in chunks. A case that throws fails alone; the worker goes on.
import { pathToFileURL } from 'node:url';
import type { CaseResult, FromWorker, ToWorker } from './worker-protocol';
import { CHUNK_MS } from './worker-protocol';
import { parentChannel } from './spawner';

const channel = parentChannel();
const send = (message: FromWorker) => channel.send(message);
let model: ((params: Record<string, unknown>) => unknown) | undefined;

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `threw ${JSON.stringify(error) ?? String(error)}`;
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
          error: `the model returned something that cannot be stored: ${describe(error)}`,
        };
      }
    });
    send({ type: 'results', results: safe, next });
  }
}

channel.onMessage(async (raw) => {
  const message = raw as ToWorker;
  if (message.type === 'init') {
    try {
      const mod = (await import(pathToFileURL(message.modulePath).href)) as Record<string, unknown>;
      const fn = mod[message.exportName];
      if (typeof fn !== 'function') {
        const found = Object.keys(mod).join(', ') || 'nothing';
        send({
          type: 'init-error',
          message: `${message.modulePath} has no function export '${message.exportName}' (it exports: ${found})`,
        });
        return;
      }
      model = fn as typeof model;
      send({ type: 'ready' });
    } catch (error) {
      send({ type: 'init-error', message: `${message.modulePath} failed to load: ${describe(error)}` });
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
      pending.push({ index, seconds: (performance.now() - start) / 1000, error: describe(error) });
    }
  }
  sendResults(pending, null);
});
