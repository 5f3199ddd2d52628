// What a dantro or paramspace user writes first, working as they expect: a parameter space's model receives the
// nested mapping (`params.random_walk.max_step_size`), a !pdim's `name:` names its dim only, and flat dotted keys
// stay for a module model that asks for them; the pset hashes and the dataset of such a study are as before.
// Real files, the real command line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow } from '../helpers/furrow';

const SPACE = `parameter_space: !pspace
  seed: !pdim {default: 0, values: [1, 2]}
  random_walk:
    initial_state: 0.5
    max_step_size: !pdim {default: 1, values: [0.1, 0.3], name: step}
  abm: {iterate: {p_eat: 0.1}}
`;

/** The run database's rows: pset hash, the dims' values and y, in the order of the cases. */
async function rows(dir: string): Promise<{ _pset_hash: string; step: number; seed: number; y: number }[]> {
  const db = await furrow(['db', dir, '--format', 'json']);
  expect(db.code, db.stderr).toBe(0);
  return JSON.parse(db.stdout) as { _pset_hash: string; step: number; seed: number; y: number }[];
}

describe('the parameters of a parameter space', () => {
  it('reach a module model nested, with the dim named by name: only; the hashes and the dataset are as before', async () => {
    const dir = await exampleStudy('blank', {
      studyYaml: `name: s\nmodel: {module: ./model.mjs}\noutputs: {y: {}, keys: {}}\n${SPACE}`,
      // What the model sees: y from the nested values, keys as the top of the mapping.
      model: `export default (p) => ({
  y: p.seed * 10 + p.random_walk.max_step_size + p.random_walk.initial_state + p.abm.iterate.p_eat,
  keys: Object.keys(p).sort().join(' '),
});\n`,
    });
    const run = await furrow(['run', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ cases: 4, done: 4 });
    // The dim is named `step` (its name:), the model never sees that name.
    const y = await readSlice(path.join(dir, 'data', 's.nc'), 'y', {});
    expect(y.dims).toEqual(['step', 'seed']);
    expect(y.values.map((v) => Number((v as number).toFixed(6)))).toEqual([10.7, 20.7, 10.9, 20.9]);
    const keys = await readSlice(path.join(dir, 'data', 's.nc'), 'keys', {});
    expect(new Set(keys.values)).toEqual(new Set(['abm random_walk seed']));
    // The hashes Furrow gave these cases before models received nested parameters (psweep's _pset_hash of the
    // flat names), and the run database's columns by those names.
    const got = await rows(dir);
    expect(got.map((r) => [r._pset_hash, r.step, r.seed])).toEqual([
      ['f2587b4546280801319ee4ed259f9e3c2f1a5f7d', 0.1, 1],
      ['a73cb9b543f8645c710fd26c9118f5ed22ea56f7', 0.1, 2],
      ['c52bf233b6244ff3c4b9871c4775463fc220c3f3', 0.3, 1],
      ['9bf98c31d0f6c6d481f500784f4c27a42d46b93f', 0.3, 2],
    ]);
    expect(got[0]).toMatchObject({ 'random_walk.initial_state': 0.5, 'abm.iterate.p_eat': 0.1 });
  });

  it('reach a module model flat, by their dotted names and the dims by their names, when it asks (params: flat)', async () => {
    const dir = await exampleStudy('blank', {
      studyYaml: `name: s\nmodel: {module: ./model.mjs, params: flat}\noutputs: {y: {}}\n${SPACE}`,
      model: `export default (p) => ({ y: p.seed * 10 + p.step + p['random_walk.initial_state'] + p['abm.iterate.p_eat'] });\n`,
    });
    const run = await furrow(['run', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ cases: 4, done: 4 });
    const y = await readSlice(path.join(dir, 'data', 's.nc'), 'y', {});
    expect(y.values.map((v) => Number((v as number).toFixed(6)))).toEqual([10.7, 20.7, 10.9, 20.9]);
    expect((await rows(dir)).map((r) => r._pset_hash)[0]).toBe('f2587b4546280801319ee4ed259f9e3c2f1a5f7d');
  });

  it("reach a command model nested in params.json and FURROW_PARAMS; its {placeholders} take the dims' names", async () => {
    const dir = await exampleStudy('blank', {
      studyYaml: `name: s
model: {command: ['{node}', ./model.mjs, '{step}', '{random_walk.initial_state}']}
outputs: {y: {}}
${SPACE}`,
      model: `const p = JSON.parse(process.env.FURROW_PARAMS);
const [step, initial] = process.argv.slice(2).map(Number);
if (step !== p.random_walk.max_step_size || initial !== p.random_walk.initial_state) process.exit(3);
console.log(JSON.stringify({ y: p.seed * 10 + p.random_walk.max_step_size }));\n`,
    });
    const run = await furrow(['run', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ cases: 4, done: 4 });
    const cases = path.join(dir, 'cases');
    const given = fs
      .readdirSync(cases)
      .map((id) => JSON.parse(fs.readFileSync(path.join(cases, id, 'params.json'), 'utf8')) as unknown);
    expect(given).toContainEqual({
      seed: 2,
      random_walk: { initial_state: 0.5, max_step_size: 0.3 },
      abm: { iterate: { p_eat: 0.1 } },
    });
    expect(given).toHaveLength(4);
  });

  it('refuse a constant of study.yaml that takes a key the nested mapping has, naming where', async () => {
    const dir = await exampleStudy('blank', {
      studyYaml: `name: s\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\nconstants: {abm: 3}\n${SPACE}`,
    });
    const plan = await furrow(['run', dir, '--simulate']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(
      /study\.yaml:4: constants\.abm: 'abm' is also a key of parameter_space \(abm\.iterate\.p_eat\), where the model receives its nested parameters; rename it, or set it in parameter_space/,
    );
  });
});
