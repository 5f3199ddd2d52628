#!/usr/bin/env node
// `npm run faults -- [--trials N] [--seed S] [--fuzz N]`: the fault campaign (test/faults/), built first, with as
// many trials as asked. It prints its table at the end (also in test-results/faults.txt) and exits non-zero when
// anything was lost. `npm test` runs a short version (5 crash trials, 60 fuzzed inputs of each kind).
//
// `npm run faults -- --self-check`: the campaign proves it can fail. For each protection it answers for, a copy of
// Furrow is built with that protection switched off, and the trials that should notice are run against it
// (FURROW_CLI points them at the copy); each must fail. It prints which protection each caught and exits non-zero
// when one went unnoticed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    fuzz: { type: 'string' },
    'self-check': { type: 'boolean', default: false },
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
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const run = (command, args, options = {}) =>
  spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    ...options,
    env: { ...process.env, ...options.env },
  }).status ?? 1;

if (!values['self-check']) {
  if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);
  process.exit(
    run(process.execPath, [vitest, 'run', 'test/faults'], {
      env: {
        FURROW_FAULT_TRIALS: String(trials),
        FURROW_FAULT_SEED: String(seed),
        FURROW_FAULT_FUZZ: String(fuzz),
      },
    }),
  );
}

/**
 * Each protection, how it is switched off (one replacement in one file), and the campaign's trials that answer for
 * it: the test name to run (`-t`) and the kill phases.
 */
const PROTECTIONS = [
  {
    name: "the dataset journal's recovery (a change cut short is put back)",
    file: 'electron/engine/dataset/dataset-journal.ts',
    find: '  const journalFile = journalOf(file);\n  let journal: Buffer;',
    replace: '  const journalFile = journalOf(file);\n  if (journalFile) return false;\n  let journal: Buffer;',
    test: 'kills spread over',
    phases: 'journal appears,harvest write',
  },
  {
    name: 'database completeness (cases a kill left between the dataset and the database are recorded)',
    file: 'electron/engine/run/plan.ts',
    find: 'await db.settleInterrupted(',
    replace: 'void db.settleInterrupted;\n    void (',
    test: 'kills spread over',
    phases: 'journal removed',
  },
  {
    name: 'orphan cleanup (workers and command models end with the run)',
    file: 'electron/engine/run/orphan-guard.ts',
    find: 'function send(line: string): void {',
    replace: 'function send(line: string): void {\n  if (line) return;',
    test: 'killed alone',
    phases: '',
  },
];

/** A copy of the sources with `protection` switched off, built; its command line. */
function buildWithout(protection, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(root, dir, {
    recursive: true,
    filter: (from) => !/^(node_modules|\.git|\.vite|test-results)$/.test(path.relative(root, from)),
  });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const file = path.join(dir, protection.file);
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(protection.find))
    throw new Error(`${protection.file} no longer holds what the self-check switches off`);
  fs.writeFileSync(file, text.replace(protection.find, protection.replace));
  if (run(process.execPath, ['scripts/build.mjs'], { cwd: dir }) !== 0) throw new Error(`building ${dir} failed`);
  return path.join(dir, '.vite', 'build', 'cli.mjs');
}

if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);
const results = [];
for (const protection of PROTECTIONS) {
  const dir = path.join(os.tmpdir(), `furrow-self-check-${process.pid}`);
  console.log(`\nself-check: ${protection.name} switched off in ${protection.file}`);
  const cli = buildWithout(protection, dir);
  const status = run(process.execPath, [vitest, 'run', 'test/faults/campaign.test.ts', '-t', protection.test], {
    env: {
      FURROW_CLI: cli,
      FURROW_FAULT_TRIALS: String(Math.max(2, Math.min(trials, 4))),
      FURROW_FAULT_SEED: String(seed),
      ...(protection.phases ? { FURROW_FAULT_PHASES: protection.phases } : {}),
    },
  });
  results.push({ name: protection.name, caught: status !== 0 });
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log('\nself-check: each protection switched off in turn; the campaign must fail');
for (const r of results) console.log(`  ${r.caught ? 'caught  ' : 'MISSED  '} ${r.name}`);
process.exit(results.every((r) => r.caught) ? 0 : 1);
