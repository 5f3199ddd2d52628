// Mutation testing of the code that guards data and access (`npm run mutate`; README, Reliability; docs/mutation.md
// lists the survivors judged equivalent). Only in-process tests count here: the integration and e2e tests run the
// built .vite/ bundle, which a mutant in the source never reaches, so they would only cost time.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  // The TypeScript checker is opt-in (`npm run mutate -- --checkers typescript`): on two cores it made a run about
  // six times longer (docs/mutation.md). Vitest strips the types, so a mutant that would not compile still runs.
  checkers: [],
  tsconfigFile: 'tsconfig.mutation.json',
  coverageAnalysis: 'perTest',
  mutate: [
    // furrow serve's guards: token, Host, Origin, paths.
    'electron/host/server.ts',
    // The harvest's merge (xyzpy's overwrite rules) and the in-place harvest.
    'electron/engine/dataset/harvest.ts',
    'electron/engine/dataset/harvest-file.ts',
    // The rollback journal and files written whole or not at all.
    'electron/engine/dataset/dataset-journal.ts',
    'electron/engine/dataset/atomic-file.ts',
    'electron/engine/run/pset-hash.ts',
    // The run database's writes: write() (a full disk) to resolveConflicts, with the reads between them.
    'electron/engine/db/run-db.ts:148-595',
    // A command model's argv and the paths it may write.
    'electron/engine/run/command-model.ts:283-290',
    // The study file's validation.
    'shared/study.ts',
    'electron/engine/study/study-parse.ts',
    'electron/engine/study/study.ts',
    // The YAML of a study's files: the line of a message, aliases resolved (and an alias bomb refused).
    'electron/engine/study/yaml-file.ts',
    // The plot spec's resolution: based_on chains, validation, selections and encodings (recursiveUpdate to encode).
    'shared/plot-spec.ts:104-357',
  ],
  ignoreStatic: true,
  // Incremental: a second run tests only the mutants whose code or covering tests changed. The file stays out of git
  // (it holds a copy of every mutated and test file, 1-2 MB that change with every run); a new checkout runs in full.
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  // A mutant that loops for ever is stopped after the test's own time plus this much.
  timeoutMS: 3000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  concurrency: 2,
  thresholds: { high: 90, low: 85, break: null },
};
