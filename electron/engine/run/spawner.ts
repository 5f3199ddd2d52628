// One interface for starting a Node process we talk to by messages. In the app, processes are Electron
// utility processes started by main (electron/host/utility-spawner.ts, and for the engine host's model
// workers electron/host/spawn-broker.ts); everywhere else they come from child_process.fork.
// Engine code only ever sees this interface, so it never imports `electron`.
import { fork } from 'node:child_process';
import { guardProcess, release } from './orphan-guard';

/** Electron's MessagePortMain, as far as Furrow uses it (transferred between utility processes). */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  start(): void;
  close(): void;
}

export interface WorkerHandle {
  readonly pid: number | undefined;
  /** `ports` travel with the message (Electron utility processes only). */
  send(message: unknown, ports?: MessagePortLike[]): void;
  onMessage(listener: (message: unknown, ports: MessagePortLike[]) => void): void;
  /** Called once when the process has gone, however it went. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** What the process writes to stderr, for error reports. */
  onStderr(listener: (text: string) => void): void;
  kill(): void;
}

export type Spawner = (entry: string) => WorkerHandle;

export const forkSpawner: Spawner = (entry) => {
  const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], serialization: 'advanced' });
  let exited = false;
  guardProcess(child.pid); // a worker stuck in a case does not outlive a parent killed with SIGKILL
  child.on('exit', () => {
    exited = true;
    release(child.pid);
  });
  // A send to a process that has just died fails asynchronously (EPIPE); its exit is reported on its own.
  child.on('error', () => undefined);
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (!exited && child.connected) child.send(message as never, (error) => void error);
    },
    onMessage(listener) {
      child.on('message', (message) => listener(message, []));
    },
    onExit(listener) {
      child.on('exit', listener);
    },
    onStderr(listener) {
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => listener(text));
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
  };
};

/** The other end: how a spawned process talks to its parent, under Electron or plain Node. */
export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown, ports: MessagePortLike[]) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown; ports?: MessagePortLike[] }) => void): void;
}

/** Sent by the spawn broker with a port: from then on the process talks to the engine host over that port. */
export const CONNECT_MESSAGE = 'furrow:connect';

export function parentChannel(): ParentChannel {
  const parentPort = (process as NodeJS.Process & { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) return electronChannel(parentPort);
  if (process.send) {
    return {
      send: (message) => process.send?.(message),
      onMessage: (listener) => process.on('message', (message) => listener(message, [])),
    };
  }
  throw new Error('this entry point runs as a child process: start it with fork, not directly');
}

/**
 * A utility process talks to Electron main through `parentPort`, unless main hands it a port to someone else
 * (a model worker's port to the engine host): then everything goes through that port.
 */
function electronChannel(parentPort: ElectronParentPort): ParentChannel {
  const listeners: ((message: unknown, ports: MessagePortLike[]) => void)[] = [];
  let port: MessagePortLike | null = null;
  parentPort.on('message', ({ data, ports = [] }) => {
    if (data === CONNECT_MESSAGE && ports[0]) {
      port = ports[0];
      port.on('message', (event) => listeners.forEach((l) => l(event.data, [])));
      port.start();
      return;
    }
    listeners.forEach((l) => l(data, ports));
  });
  return {
    send: (message) => (port ? port.postMessage(message) : parentPort.postMessage(message)),
    onMessage: (listener) => listeners.push(listener),
  };
}
