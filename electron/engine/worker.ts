// Entry point of a model worker process: loads the study's module model once, then runs the cases it is
// sent, one after another, answering for each. A case that throws fails alone; the worker goes on.
import { pathToFileURL } from 'node:url';
import type { FromWorker, ToWorker } from './worker-protocol';
import { parentChannel } from './spawner';

const channel = parentChannel();
const send = (message: FromWorker) => channel.send(message);
let model: ((params: Record<string, unknown>) => unknown) | undefined;

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `threw ${JSON.stringify(error) ?? String(error)}`;
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
  for (const { index, params } of message.cases) {
    send({ type: 'start', index });
    try {
      const outputs = await model!(params);
      send({ type: 'done', index, outputs });
    } catch (error) {
      send({ type: 'failed', index, message: describe(error) });
    }
  }
});
