// Every JSON the command line prints (--json, --events, db --format json, doctor --json) is the real output of the
// real command, validated against its JSON Schema in docs/schemas/ (ajv); the schemas allow no key they do not
// name, and the keys they name follow the one rule: snake_case.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../electron/cli/commands';
import { exampleStudy, furrow, ROOT, tempDir } from '../helpers/furrow';

const SCHEMAS = path.join(ROOT, 'docs', 'schemas');
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validators = new Map<string, ValidateFunction>();
function schema(name: string): ValidateFunction {
  if (!validators.has(name)) {
    validators.set(
      name,
      ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, `${name}.json`), 'utf8')) as object),
    );
  }
  return validators.get(name)!;
}

/** The checks done, by schema: each schema of the table must be checked at least once below. */
const checked = new Set<string>();

function expectValid(name: string, value: unknown): void {
  const validate = schema(name);
  const ok = validate(value);
  expect(ok, `${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 400)}`).toBe(true);
  checked.add(name);
}

function lastJson(stdout: string): unknown {
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** The property names a schema gives, everywhere in it. */
function propertyNames(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => propertyNames(n, into));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties') into.push(...Object.keys(value as object));
      propertyNames(value, into);
    }
  }
  return into;
}

describe('the JSON schemas', () => {
  it('name only snake_case keys, forbid any other, and each is the schema of a command', () => {
    const files = fs.readdirSync(SCHEMAS).filter((f) => f.endsWith('.json'));
    const named = new Set(Object.values(COMMANDS).flatMap((c) => ('schemas' in c ? [...c.schemas] : [])));
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...named].sort());
    for (const file of files) {
      const text = JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), 'utf8')) as object;
      for (const key of propertyNames(text)) expect(key, `${file}: ${key}`).toMatch(/^_?[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      // Every object the schema describes closes its keys (db's rows carry the person's columns, so they may not).
      const open = JSON.stringify(text).match(/"additionalProperties":true/g) ?? [];
      expect(open.length, file).toBe(file === 'db.json' ? 1 : 0);
    }
  });

  it('refuse a camelCase key where the rule says snake_case (the schema is not a rubber stamp)', () => {
    expect(schema('event')({ type: 'run.started', runId: 'x', total: 3 })).toBe(false);
    expect(schema('event')({ type: 'run.started', run_id: 'x', total: 3 })).toBe(true);
  });
});

describe('the real output of each command', () => {
  let dir: string;
  beforeAll(async () => {
    // The foo example with a model that fails for a = 2 and c = 100: the events include a case.failed.
    dir = await exampleStudy('foo', {
      model:
        "export default ({ a, b, c }) => {\n  if (a === 2 && c === 100) throw new Error('a = 2 is broken');\n  return [a * b, b + c];\n};\n",
    });
  }, 60_000);

  it('run --events, run --json, run --simulate --json', async () => {
    const events = await furrow(['run', dir, '--events', '--combo', 'b=10']);
    expect(events.code).toBe(1);
    // The events, a JSON line each, then the summary in words (no --json).
    const lines = events.stdout.trim().split('\n');
    const words = lines.findIndex((l) => !l.startsWith('{'));
    expect(lines.slice(words).join('\n')).toMatch(/cases done.*\n.*cases failed/);
    const kinds = new Set<string>();
    for (const line of lines.slice(0, words)) {
      const event = JSON.parse(line) as { type: string; params?: unknown };
      expectValid('event', event);
      kinds.add(event.type);
      if (event.type === 'case.failed') expect(event.params).toEqual({ a: 2, b: 10, c: 100 });
    }
    expect([...kinds].sort()).toEqual(['case.failed', 'run.finished', 'run.progress', 'run.started', 'run.stored']);

    const run = await furrow(['run', dir, '--json']);
    expect(run.code).toBe(1);
    expectValid('run', lastJson(run.stdout));
    const simulate = await furrow(['run', dir, '--simulate', '--json']);
    expectValid('run-simulate', JSON.parse(simulate.stdout));
  }, 60_000);

  it('sample --json, db --format json, inspect --json, dataset expand-dims --json, doctor --json', async () => {
    expectValid('sample', lastJson((await furrow(['sample', dir, '-n', '3', '--seed', '1', '--json'])).stdout));
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as unknown[];
    expect(rows.length).toBeGreaterThan(0);
    expectValid('db', rows);
    const runs = JSON.parse((await furrow(['db', dir, '--runs', '--format', 'json'])).stdout) as unknown[];
    expect(runs.length).toBeGreaterThan(0);
    expectValid('db-runs', runs);
    expectValid('inspect', lastJson((await furrow(['inspect', path.join(dir, 'data', 'foo.nc'), '--json'])).stdout));
    const doctor = await furrow(['doctor', dir, '--json']);
    expectValid('doctor', lastJson(doctor.stdout));
    const expand = await furrow(['dataset', 'expand-dims', dir, 'k', '3', '--json']);
    expect(expand.code, expand.stderr).toBe(0);
    expectValid('dataset', lastJson(expand.stdout));
  }, 60_000);

  it('dataset resolve --json', async () => {
    const study = await exampleStudy('foo');
    expect((await furrow(['run', study, '--combo', 'a=1'])).code).toBe(0);
    fs.writeFileSync(path.join(study, 'model.mjs'), 'export default ({ a, b, c }) => [-a, -b];\n');
    expect((await furrow(['run', study, '--combo', 'a=1'])).code).toBe(2);
    const resolve = await furrow(['dataset', 'resolve', study, '--run', '2', '--overwrite', 'new', '--json']);
    expect(resolve.code, resolve.stderr).toBe(0);
    expectValid('dataset-resolve', lastJson(resolve.stdout));
  }, 60_000);

  it('crop sow, grow, status, submit --dry-run, cancel, reap (--json and --events)', async () => {
    const crop = await exampleStudy('foo');
    const json = async (args: string[], code = 0) => {
      const r = await furrow(['crop', ...args, crop, '--name', 'k', '--json']);
      expect(r.code, r.stderr).toBe(code);
      return lastJson(r.stdout);
    };
    expectValid('crop-sow', await json(['sow', '--batches', '3']));
    expectValid('crop-status', await json(['status']));
    expectValid('crop-submit', await json(['submit', '--scheduler', 'slurm', '--dry-run']));
    expectValid('crop-cancel', await json(['cancel']));
    expectValid('crop-status', await json(['grow']));
    const reap = await furrow(['crop', 'reap', crop, '--name', 'k', '--events', '--json']);
    expect(reap.code, reap.stderr).toBe(0);
    const lines = reap.stdout.trim().split('\n');
    for (const line of lines.slice(0, -1)) expectValid('event', JSON.parse(line));
    expectValid('crop-reap', JSON.parse(lines.at(-1)!));
  }, 90_000);

  it('combine --json', async () => {
    const walk = await exampleStudy('random-walk');
    expect((await furrow(['run', walk, '--combo', 'seed=1,2'], { timeoutMs: 120_000 })).code).toBe(0);
    const out = path.join(tempDir(), 'walks.nc');
    const combine = await furrow(['combine', walk, 'data.h5:/random_walk', '--out', out, '--json']);
    expect(combine.code, combine.stderr).toBe(0);
    expectValid('combine', lastJson(combine.stdout));
  }, 120_000);

  it("renames Furrow's keys only: a parameter and an output named in camelCase keep their names", async () => {
    const camel = await exampleStudy('foo', {
      studyYaml: 'name: camel\nmodel: {module: ./model.mjs}\noutputs:\n  meanValue: {}\ncombos:\n  stepSize: [1, 2]\n',
      model:
        "export default ({ stepSize }) => { if (stepSize === 2) throw new Error('no'); return { meanValue: stepSize }; };\n",
    });
    const events = (await furrow(['run', camel, '--events'])).stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; run_id?: string; params?: Record<string, unknown> });
    expect(events.find((e) => e.type === 'case.failed')?.params).toEqual({ stepSize: 2 });
    expect(events.every((e) => typeof e.run_id === 'string')).toBe(true);
    const rows = JSON.parse((await furrow(['db', camel, '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(rows.find((r) => r['_status'] === 'done')).toMatchObject({
      stepSize: 1,
      meanValue: 1,
      _params: { stepSize: 1 },
    });
    const info = JSON.parse((await furrow(['inspect', path.join(camel, 'data', 'camel.nc'), '--json'])).stdout) as {
      dims: { name: string }[];
      variables: { name: string }[];
    };
    expect(info.dims.map((d) => d.name)).toEqual(['stepSize']);
    expect(info.variables.map((v) => v.name)).toEqual(['meanValue']);
  }, 60_000);

  it('sensitivity --json: sobol (with second order), morris, given-data and grid, the names kept as written', async () => {
    const dir = await exampleStudy('ishigami');
    const json = async (args: string[]) => {
      const r = await furrow(['sensitivity', dir, '--json', '--resamples', '50', ...args]);
      expect(r.code, r.stderr).toBe(0);
      return lastJson(r.stdout);
    };
    expect((await furrow(['sample', dir, '--design', 'saltelli', '--second-order', '-n', '64'])).code).toBe(0);
    const sobol = await json([]);
    expectValid('sensitivity', sobol);
    expect(sobol).toMatchObject({
      method: 'sobol',
      outputs: { y: { x1: { s2: { x3: { value: expect.any(Number) } } } } },
    });
    expect((await furrow(['sample', dir, '--design', 'morris', '-n', '8'])).code).toBe(0);
    expectValid('sensitivity', await json([]));
    expectValid('sensitivity', await json(['--method', 'given-data']));
    const grid = await exampleStudy('foo', {
      studyYaml: 'name: g\nmodel: {module: ./model.mjs}\noutputs: {meanValue: {}}\ncombos:\n  stepSize: [1, 2]\n',
      model: 'export default ({ stepSize }) => stepSize;\n',
    });
    expect((await furrow(['run', grid])).code).toBe(0);
    const r = await furrow(['sensitivity', grid, '--json']);
    const gridJson = lastJson(r.stdout);
    expectValid('sensitivity', gridJson);
    expect(gridJson).toMatchObject({ method: 'grid', outputs: { meanValue: { stepSize: { s1: 1 } } } });
  }, 90_000);

  it('adapt --json: a progress line per announcement, the summary last', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: 'name: a\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  x: [0]\n  k: [1, 2]\n',
      model: 'export default ({ x, k }) => ({ y: k * x * x });\n',
    });
    const r = await furrow(['adapt', dir, '--param', 'x=-1:1', '--output', 'y', '--goal', 'points=12', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    for (const line of lines) expectValid('adapt', line);
    expect(lines.at(-1)).toMatchObject({ type: 'adapt.finished', points: 12, reason: 'goal' });
    expect(lines.filter((l) => l.type === 'adapt.progress').length).toBeGreaterThan(0);
  }, 60_000);

  it('checked every schema the table names', () => {
    const named = new Set(Object.values(COMMANDS).flatMap((c) => ('schemas' in c ? [...c.schemas] : [])));
    expect([...checked].sort()).toEqual([...named].sort());
  });
});
