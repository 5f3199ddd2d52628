// A run's own process makes each case's pset hash once. An adaptive run makes it when the learners ask for the
// point; a grid run with `repeats:` whose process hands the model its parameters (a command model, a module model of
// a parameter space) makes it for the seed, and the case's row takes it. Both used to make it a second time.
import type * as Crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { adaptStudy } from '../../electron/engine/adaptive/adaptive-run';
import { engineParts } from '../../electron/cli/run-report';
import { seedOf } from '../../electron/engine/run/pset-hash';
import { runStudy } from '../../electron/engine/run/runner';
import { openStudy } from '../../electron/engine/study/study';
import { exampleStudy } from '../helpers/furrow';

/** The canonical JSON of every parameter set hashed in this process (Node's own hash, counted). */
const hashed = vi.hoisted(() => [] as string[]);
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof Crypto>();
  const hash = (...args: unknown[]): unknown => {
    if (typeof args[1] === 'string' && args[1].startsWith('{')) hashed.push(args[1]);
    return (real.hash as (...a: unknown[]) => unknown)(...args);
  };
  return { ...real, default: { ...real, hash }, hash };
});

/** Each row's pset hash and the seed its model said it was handed. */
function seeds(dir: string): { hash: string; s: number }[] {
  const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT _pset_hash AS hash, s FROM psets').all() as { hash: string; s: number }[];
  } finally {
    db.close();
  }
}

const MODULE = 'export default ({ seed }) => ({ y: 1, s: seed });\n';

describe("a case's pset hash, made once", () => {
  it('by an adaptive run, for each point, whose seed comes from it', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: 'name: s\nmodel: {module: ./model.mjs}\noutputs: {y: {}, s: {}}\ncombos:\n  x: [0]\nrepeats: 2\n',
      model: MODULE,
    });
    hashed.length = 0;
    const summary = await adaptStudy(
      openStudy(dir),
      { params: [{ name: 'x', lo: -1, hi: 1 }], output: 'y', loss: 'default', goal: { points: 20 }, workers: 2 },
      engineParts,
    );
    expect(summary).toMatchObject({ points: 20, evaluated: 20, failed: 0, reason: 'goal' });
    expect(hashed.filter((text) => text.includes('"x":'))).toHaveLength(20);
    const rows = seeds(dir);
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row.s).toBe(seedOf(row.hash));
  }, 60_000);

  it.each([
    [
      'a command model',
      'command: [node, -e, "console.log(JSON.stringify({y: 1, s: {seed}}))"]',
      'combos:\n  x: [1, 2, 3]\n',
    ],
    [
      'a module model of a parameter space',
      'module: ./model.mjs',
      'parameter_space: !pspace\n  g:\n    x: !pdim {values: [1, 2, 3]}\n',
    ],
  ])(
    'by a grid run with repeats of %s, for the seed, and its row takes it',
    async (_, model, space) => {
      const dir = await exampleStudy('foo', {
        studyYaml: `name: s\nmodel: {${model}}\noutputs: {y: {}, s: {}}\n${space}repeats: 2\n`,
        model: MODULE,
      });
      hashed.length = 0;
      const summary = await runStudy(openStudy(dir), { ...engineParts, workers: 2 });
      expect(summary).toMatchObject({ cases: 6, done: 6, failed: 0 });
      expect(hashed).toHaveLength(6);
      const rows = seeds(dir);
      expect(rows).toHaveLength(6);
      for (const row of rows) expect(row.s).toBe(seedOf(row.hash));
    },
    60_000,
  );
});
