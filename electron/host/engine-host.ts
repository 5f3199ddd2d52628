// Entry point of the engine host: the process that owns the open study (its files, its runs). In the app
// Electron main starts it with utilityProcess.fork and relays the renderer's requests to it; its replies and
// the engine's events go back the same way. Its model workers are utility processes too, started by main on
// its behalf (spawn-broker.ts); run as a plain child process, it forks them itself.
import type { WireReply } from '../../shared/api';
import { dispatch } from '../engine/dispatch';
import { Engine } from '../engine/engine';
import { forkSpawner, parentChannel } from '../engine/run/spawner';
import { brokeredSpawner } from './brokered-spawner';
import { conditionEntry, examplesDir, furrowCommand, h5Kit, rendererDir, workerEntry } from './paths';

const channel = parentChannel();
const inElectron = 'parentPort' in process && process.parentPort !== undefined;
const engine = new Engine({
  spawner: inElectron ? brokeredSpawner(channel) : forkSpawner,
  workerEntry,
  conditionEntry,
  h5Kit,
  furrowCommand,
  examplesDir,
  rendererDir,
  emit: (event) => channel.send({ kind: 'event', event } satisfies WireReply),
});
channel.onMessage((message) => {
  void dispatch(engine, message).then((reply) => {
    if (reply) channel.send(reply);
  });
});
