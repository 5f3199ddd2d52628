// Electron main's half of spawning model workers for the engine host (see spawn-protocol.ts). It takes the
// utilityProcess spawner and a MessageChannel factory as arguments, so it can be exercised without Electron.
import type { MessagePortLike, Spawner, WorkerHandle } from '../engine/run/spawner';
import { CONNECT_MESSAGE } from '../engine/run/spawner';
import type { FromBroker } from './spawn-protocol';
import { isToBroker } from './spawn-protocol';

export function attachSpawnBroker(
  host: WorkerHandle,
  spawn: Spawner,
  newChannel: () => { port1: MessagePortLike; port2: MessagePortLike },
): void {
  const workers = new Map<number, WorkerHandle>();
  const tell = (message: FromBroker, ports?: MessagePortLike[]) => host.send(message, ports);
  host.onMessage((message) => {
    if (!isToBroker(message)) return;
    if (message.kind === 'kill') return workers.get(message.id)?.kill();
    const { id } = message;
    const worker = spawn(message.entry);
    workers.set(id, worker);
    const { port1, port2 } = newChannel();
    worker.onStderr((text) => tell({ kind: 'stderr', id, text }));
    worker.onExit((code, signal) => {
      workers.delete(id);
      tell({ kind: 'exited', id, code, signal });
    });
    worker.send(CONNECT_MESSAGE, [port1]);
    tell({ kind: 'spawned', id, pid: worker.pid }, [port2]);
  });
  // Workers never outlive their engine host: a model stuck in a loop is not left running.
  host.onExit(() => {
    for (const worker of workers.values()) worker.kill();
    workers.clear();
  });
}
