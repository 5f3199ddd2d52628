// The Spawner on Electron's utilityProcess: how the app starts the engine host and, through the spawn broker,
// its model workers. Only Electron main loads this.
import { utilityProcess } from 'electron';
import type { MessagePortMain } from 'electron';
import type { MessagePortLike, Spawner } from '../engine/run/spawner';

export const utilitySpawner: Spawner = (entry) => {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Furrow engine', stdio: ['ignore', 'inherit', 'pipe'] });
  let exited = false;
  child.on('exit', () => (exited = true));
  return {
    get pid() {
      return child.pid;
    },
    send(message, ports) {
      if (!exited) child.postMessage(message, ports as MessagePortMain[] | undefined);
    },
    onMessage(listener) {
      // Furrow's processes never send ports up to main, so none arrive here.
      child.on('message', (message: unknown) => listener(message, [] as MessagePortLike[]));
    },
    onExit(listener) {
      child.on('exit', (code) => listener(code, null));
    },
    onStderr(listener) {
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => listener(text));
    },
    kill() {
      if (!exited) child.kill();
    },
  };
};
