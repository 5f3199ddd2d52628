// One interface for starting a Node process we talk to by messages. The app passes an implementation on
// Electron's utilityProcess (electron/host/utility-spawner.ts); everywhere else it is child_process.fork.
// Engine code only ever sees this interface, so it never imports `electron`.
import { fork } from 'node:child_process';

export interface WorkerHandle {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has gone, however it went. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Each line the process writes to stderr, for error reports. */
  onStderr(listener: (text: string) => void): void;
  kill(): void;
}

export interface SpawnOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export type Spawner = (entry: string, options?: SpawnOptions) => WorkerHandle;

export const forkSpawner: Spawner = (entry, options = {}) => {
  const child = fork(entry, options.args ?? [], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let exited = false;
  child.on('exit', () => (exited = true));
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
      child.on('message', listener);
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
  onMessage(listener: (message: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function parentChannel(): ParentChannel {
  const port = (process as NodeJS.Process & { parentPort?: ElectronParentPort }).parentPort;
  if (port) {
    return {
      send: (message) => port.postMessage(message),
      onMessage: (listener) => port.on('message', (event) => listener(event.data)),
    };
  }
  if (process.send) {
    return {
      send: (message) => process.send?.(message),
      onMessage: (listener) => process.on('message', listener),
    };
  }
  throw new Error('this entry point runs as a worker process: start it with fork, not directly');
}
