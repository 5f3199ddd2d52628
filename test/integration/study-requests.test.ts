// What the app's study requests tell besides their words (issue 21): where a study.yaml error is, as data
// (study.check); why a folder does not open, as a reason (study.open); what each example shows (study.examples).
// The engine as the app asks it, over real folders; the command line's advice for the same errors.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine';
import { errorInfo } from '../../electron/engine/dispatch';
import { engineParts } from '../../electron/cli/run-report';
import { conditionEntry, examplesDir, furrowCommand } from '../../electron/host/paths';
import { exampleStudy, furrow, tempDir } from '../helpers/furrow';

const engine = new Engine({ ...engineParts, conditionEntry, furrowCommand, examplesDir, emit: () => undefined });
afterAll(() => engine.close());

/** What the app receives when `request` fails: the error as it crosses the seam. */
async function failure(request: Promise<unknown>) {
  try {
    await request;
  } catch (error) {
    return errorInfo(error);
  }
  throw new Error('the request did not fail');
}

describe('study.check', () => {
  it("gives the field's path and what is wrong there, beside the message and the line", async () => {
    const dir = await exampleStudy('foo');
    await engine.handlers['study.open']({ dir });
    const text = fs.readFileSync(path.join(dir, 'study.yaml'), 'utf8');
    const check = await engine.handlers['study.check']({
      text: text.replace('a: [1, 2, 3]', 'a: {linspace: [0, 1, 2.5]}'),
    });
    expect(check).toMatchObject({
      ok: false,
      line: 11,
      field: ['combos', 'a', 'linspace', 2],
      detail: 'Invalid input: expected int, received number',
    });
    expect(!check.ok && check.error).toBe(
      `${path.join(dir, 'study.yaml')}:11: combos.a.linspace.2: Invalid input: expected int, received number`,
    );
    // An error that names no field: its words, and no path.
    const yaml = await engine.handlers['study.check']({ text: `${text}combos: [\n` });
    expect(yaml).toMatchObject({ ok: false, field: null });
    expect(!yaml.ok && yaml.detail).toMatch(/^YAML does not parse/);
  });
});

describe('study.open', () => {
  it('says why a folder does not open: none there, no study.yaml, or one with an error', async () => {
    const missing = path.join(tempDir(), 'nothing-here');
    expect(await failure(engine.handlers['study.open']({ dir: missing }))).toEqual({
      code: 'bad-input',
      message: `${missing}: is not a study folder (no such directory)`,
      reason: 'no-folder',
    });
    const empty = tempDir();
    expect(await failure(engine.handlers['study.open']({ dir: empty }))).toMatchObject({
      reason: 'no-study-file',
      message: `${path.join(empty, 'study.yaml')}: missing: a study folder holds a study.yaml`,
    });
    const bad = await exampleStudy('foo', { studyYaml: 'name: x\nmodel: {module: ./model.mjs}\n' });
    expect(await failure(engine.handlers['study.open']({ dir: bad }))).toMatchObject({
      reason: 'bad-study-file',
      message: expect.stringMatching(/study\.yaml:1: outputs: is required but missing$/),
    });
  });

  it('at the command line, the same errors say what to run', async () => {
    const empty = tempDir();
    const run = await furrow(['run', empty]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `furrow: ${path.join(empty, 'study.yaml')}: missing: a study folder holds a study.yaml; create one with \`furrow init ${empty}\`\n`,
    );
  });
});

describe('study.examples', () => {
  it('lists each example with what it shows, from its own study.yaml', async () => {
    const examples = await engine.handlers['study.examples']({});
    expect(examples.map((e) => e.name)).toEqual(['bar', 'blank', 'foo', 'ishigami', 'random-walk']);
    for (const { name, description } of examples) {
      const yaml = fs.readFileSync(path.join(examplesDir, name, 'study.yaml'), 'utf8');
      expect(description.length, name).toBeGreaterThan(20);
      expect(yaml).toContain(`description: ${description}`);
    }
  });
});
