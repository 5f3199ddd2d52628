// The fault campaign (`npm run faults -- --trials N`; a short version runs in `npm test`): the whole of Furrow
// attacked, repeatably, from one seed, with its figures printed at the end. Anything lost fails it.
//   1. crash-safety: `furrow run`, a crop grower and a reap killed with SIGKILL at seeded moments (crash.ts);
//   2. misbehaving models (models.ts);
//   3. fuzzed study files, parameter values and HDF5 files (fuzz.ts).
// `furrow serve`'s guards and two writers on one study have their own tests (serve.test.ts, concurrency.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleStudy } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';
import { CRASH_MODEL, CRASH_STUDY, PHASES, cropTrial, runTrial, seeded } from './crash';
import type { Trial } from './crash';
import { fuzzArguments, fuzzFiles, fuzzStudies } from './fuzz';
import type { FuzzResult } from './fuzz';
import { misbehavingModels } from './models';
import { FaultTable } from './table';

/** Trials of each kind: a few in `npm test`, as many as asked in `npm run faults -- --trials N`. */
const TRIALS = Number(process.env['FURROW_FAULT_TRIALS'] ?? 4);
/** Fuzzed inputs of each kind: at least 500 in all in the full campaign. */
const FUZZ = Number(process.env['FURROW_FAULT_FUZZ'] ?? 60);
const SEED = Number(process.env['FURROW_FAULT_SEED'] ?? 1);
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
      for (let i = 0; i < TRIALS; i++) record(await runTrial(template, PHASES[i % PHASES.length]!, random, true));
    },
    120_000 + TRIALS * 30_000,
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
