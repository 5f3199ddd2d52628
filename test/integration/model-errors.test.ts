// A model's errors in the person's terms (issue 21): their file relative to the study, the line and column, that
// line's text; never Furrow's frames (.vite/build/*) or Node's (node:internal/*). Real broken models, loaded by the
// built model worker in its own process, through the engine as the app asks it; command models as real programs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineEvent, ErrorAt } from '../../shared/api';
import { Engine } from '../../electron/engine/engine';
import { engineParts } from '../../electron/cli/run-report';
import { conditionEntry, examplesDir, furrowCommand } from '../../electron/host/paths';
import { furrow, tempDir } from '../helpers/furrow';
import { SYSTEM_PYTHON } from '../helpers/tools';

const events: EngineEvent[] = [];
const engine = new Engine({ ...engineParts, conditionEntry, furrowCommand, examplesDir, emit: (e) => events.push(e) });
afterAll(() => engine.close());

const STUDY = `name: broken
model:
  module: ./model.mjs
outputs:
  y: {}
combos:
  x: [1, 2, 3]
`;

function study(files: Record<string, string>, yaml = STUDY): string {
  const dir = path.join(tempDir(), 'broken');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'study.yaml'), yaml);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Nothing of Furrow's or Node's insides, and no absolute path into the study. */
function expectTheirTerms(text: string, dir: string): void {
  expect(text).not.toMatch(/\.vite[\\/]build|node:internal|electron[\\/]engine/);
  expect(text).not.toContain(dir);
  expect(text).not.toContain(fs.realpathSync(dir));
}

async function runToEnd(): Promise<EngineEvent[]> {
  events.length = 0;
  const { runId } = await engine.handlers['run.start']({});
  while (!events.some((e) => (e.type === 'run.finished' || e.type === 'run.error') && e.runId === runId)) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return events.filter((e) => 'runId' in e && e.runId === runId);
}

describe('a module model with a syntax error', () => {
  it('names the file, line and column and shows the line, in a try and in a run', async () => {
    const dir = study({ 'model.mjs': '// y of x\nexport default function ({ x }) {\n  return { y: x +* 2 };\n}\n' });
    await engine.handlers['study.open']({ dir });
    const at: ErrorAt = { file: 'model.mjs', line: 3, column: 18, source: '  return { y: x +* 2 };' };

    const tried = await engine.handlers['study.try']({});
    expect(tried.params).toEqual({}); // no case was tried: the model never loaded
    expect(tried.errorAt).toEqual(at);
    expect(tried.error).toBe("model.mjs could not be loaded: SyntaxError: Unexpected token '*'\n    at model.mjs:3:18");

    const run = await runToEnd();
    const error = run.find((e) => e.type === 'run.error');
    expect(error).toMatchObject({ errorAt: at });
    expectTheirTerms((error as { message: string }).message, dir);
  });

  it('finds it in a file the model imports, in a sub-folder', async () => {
    const dir = study({
      'model.mjs': "import { twice } from './lib/twice.mjs';\nexport default ({ x }) => ({ y: twice(x) });\n",
      'lib/twice.mjs': 'export function twice(x) {\n\treturn x *;\n}\n',
    });
    await engine.handlers['study.open']({ dir });
    const tried = await engine.handlers['study.try']({});
    expect(tried.errorAt).toEqual({ file: 'lib/twice.mjs', line: 2, column: 12, source: '\treturn x *;' });
    expect(tried.error).toMatch(/^model\.mjs could not be loaded: SyntaxError: Unexpected token ';'/);
  });

  it('at the command line: the line with a caret under the column', async () => {
    const dir = study({ 'model.mjs': 'export default function ({ x }) {\n  return { y: x +* 2 };\n}\n' });
    const run = await furrow(['run', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "furrow: model.mjs could not be loaded: SyntaxError: Unexpected token '*'\n    at model.mjs:2:18\n  2 |   return { y: x +* 2 };\n    |                  ^\n",
    );
  });
});

describe('a module model that throws', () => {
  it("at load: the top-level line of the person's file", async () => {
    const dir = study({ 'model.mjs': "const table = JSON.parse('{oops');\nexport default () => ({ y: table });\n" });
    await engine.handlers['study.open']({ dir });
    const tried = await engine.handlers['study.try']({});
    expect(tried.errorAt).toMatchObject({ file: 'model.mjs', line: 1, source: "const table = JSON.parse('{oops');" });
    expectTheirTerms(tried.error!, dir);
  });

  it('in a case: case.failed and the stored _error name their frame, not the worker', async () => {
    const dir = study({
      'model.mjs':
        "import { check } from './check.mjs';\nexport default function ({ x }) {\n  return { y: check(x) };\n}\n",
      'check.mjs':
        "export function check(x) {\n  if (x === 2) throw new RangeError('x = 2 is out of range');\n  return x;\n}\n",
    });
    await engine.handlers['study.open']({ dir });
    const run = await runToEnd();
    const failed = run.filter((e) => e.type === 'case.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      params: { x: 2 },
      errorAt: {
        file: 'check.mjs',
        line: 2,
        column: 22,
        source: "  if (x === 2) throw new RangeError('x = 2 is out of range');",
      },
    });
    const error = (failed[0] as { error: string }).error;
    expect(error.split('\n')).toEqual([
      'RangeError: x = 2 is out of range',
      '    at check (check.mjs:2:22)',
      '    at default (model.mjs:3:15)',
    ]);
    const page = await engine.handlers['db.cases']({ where: "_status = 'failed'" });
    const stored = page.rows[0]![page.columns.findIndex((c) => c.name === '_error')];
    expect(stored).toBe(error);
  });

  it('in a try: the frame and its line', async () => {
    const dir = study({ 'model.mjs': 'export default function ({ x }) {\n  return { y: x.toFixed(-1) };\n}\n' });
    await engine.handlers['study.open']({ dir });
    const tried = await engine.handlers['study.try']({});
    expect(tried.errorAt).toEqual({ file: 'model.mjs', line: 2, column: 17, source: '  return { y: x.toFixed(-1) };' });
    expect(tried.error).toBe(
      'RangeError: toFixed() digits argument must be between 0 and 100\n    at default (model.mjs:2:17)',
    );
  });
});

describe('a command model whose program fails', () => {
  it("names the script's line, relative to the study", async () => {
    const dir = study(
      {
        'sim.py':
          'import json, os\nx = json.loads(os.environ["FURROW_PARAMS"])["x"]\nprint(json.dumps({"y": 1 / (x - 2)}))\n',
      },
      STUDY.replace('module: ./model.mjs', `command: [${SYSTEM_PYTHON}, ./sim.py]`),
    );
    await engine.handlers['study.open']({ dir });
    const run = await runToEnd();
    const failed = run.find((e) => e.type === 'case.failed') as { error: string; errorAt?: ErrorAt } | undefined;
    expect(failed?.errorAt).toMatchObject({ file: 'sim.py', line: 3, source: 'print(json.dumps({"y": 1 / (x - 2)}))' });
    expect(failed?.error).toMatch(/File "sim\.py", line 3/);
    expect(failed?.error).toMatch(/ZeroDivisionError/);
    expectTheirTerms(failed!.error, dir);
  });
});
