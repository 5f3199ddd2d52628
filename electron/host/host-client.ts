// Electron main's side of the engine host: sends requests, matches replies, passes events on.
// It knows only a WorkerHandle, so it carries no Electron dependency of its own.
import type { EngineErrorInfo, EngineEvent, RequestReply, WireReply } from '../../shared/api';
import { PendingReplies } from '../../shared/pending';
import type { WorkerHandle } from '../engine/run/spawner';

export class HostClient {
  private readonly pending = new PendingReplies();
  private stopped: EngineErrorInfo | null = null;

  constructor(
    private readonly host: WorkerHandle,
    onEvent: (event: EngineEvent) => void,
  ) {
    host.onMessage((raw) => {
      const message = raw as WireReply;
      if (message.kind === 'event') onEvent(message.event);
      else if (message.kind === 'result' || message.kind === 'error') this.pending.settle(message);
      // anything else is for the spawn broker
    });
    host.onExit((code, signal) => {
      this.stopped = { code: 'internal', message: `the engine host stopped (${signal ?? `exit code ${code}`})` };
      this.pending.failAll(this.stopped);
    });
  }

  /** Stop the host (its window closed); requests in flight are answered with the stop. */
  kill(): void {
    this.host.kill();
  }

  invoke(method: string, params: unknown): Promise<RequestReply> {
    if (this.stopped !== null) return Promise.resolve({ kind: 'error', error: this.stopped });
    const { id, reply } = this.pending.open();
    this.host.send({ id, method, params });
    return reply;
  }
}
