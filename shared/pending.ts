// Matching replies to requests by id, for every transport that carries the engine API.
import type { EngineErrorInfo, RequestReply } from './api';

export class PendingReplies {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: RequestReply) => void>();

  /** A fresh request id and the promise of its reply. */
  open(): { id: number; reply: Promise<RequestReply> } {
    const id = this.nextId++;
    return { id, reply: new Promise((resolve) => this.waiting.set(id, resolve)) };
  }

  settle(reply: RequestReply & { id: number }): void {
    this.waiting.get(reply.id)?.(reply);
    this.waiting.delete(reply.id);
  }

  /** The other end is gone: every request still waiting gets this error. */
  failAll(error: EngineErrorInfo): void {
    for (const resolve of this.waiting.values()) resolve({ kind: 'error', error });
    this.waiting.clear();
  }
}
