// The engine host's Spawner inside the app: each model worker is a utility process that Electron main starts
// on request (spawn-broker.ts); messages then go straight over the MessagePort main handed both sides.
import type { MessagePortLike, ParentChannel, Spawner, WorkerHandle } from '../engine/run/spawner';
import type { ToBroker } from './spawn-protocol';
import { isFromBroker } from './spawn-protocol';

interface Brokered {
  port: MessagePortLike | null;
  queued: unknown[];
  pid: number | undefined;
  exited: boolean;
  onMessage: ((message: unknown, ports: MessagePortLike[]) => void)[];
  onExit: ((code: number | null, signal: string | null) => void)[];
  onStderr: ((text: string) => void)[];
}

export function brokeredSpawner(main: ParentChannel): Spawner {
  let nextId = 1;
  const workers = new Map<number, Brokered>();
  const ask = (message: ToBroker) => main.send(message);

  main.onMessage((message, ports) => {
    if (!isFromBroker(message)) return;
    const worker = workers.get(message.id);
    if (!worker) return;
    switch (message.kind) {
      case 'spawned': {
        const port = ports[0];
        if (!port) return;
        worker.pid = message.pid;
        worker.port = port;
        port.on('message', (event) => worker.onMessage.forEach((l) => l(event.data, [])));
        port.start();
        worker.queued.splice(0).forEach((m) => port.postMessage(m));
        return;
      }
      case 'stderr':
        return worker.onStderr.forEach((l) => l(message.text));
      case 'exited':
        worker.exited = true;
        worker.port?.close();
        workers.delete(message.id);
        return worker.onExit.forEach((l) => l(message.code, message.signal));
    }
  });

  return (entry): WorkerHandle => {
    const id = nextId++;
    const worker: Brokered = {
      port: null,
      queued: [],
      pid: undefined,
      exited: false,
      onMessage: [],
      onExit: [],
      onStderr: [],
    };
    workers.set(id, worker);
    ask({ kind: 'spawn', id, entry });
    return {
      get pid() {
        return worker.pid;
      },
      send(message) {
        if (worker.exited) return;
        if (worker.port) worker.port.postMessage(message);
        else worker.queued.push(message);
      },
      onMessage: (listener) => worker.onMessage.push(listener),
      onExit: (listener) => worker.onExit.push(listener),
      onStderr: (listener) => worker.onStderr.push(listener),
      kill() {
        if (!worker.exited) ask({ kind: 'kill', id });
      },
    };
  };
}
