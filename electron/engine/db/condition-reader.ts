// Reads of the cases table that carry a person's SQL condition (the app's condition box, `furrow db --where`) run in
// a process of their own, on a read-only connection, within a budget. A condition can ask SQLite for endless work
// (a recursive WITH that never stops); better-sqlite3 12 offers neither sqlite3_interrupt nor a progress handler,
// and a thread stuck inside SQLite cannot be stopped, but a process can be killed. So a condition that outlasts the
// budget has its process killed and the person is told; the next condition starts a new process. Meanwhile the
// engine's own thread stays free for every other request. Reads without a condition (column filters, sorting) cost
// at most a pass over the table and are made here.
import type { EngineErrorInfo } from '../../../shared/api';
import type { CasesRead, CasesReadResults } from './db-query';
import { readCases } from './db-query';
import { FurrowError } from '../errors';
import { RunDb } from './run-db';
import type { Spawner, WorkerHandle } from '../run/spawner';

/** How long one condition may run, in seconds. */
export const CONDITION_BUDGET_S = 2;

export interface ConditionRequest {
  id: number;
  studyDir: string;
  read: CasesRead;
  /** After this long (and a grace) the process ends itself: its parent may be gone and unable to kill it. */
  budgetMs: number;
}

export type ConditionReply =
  | { type: 'ready' }
  | { type: 'answer'; id: number; result: unknown }
  | { type: 'answer'; id: number; error: EngineErrorInfo };

interface Child {
  handle: WorkerHandle;
  ready: Promise<void>;
  stderr: string;
}

interface Pending {
  id: number;
  child: Child;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function tooLong(where: string, budgetMs: number): FurrowError {
  return new FurrowError(
    'bad-input',
    `the condition '${where}' took too long: it was stopped after ${budgetMs / 1000} s. Use a simpler condition, ` +
      `one that compares columns with values (x > 2 AND _status = 'done')`,
  );
}

const stopped = () => new FurrowError('cancelled', 'stopped while a condition was being read');

const ended = (code: number | null, signal: string | null, stderr: string) =>
  `${signal ? `was killed (${signal})` : `exited with code ${code}`}${stderr.trim() ? `: ${stderr.trim()}` : ''}`;

export class ConditionReader {
  private child: Child | null = null;
  private pending: Pending | null = null;
  /** One condition at a time: each waits for the one before, then has its whole budget. */
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly spawner: Spawner,
    /** The built condition-process entry. */
    private readonly entry: string,
    private readonly budgetMs = CONDITION_BUDGET_S * 1000,
  ) {}

  /** Make a read of the study's cases table; one with a condition in a process of its own, within the budget. */
  async read<R extends CasesRead>(studyDir: string, read: R): Promise<CasesReadResults[R['kind']]> {
    const where = read.query.where?.trim();
    if (!where) {
      const db = RunDb.openReadOnly(studyDir);
      try {
        return readCases(db, read);
      } finally {
        db?.close();
      }
    }
    const turn = this.queue.then(() => this.inChild(studyDir, read, where));
    this.queue = turn.catch(() => undefined);
    return turn as Promise<CasesReadResults[R['kind']]>;
  }

  /** Stop: a condition still running fails as cancelled and its process is killed. */
  close(): void {
    this.closed = true;
    this.settle((p) => p.reject(stopped()));
    this.kill();
  }

  private async inChild(studyDir: string, read: CasesRead, where: string): Promise<unknown> {
    if (this.closed) throw stopped();
    const child = (this.child ??= this.start());
    await child.ready;
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.settle((p) => p.reject(tooLong(where, this.budgetMs)));
        this.kill();
      }, this.budgetMs);
      this.pending = { id, child, resolve, reject, timer };
      child.handle.send({ id, studyDir, read, budgetMs: this.budgetMs } satisfies ConditionRequest);
    });
  }

  private start(): Child {
    const handle = this.spawner(this.entry);
    let started!: () => void;
    let failed!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    const child: Child = { handle, ready, stderr: '' };
    handle.onStderr((text) => (child.stderr = (child.stderr + text).slice(-2000)));
    handle.onMessage((raw) => {
      const message = raw as ConditionReply;
      if (message.type === 'ready') return started();
      if (this.pending?.id !== message.id) return;
      this.settle((p) =>
        'error' in message
          ? p.reject(new FurrowError(message.error.code, message.error.message))
          : p.resolve(message.result),
      );
    });
    handle.onExit((code, signal) => {
      if (this.child === child) this.child = null;
      const error = this.closed
        ? stopped()
        : new FurrowError('internal', `the process that reads conditions ${ended(code, signal, child.stderr)}`);
      failed(error);
      // A process killed for its budget may report its end after the next condition has started in a new one.
      if (this.pending?.child === child) this.settle((p) => p.reject(error));
    });
    return child;
  }

  private settle(how: (pending: Pending) => void): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    how(pending);
  }

  private kill(): void {
    this.child?.handle.kill();
    this.child = null;
  }
}
