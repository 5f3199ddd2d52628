// A run of the open study by another process (`furrow run` in a terminal), followed from the run database and
// announced as the engine announces its own (run.started with `by`, run.progress, run.stored, run.finished), so an
// open window shows it live.
import os from 'node:os';
import type { Result } from '../../../shared/api';
import type { RunDb } from '../db/run-db';
import type { EngineState } from '../engine-state';
import { lockHolder } from '../study/study-lock';

/** A run of another process on this study, as its database rows show it; `seq`: the last row counted. */
interface ForeignRun {
  runId: string;
  progress: Result<'run.status'>;
  stored: number;
  seq: number;
}

export class ForeignRunWatcher {
  private foreign: ForeignRun | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly engine: EngineState) {}

  get progress(): Result<'run.status'> | null {
    return this.foreign?.progress ?? null;
  }

  /** Look at the open study's run database every second, from now on (a study opened anew starts afresh). */
  watch(): void {
    clearInterval(this.timer);
    this.foreign = null;
    this.timer = setInterval(() => this.check(), 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const engine = this.engine;
    if (engine.studyDir === null || engine.run) return; // this engine's own run announces itself
    const emit = engine.options.emit;
    const latest = (which: Parameters<RunDb['latestRun']>[0]) => engine.readDb((db) => db?.latestRun(which) ?? null);
    try {
      const running = latest({ running: true });
      const holder = lockHolder(engine.studyDir);
      if (running && holder) {
        if (this.foreign?.runId !== running.runId) {
          emit({
            type: 'run.started',
            runId: running.runId,
            total: running.cases,
            by: `${holder.what} (pid ${holder.pid}${holder.host === os.hostname() ? '' : ` on ${holder.host}`})`,
          });
        }
        // Its stored cases are its rows recorded done; each look counts only the rows added since the last.
        const counted = this.foreign?.runId === running.runId ? this.foreign : { stored: 0, seq: 0 };
        const added = engine.readDb((db) => db?.doneSince(running.runId, counted.seq) ?? { count: 0, seq: null });
        const stored = counted.stored + added.count;
        const seq = added.seq ?? counted.seq;
        const seconds = Math.max(0.001, (Date.now() - Date.parse(running.startedUtc)) / 1000);
        const finished = running.done + running.failed;
        const rate = finished / seconds;
        const progress: Result<'run.status'> & object = {
          type: 'run.progress',
          runId: running.runId,
          total: running.cases,
          done: running.done,
          failed: running.failed,
          running: 0,
          stored,
          rate,
          eta: rate > 0 ? (running.cases - finished) / rate : null,
          current: [],
        };
        if (added.count > 0) {
          emit({ type: 'run.stored', runId: running.runId, stored, dataset: engine.study().datasetPath });
        }
        this.foreign = { runId: running.runId, progress, stored, seq };
        emit(progress);
      } else if (this.foreign) {
        const { runId } = this.foreign;
        this.foreign = null;
        const last = latest({ runId });
        if (!last || last.status === 'running') {
          emit({
            type: 'run.error',
            runId,
            message:
              'the run started from elsewhere stopped without finishing (its process is gone); run it again with --missing-only',
          });
        } else {
          emit({
            type: 'run.finished',
            runId,
            summary: {
              run_id: runId,
              cases: last.cases + last.skipped,
              done: last.done,
              failed: last.failed,
              skipped: last.skipped,
              dataset: engine.study().datasetPath,
              harvest: null,
              harvest_seconds: 0,
            },
          });
        }
      }
    } catch {
      // a database being created or a study.yaml being edited: look again in a second
    }
  }
}
