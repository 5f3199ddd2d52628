// The Spawner on Electron's utilityProcess: how the app starts the engine host. Only Electron main loads this.
import { utilityProcess } from 'electron';
import type { Spawner } from '../engine/spawner';

export const utilitySpawner: Spawner = (entry, options = {}) => {
  const child = utilityProcess.fork(entry, options.args ?? [], {
    serviceName: 'Furrow engine',
    stdio: ['ignore', 'inherit', 'pipe'],
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (!exited) child.postMessage(message);
    },
    onMessage(listener) {
      child.on('message', listener);
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
