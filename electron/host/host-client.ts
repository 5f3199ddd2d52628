// Electron main's side of the engine host: sends requests, matches replies, passes events on.
// It knows only a WorkerHandle, so it carries no Electron dependency of its own.
import type { EngineEvent, RequestReply, WireReply } from '../../shared/api';
import type { WorkerHandle } from '../engine/spawner';

export class HostClient {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: RequestReply) => void>();

  constructor(
    private readonly host: WorkerHandle,
    onEvent: (event: EngineEvent) => void,
  ) {
    host.onMessage((raw) => {
      const message = raw as WireReply;
      if (message.kind === 'event') return onEvent(message.event);
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message);
    });
    host.onExit((code, signal) => {
      for (const resolve of this.pending.values()) {
        resolve({
          kind: 'error',
          error: { code: 'internal', message: `the engine host stopped (${signal ?? `exit code ${code}`})` },
        });
      }
      this.pending.clear();
    });
  }

  invoke(method: string, params: unknown): Promise<RequestReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.host.send({ id, method, params });
    });
  }
}
