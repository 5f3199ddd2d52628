// The files offered when picking a model: the study's own, after a real run has made its folders.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { studyFiles } from '../../electron/engine/study/study-files';
import { exampleStudy, furrow } from '../helpers/furrow';

describe('the study files to pick a model from', () => {
  it("lists the study's own files, not what runs made there or hidden ones", async () => {
    const dir = await exampleStudy('foo');
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    fs.mkdirSync(path.join(dir, 'scripts', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'scripts', 'lib', 'sim.py'), 'print(1)\n');
    fs.writeFileSync(path.join(dir, '.secret'), 'x');
    fs.mkdirSync(path.join(dir, 'cases', 'abc'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cases', 'abc', 'params.json'), '{}');
    const { files, truncated } = studyFiles(dir);
    expect(files).toEqual(['model.mjs', 'scripts/lib/sim.py', 'study.yaml']);
    expect(truncated).toBe(false);
    // The run made its dataset and database here; they are not offered.
    expect(fs.readdirSync(dir)).toEqual(expect.arrayContaining(['data', 'cases']));
  });

  it('stops at a thousand files and says so', async () => {
    const dir = await exampleStudy('foo');
    fs.mkdirSync(path.join(dir, 'many'));
    for (let i = 0; i < 1100; i++) fs.writeFileSync(path.join(dir, 'many', `f${i}.txt`), '');
    const { files, truncated } = studyFiles(dir);
    expect(files).toHaveLength(1000);
    expect(truncated).toBe(true);
  });
});
