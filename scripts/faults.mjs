#!/usr/bin/env node
// `npm run faults -- [--trials N] [--seed S] [--fuzz N]`: the fault campaign (test/faults/), built first, with as
// many trials as asked. It prints its table at the end (also in test-results/faults.txt) and exits non-zero when
// anything was lost. `npm test` runs a short version (4 crash trials, 60 fuzzed inputs of each kind).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    fuzz: { type: 'string' },
  },
});
const whole = (text, flag) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${flag} ${text}: give a whole number ≥ 1`);
    process.exit(2);
  }
  return n;
};
const trials = whole(values.trials, '--trials');
const seed = whole(values.seed, '--seed');
// At least 500 fuzzed inputs in all: study files are 3 per unit, parameter values and HDF5 files 1 each.
const fuzz = values.fuzz ? whole(values.fuzz, '--fuzz') : Math.max(100, trials * 2);

const root = path.resolve(import.meta.dirname, '..');
const run = (command, args, env = {}) =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
process.exit(
  run(process.execPath, [vitest, 'run', 'test/faults'], {
    FURROW_FAULT_TRIALS: String(trials),
    FURROW_FAULT_SEED: String(seed),
    FURROW_FAULT_FUZZ: String(fuzz),
  }),
);
