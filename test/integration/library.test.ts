// The library as a user imports it, by the package's name, from the built bundle (issue 9, its first part).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/furrow';

const BUILD = path.join(ROOT, '.vite', 'build');

it("imports as 'furrow' and runs combos in this process, nested as xyzpy nests them", () => {
  const script = `import { comboRunner, caseRunner } from 'furrow';
console.log(JSON.stringify([
  comboRunner(({ a, b }) => a * b, { a: [1, 2], b: [3, 4] }),
  caseRunner(({ x }) => x + 1, ['x'], [[1], [2]]),
]));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(out.stderr).toBe('');
  expect(JSON.parse(out.stdout)).toEqual([
    [
      [3, 4],
      [6, 8],
    ],
    [2, 3],
  ]);
});

it('pulls in neither React nor Electron', () => {
  const seen = new Set<string>();
  const imports: string[] = [];
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import .* from "([^"]+)";$/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('./')) walk(path.join(BUILD, spec));
      else imports.push(spec);
    }
  };
  walk(path.join(BUILD, 'lib.mjs'));
  expect(imports.filter((s) => /^(react|react-dom|electron|zustand|plotly)/.test(s))).toEqual([]);
});
