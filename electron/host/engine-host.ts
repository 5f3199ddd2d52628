// Entry point of the engine host: the process that owns the open study (its files, its runs). In the app
// Electron main starts it with utilityProcess.fork and relays the renderer's requests to it; its replies and
// the engine's events go back the same way.
import type { WireReply } from '../../shared/api';
import { dispatch } from '../engine/dispatch';
import { Engine } from '../engine/engine';
import { forkSpawner, parentChannel } from '../engine/spawner';
import { workerEntry } from './paths';

const channel = parentChannel();
// Model workers are child processes of this host: Electron's utilityProcess.fork exists only in the main
// process, and a hop through main for every worker would buy nothing.
const engine = new Engine({
  spawner: forkSpawner,
  workerEntry,
  emit: (event) => channel.send({ kind: 'event', event } satisfies WireReply),
});
channel.onMessage((message) => {
  void dispatch(engine, message).then((reply) => {
    if (reply) channel.send(reply);
  });
});
