// A run of the open study by another process (`furrow run` in a terminal), followed from the run database and
// announced as the engine announces its own (run.started with `by`, run.progress, run.stored, run.finished), so an
// open window shows it live.
import os from 'node:os';
import type { Result } from '../../../shared/api';
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
    type Row = {
      run_id: string;
      cases: number;
      skipped: number;
      done: number;
      failed: number;
      started_utc: string;
      status: string;
    };
    const query = (where: string, ...args: unknown[]) =>
      engine.readDb((db) =>
        db
          ? ((db.db
              .prepare(
                `SELECT run_id, cases, skipped, done, failed, started_utc, status FROM runs WHERE ${where} ORDER BY run_seq DESC LIMIT 1`,
              )
              .get(...args) as Row | undefined) ?? null)
          : null,
      );
    try {
      const running = query(`status = 'running'`);
      const holder = lockHolder(engine.studyDir);
      if (running && holder) {
        if (this.foreign?.runId !== running.run_id) {
          emit({
            type: 'run.started',
            runId: running.run_id,
            total: running.cases,
            by: `${holder.what} (pid ${holder.pid}${holder.host === os.hostname() ? '' : ` on ${holder.host}`})`,
          });
        }
        // Its stored cases are its rows recorded done; each look counts only the rows added since the last.
        const counted = this.foreign?.runId === running.run_id ? this.foreign : { stored: 0, seq: 0 };
        const added = engine.readDb((db) =>
          db
            ? (db.db
                .prepare(
                  `SELECT COUNT(*) AS n, MAX(_pset_seq) AS seq FROM psets WHERE _pset_seq > ? AND _run_id = ? AND _status = 'done'`,
                )
                .get(counted.seq, running.run_id) as { n: number; seq: number | null })
            : { n: 0, seq: null },
        );
        const stored = counted.stored + added.n;
        const seq = added.seq ?? counted.seq;
        const seconds = Math.max(0.001, (Date.now() - Date.parse(running.started_utc)) / 1000);
        const finished = running.done + running.failed;
        const rate = finished / seconds;
        const progress: Result<'run.status'> & object = {
          type: 'run.progress',
          runId: running.run_id,
          total: running.cases,
          done: running.done,
          failed: running.failed,
          running: 0,
          stored,
          rate,
          eta: rate > 0 ? (running.cases - finished) / rate : null,
          current: [],
        };
        if (added.n > 0) {
          emit({ type: 'run.stored', runId: running.run_id, stored, dataset: engine.study().datasetPath });
        }
        this.foreign = { runId: running.run_id, progress, stored, seq };
        emit(progress);
      } else if (this.foreign) {
        const { runId } = this.foreign;
        this.foreign = null;
        const last = query('run_id = ?', runId);
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
