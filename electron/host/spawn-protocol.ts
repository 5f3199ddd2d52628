// How the engine host, itself a utility process, gets model workers in the app: Electron's utilityProcess.fork
// exists only in main, so the host asks main (the spawn broker) to start each one. Main gives the worker and
// the host the two ends of a MessageChannel, so cases and results flow between them directly, not through main.
export type ToBroker = { kind: 'spawn'; id: number; entry: string } | { kind: 'kill'; id: number };

export type FromBroker =
  | { kind: 'spawned'; id: number; pid: number | undefined } // with the host's end of the port
  | { kind: 'exited'; id: number; code: number | null; signal: string | null }
  | { kind: 'stderr'; id: number; text: string };

export function isToBroker(message: unknown): message is ToBroker {
  const kind = (message as { kind?: unknown } | null)?.kind;
  return kind === 'spawn' || kind === 'kill';
}

export function isFromBroker(message: unknown): message is FromBroker {
  const kind = (message as { kind?: unknown } | null)?.kind;
  return kind === 'spawned' || kind === 'exited' || kind === 'stderr';
}
