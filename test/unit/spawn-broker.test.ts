// Model workers in the app: the engine host asks Electron main for each one, and main hands both sides a
// MessageChannel. Here the utility processes are stand-ins (no Electron binary runs on these machines), but the
// broker, the host's spawner and the ports are the real code and real MessagePorts.
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessagePortLike, ParentChannel, Spawner, WorkerHandle } from '../../electron/engine/run/spawner';
import { CONNECT_MESSAGE, parentChannel } from '../../electron/engine/run/spawner';
import { brokeredSpawner } from '../../electron/host/brokered-spawner';
import { attachSpawnBroker } from '../../electron/host/spawn-broker';

/** Electron's MessagePortMain shape over Node's MessagePort. */
function electronPort(port: MessagePort): MessagePortLike {
  return {
    postMessage: (m) => port.postMessage(m),
    on: (_, listener) => port.on('message', (data: unknown) => listener({ data })),
    start: () => port.start(),
    close: () => port.close(),
  };
}

const opened: MessagePort[] = [];
afterEach(() => opened.splice(0).forEach((p) => p.close()));
const newChannel = () => {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  return { port1: electronPort(port1), port2: electronPort(port2) };
};

type Listener<T extends unknown[]> = (...args: T) => void;

/** A stand-in process: records what it is sent, and can be made to talk and to die. */
function fakeProcess(pid: number) {
  const on = {
    message: [] as Listener<[unknown, MessagePortLike[]]>[],
    exit: [] as Listener<[number | null, string | null]>[],
    stderr: [] as Listener<[string]>[],
  };
  const inbox: { message: unknown; ports: MessagePortLike[] }[] = [];
  let killed = false;
  const handle: WorkerHandle = {
    pid,
    send: (message, ports = []) => inbox.push({ message, ports }),
    onMessage: (l) => on.message.push(l),
    onExit: (l) => on.exit.push(l),
    onStderr: (l) => on.stderr.push(l),
    kill: () => {
      killed = true;
      on.exit.forEach((l) => l(null, 'SIGTERM'));
    },
  };
  return {
    handle,
    inbox,
    get killed() {
      return killed;
    },
    say: (message: unknown, ports: MessagePortLike[] = []) => on.message.forEach((l) => l(message, ports)),
    die: (code: number) => on.exit.forEach((l) => l(code, null)),
    stderr: (text: string) => on.stderr.forEach((l) => l(text)),
  };
}

function setUp() {
  const host = fakeProcess(100); // main's view of the engine host
  const workers: ReturnType<typeof fakeProcess>[] = [];
  const spawn: Spawner = () => {
    const worker = fakeProcess(200 + workers.length);
    workers.push(worker);
    return worker.handle;
  };
  attachSpawnBroker(host.handle, spawn, newChannel);
  // The host's view of main: what it sends arrives at main as the host's message, and the other way round.
  const hostListeners: Listener<[unknown, MessagePortLike[]]>[] = [];
  const toMain: ParentChannel = { send: (m) => host.say(m), onMessage: (l) => hostListeners.push(l) };
  const deliverToHost = () =>
    host.inbox.splice(0).forEach(({ message, ports }) => hostListeners.forEach((l) => l(message, ports)));
  return { host, workers, spawner: brokeredSpawner(toMain), deliverToHost };
}

describe('spawning model workers through Electron main', () => {
  it('connects the host and the worker by a port of their own, then they talk directly', async () => {
    const { workers, spawner, deliverToHost } = setUp();
    const worker = spawner('/app/.vite/build/worker.mjs');
    const received: unknown[] = [];
    worker.onMessage((m) => received.push(m));
    worker.send({ type: 'init' }); // queued until main has answered

    expect(workers).toHaveLength(1);
    const connect = workers[0]!.inbox[0]!;
    expect(connect.message).toBe(CONNECT_MESSAGE);
    const workerPort = connect.ports[0]!;
    const workerGot: unknown[] = [];
    workerPort.on('message', (e) => workerGot.push(e.data));
    workerPort.start();

    deliverToHost(); // 'spawned' with the host's end
    expect(worker.pid).toBe(200);
    await expect.poll(() => workerGot).toEqual([{ type: 'init' }]);
    workerPort.postMessage({ type: 'ready' });
    await expect.poll(() => received).toEqual([{ type: 'ready' }]);
  });

  it('passes on stderr and the exit, and kills on request', () => {
    const { workers, spawner, deliverToHost } = setUp();
    const worker = spawner('w.mjs');
    const seen: string[] = [];
    worker.onStderr((t) => seen.push(`stderr ${t}`));
    worker.onExit((code, signal) => seen.push(`exit ${code} ${signal}`));
    deliverToHost();
    workers[0]!.stderr('Traceback…');
    workers[0]!.die(3);
    deliverToHost();
    expect(seen).toEqual(['stderr Traceback…', 'exit 3 null']);

    const second = spawner('w.mjs');
    deliverToHost();
    second.kill();
    expect(workers[1]!.killed).toBe(true);
  });

  it('kills every worker when the engine host dies, so no model outlives it', () => {
    const { host, workers, spawner, deliverToHost } = setUp();
    spawner('w.mjs');
    spawner('w.mjs');
    deliverToHost();
    host.die(1);
    expect(workers.map((w) => w.killed)).toEqual([true, true]);
  });
});

describe("a utility process's channel to its parent", () => {
  it('switches to the port main hands it, so a model worker talks to the engine host directly', async () => {
    const fromMain: Listener<[{ data: unknown; ports?: MessagePortLike[] }]>[] = [];
    const toMain: unknown[] = [];
    const proc = process as unknown as { parentPort?: unknown };
    proc.parentPort = {
      postMessage: (m: unknown) => toMain.push(m),
      on: (_: string, l: (typeof fromMain)[number]) => fromMain.push(l),
    };
    try {
      const channel = parentChannel();
      const got: unknown[] = [];
      channel.onMessage((m) => got.push(m));
      fromMain.forEach((l) => l({ data: 'hello from main' }));
      channel.send('before the port');
      expect(toMain).toEqual(['before the port']);

      const { port1, port2 } = newChannel();
      fromMain.forEach((l) => l({ data: CONNECT_MESSAGE, ports: [port1] }));
      const hostGot: unknown[] = [];
      port2.on('message', (e) => hostGot.push(e.data));
      port2.start();
      channel.send({ type: 'ready' });
      port2.postMessage({ type: 'run' });
      await expect.poll(() => hostGot).toEqual([{ type: 'ready' }]);
      await expect.poll(() => got).toEqual(['hello from main', { type: 'run' }]);
      expect(toMain).toEqual(['before the port']);
    } finally {
      delete proc.parentPort;
    }
  });
});
