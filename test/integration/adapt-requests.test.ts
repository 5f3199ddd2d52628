// The adapt.* requests (the app's Adapt mode) on a real engine with real model workers: start, the progress events
// with the points added, stop at any time, the status of a stopped run, and a start that resumes it.
import { afterAll, describe, expect, it } from 'vitest';
import type { AdaptProgress, AdaptSummary } from '../../shared/adaptive';
import type { EngineEvent } from '../../shared/api';
import { engineParts } from '../../electron/cli/run-report';
import { errorInfo } from '../../electron/engine/dispatch';
import { Engine } from '../../electron/engine/engine';
import { conditionEntry, examplesDir, furrowCommand } from '../../electron/host/paths';
import { exampleStudy } from '../helpers/furrow';

const events: EngineEvent[] = [];
const engine = new Engine({ ...engineParts, conditionEntry, furrowCommand, examplesDir, emit: (e) => events.push(e) });
afterAll(() => engine.close());

const until = async (done: () => boolean, ms = 30_000) => {
  for (const end = Date.now() + ms; !done();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The latest adapt.progress of a run. */
const progressOf = (runId: string) =>
  events.findLast((e): e is AdaptProgress => e.type === 'adapt.progress' && e.runId === runId);

describe('adapt.start, adapt.stop, adapt.status', () => {
  it('learns with progress events, stops when asked, and a second start goes on from the stored points', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: 'name: s\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  x: [0]\n',
      model:
        'export default async ({ x }) => { await new Promise((r) => setTimeout(r, 10)); return { y: Math.tanh(20 * x) }; };\n',
    });
    await engine.handlers['study.open']({ dir });
    expect(await engine.handlers['adapt.status']({})).toBeNull();

    const bad = await engine.handlers['adapt.start']({
      params: [{ name: 'nope', lo: 0, hi: 1 }],
      output: 'y',
      goal: { points: 5 },
    }).catch((e: unknown) => errorInfo(e));
    expect(bad).toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/--param nope: .*no parameter of that name/),
    });
    expect(engine.run).toBeNull();

    const options = { params: [{ name: 'x', lo: -1, hi: 1 }], output: 'y', goal: { points: 100_000 }, workers: 2 };
    const started = await engine.handlers['adapt.start'](options);
    expect(started.resumed).toBe(0);
    const progress = () =>
      events.filter((e): e is AdaptProgress => e.type === 'adapt.progress' && e.runId === started.runId);
    await until(() => (progress().at(-1)?.points ?? 0) >= 20);
    const running = await engine.handlers['adapt.status']({});
    expect(running).toMatchObject({ runId: started.runId, output: 'y', running: true });
    // Not a grid run: the run bar's run.status has nothing to say of it (no stale 0 of N cases).
    expect(await engine.handlers['run.status']({})).toBeNull();
    // Every point so far: the events' added points, in order, are the status's.
    expect(running!.added.length).toBeGreaterThanOrEqual(20);
    expect(
      progress()
        .flatMap((p) => p.added)
        .slice(0, 20),
    ).toEqual(running!.added.slice(0, 20));
    expect(await engine.handlers['adapt.stop']({})).toEqual({ stopped: true });
    const finished = events.find((e) => e.type === 'adapt.finished' && e.runId === started.runId) as
      { summary: AdaptSummary } | undefined;
    expect(finished?.summary).toMatchObject({
      reason: 'stopped',
      dataset: expect.stringMatching(/data\/s\.adapt\.nc$/),
    });
    const stopped = finished!.summary.points;
    expect(await engine.handlers['adapt.stop']({})).toEqual({ stopped: false });

    const status = await engine.handlers['adapt.status']({});
    expect(status).toMatchObject({ points: stopped, pending: 0, failed: 0, running: false });
    expect(status!.added).toHaveLength(stopped);
    expect(status!.loss).toBeGreaterThan(0);

    const again = await engine.handlers['adapt.start']({ ...options, goal: { points: stopped + 10 } });
    expect(again.resumed).toBe(stopped);
    await until(() => events.some((e) => e.type === 'adapt.finished' && e.runId === again.runId));
    const last = events.find((e) => e.type === 'adapt.finished' && e.runId === again.runId) as {
      summary: AdaptSummary;
    };
    expect(last.summary).toMatchObject({ reason: 'goal', points: stopped + 10, evaluated: 10 });
  }, 90_000);

  it('says a run is running while it is between two points, when none is pending', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: 'name: s\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  x: [0]\n',
      model:
        'export default async ({ x }) => { await new Promise((r) => setTimeout(r, 400)); return { y: Math.tanh(20 * x) }; };\n',
    });
    await engine.handlers['study.open']({ dir });
    const started = await engine.handlers['adapt.start']({
      params: [{ name: 'x', lo: -1, hi: 1 }],
      output: 'y',
      goal: { points: 1000 },
      workers: 1,
    });
    try {
      // One worker: as a point is told, the next is not asked for yet, and the announcement says none is pending.
      // A window opened then must still see the run (renderer/adaptive/adapt-store.test.ts: what it shows).
      let status = null;
      for (let tries = 0; tries < 20 && status?.pending !== 0; tries++) {
        await until(() => progressOf(started.runId)?.pending === 0);
        status = await engine.handlers['adapt.status']({});
      }
      expect(status).toMatchObject({ runId: started.runId, pending: 0, running: true });
    } finally {
      await engine.handlers['adapt.stop']({});
    }
  }, 90_000);
});
