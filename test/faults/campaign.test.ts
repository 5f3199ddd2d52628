// The fault campaign (`npm run faults -- --trials N`; a short version runs in `npm test`): the whole of Furrow
// attacked, repeatably, from one seed, with its figures printed at the end. Anything lost fails it.
//   1. crash-safety: `furrow run`, a crop grower and a reap killed with SIGKILL at seeded moments (crash.ts), and
//      `furrow adapt` killed mid-run, then run again (adapt-crash.ts);
//   2. misbehaving models (models.ts);
//   3. fuzzed study files, parameter values and HDF5 files (fuzz.ts).
// `furrow serve`'s guards and two writers on one study have their own tests (serve.test.ts, concurrency.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleStudy } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';
import { adaptReference, adaptTemplate, adaptTrial } from './adapt-crash';
import { CRASH_MODEL, CRASH_STUDY, PHASES, aloneTrial, cropTrial, runTrial, seeded } from './crash';
import type { Phase, Trial } from './crash';
import { fuzzArguments, fuzzFiles, fuzzStudies } from './fuzz';
import type { FuzzResult } from './fuzz';
import { diskFullTrials } from './disk-full';
import { misbehavingModels } from './models';
import { hostileRequests } from './serve';
import { FaultTable } from './table';

/** Trials of each kind: a few in `npm test`, as many as asked in `npm run faults -- --trials N`. */
const TRIALS = Number(process.env['FURROW_FAULT_TRIALS'] ?? PHASES.length);
/** Fuzzed inputs of each kind: at least 500 in all in the full campaign. */
const FUZZ = Number(process.env['FURROW_FAULT_FUZZ'] ?? 60);
const SEED = Number(process.env['FURROW_FAULT_SEED'] ?? 1);
/** The kill phases to try (all, unless the self-check of scripts/faults.mjs picks those a protection answers for). */
const phases = process.env['FURROW_FAULT_PHASES']?.split(',').map((p) => p.trim() as Phase) ?? PHASES;
const table = new FaultTable();

afterAll(() => {
  console.log(`\n${table.write(`fault campaign: seed ${SEED}, ${TRIALS} crash trials`)}\n`);
});

describeWith('xarray', 'crash-safety: killed with SIGKILL at any moment, nothing stored is lost', () => {
  let template: string;
  beforeAll(async () => {
    template = await exampleStudy('foo', { studyYaml: CRASH_STUDY, model: CRASH_MODEL });
  });

  const record = (t: Trial) => {
    table.add(t.what, {
      trials: 1,
      faults: t.killed ? 1 : 0,
      inside: t.inside ? 1 : 0,
      before: t.storedBefore,
      after: t.found,
      lost: t.lost,
      unreadable: t.unreadable,
    });
    expect(t.problems, t.what).toEqual([]);
  };

  it(
    `furrow run of 2,000 cases, ${TRIALS} kills spread over its start, harvest writes, commits and end`,
    async () => {
      const random = seeded(SEED);
      for (let i = 0; i < TRIALS; i++) record(await runTrial(template, phases[i % phases.length]!, random, true));
    },
    120_000 + TRIALS * 30_000,
  );

  it(
    'furrow run killed alone (not its process group): its workers and command models end with it',
    async () => {
      const random = seeded(SEED + 5);
      for (let i = 0; i < Math.max(2, Math.round(TRIALS / 5)); i++) {
        for (const kind of ['module', 'command'] as const) {
          const t = await aloneTrial(template, kind, random);
          record(t);
          console.log(`${t.what}: ${t.processes} processes, ${t.left} left, all gone in ${t.seconds.toFixed(2)} s`);
        }
      }
    },
    120_000 + TRIALS * 20_000,
  );

  it(
    'a crop grower killed mid-batch and a reap killed mid-merge',
    async () => {
      const random = seeded(SEED + 1);
      const rounds = Math.max(1, Math.round(TRIALS / 10));
      for (let i = 0; i < rounds; i++) for (const t of await cropTrial(template, random, true)) record(t);
    },
    120_000 + TRIALS * 20_000,
  );
});

describe('furrow adapt killed mid-run, then run again: the points and loss of a run left alone', () => {
  it(`${Math.max(2, Math.round(TRIALS / 2))} kills of furrow adapt --workers 1 at seeded moments`, async () => {
    const template = await adaptTemplate();
    const reference = await adaptReference(template);
    const random = seeded(SEED + 8);
    for (let i = 0; i < Math.max(2, Math.round(TRIALS / 2)); i++) {
      const t = await adaptTrial(template, reference, random);
      table.add('furrow adapt killed mid-run', {
        trials: 1,
        faults: t.killed ? 1 : 0,
        before: t.before,
        after: t.after,
        lost: t.after < reference.xs.length ? reference.xs.length - t.after : 0,
      });
      if (t.inFlight)
        console.log(`furrow adapt killed mid-run: ${t.inFlight} point in flight at the kill, evaluated again`);
      expect(t.problems).toEqual([]);
    }
  }, 240_000);
});

describeWith('tmpfs', 'a disk that fills up: nothing stored changes, one line says why, nothing is left behind', () => {
  it('runs on a small disk, filled to leave a seeded room before a harvest and before a first run', async () => {
    const random = seeded(SEED + 7);
    // From no room at all to nearly enough (a round needs about 1.3 MB, a first run about 0.9 MB).
    const rooms = (most: number) =>
      Array.from({ length: Math.max(2, Math.round(TRIALS / 5)) }, () => Math.round(random() * most));
    for (const kind of ['harvest', 'first run'] as const) {
      const r = await diskFullTrials(kind, rooms(kind === 'harvest' ? 1200 : 800));
      table.add(`disk full at a ${kind}`, {
        trials: r.trials,
        faults: r.trials,
        after: r.clear,
        lost: r.trials - r.clear,
      });
      for (const m of r.messages) console.log(`disk full at a ${kind}: ${m}`);
      expect(r.problems).toEqual([]);
    }
  }, 600_000);
});

describe('misbehaving models: each fails only its own case, with a reason', () => {
  it('exit 3, SIGSEGV, a loop past its timeout, 1 GiB on stdout, a forked child, bad UTF-8, NaN, Infinity, a wrong shape', async () => {
    const r = await misbehavingModels();
    table.add('misbehaving models (cases)', {
      trials: r.cases,
      faults: r.misbehaving,
      after: r.clear,
      lost: r.cases - r.clear,
    });
    console.log(`misbehaving models: peak memory of the run's processes ${r.peakMiB} MiB (1 GiB went through stdout)`);
    expect(r.problems).toEqual([]);
    expect(r.peakMiB).toBeLessThan(512);
  }, 120_000);
});

describe('fuzzed inputs: each a clear error (exit status 2), never a crash', () => {
  const record = (section: string, r: FuzzResult) => {
    table.add(section, { trials: r.cases, faults: r.cases, after: r.clear, lost: r.cases - r.clear });
    expect(r.problems.slice(0, 10), section).toEqual([]);
    expect(r.clear, `${section}: inputs that ended neither refused nor read right`).toBe(r.cases);
  };
  it(`${FUZZ * 3} malformed study files: syntax, types, unknown keys, a huge linspace, empty combos, duplicates, names`, async () => {
    record('fuzzed study files', await fuzzStudies(FUZZ * 3, seeded(SEED + 2)));
  }, 300_000);
  it(`${FUZZ} hostile parameter values reach a command model byte for byte, one argv entry each`, async () => {
    record('fuzzed parameter values', await fuzzArguments(FUZZ, seeded(SEED + 3)));
  }, 300_000);
  it(`${FUZZ} truncated, zeroed and random-byte HDF5 files in inspect, the data tree and as a harvest target`, async () => {
    const r = await fuzzFiles(FUZZ, seeded(SEED + 4));
    table.add('fuzzed HDF5 files', {
      trials: r.cases,
      faults: r.cases,
      after: r.clear,
      unreadable: 0,
      lost: r.cases - r.clear,
    });
    expect(r.problems.slice(0, 10)).toEqual([]);
  }, 300_000);
});

describe('hostile requests to furrow serve, while it carries a run', () => {
  it(`${Math.max(10, Math.round(FUZZ / 3))} bad handshakes, random and malformed frames and runaway conditions: each refused, serve goes on`, async () => {
    const r = await hostileRequests(Math.max(10, Math.round(FUZZ / 3)), seeded(SEED + 6));
    table.add('hostile requests to furrow serve', {
      trials: r.cases,
      faults: r.cases,
      after: r.clear,
      lost: r.cases - r.clear,
    });
    expect(r.problems).toEqual([]);
  }, 300_000);
});
