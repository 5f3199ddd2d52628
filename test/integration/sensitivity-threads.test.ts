// The Sobol analysis's bootstrap over the cores (electron/engine/sensitivity/bootstrap.ts), as the built library
// runs it: a helper thread takes a share of the resamples, and the intervals are the same as on one thread.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/furrow';

it('computes the same intervals with a helper thread as on one, and the helper does its share', () => {
  // Ishigami on a Saltelli design of N = 2^15 base rows, 400 resamples: enough work to be worth a thread.
  const script = `import { sobolIndices, unitDesign } from 'furrow';
const n = 2 ** 15, k = 3;
const { points, rows } = unitDesign({ design: 'saltelli', n, seed: 1 }, k);
const y = new Float64Array(rows);
for (let r = 0; r < rows; r++) {
  const [a, b, c] = [0, 1, 2].map((i) => -Math.PI + 2 * Math.PI * points[r * k + i]);
  y[r] = Math.sin(a) + 7 * Math.sin(b) ** 2 + 0.1 * c ** 4 * Math.sin(a);
}
const one = sobolIndices(y, n, k, false, { resamples: 400, seed: 5, threads: 0 });
const two = sobolIndices(y, n, k, false, { resamples: 400, seed: 5, threads: 1 });
console.log(JSON.stringify({ one, two }));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(out.stderr).toBe('');
  const { one, two } = JSON.parse(out.stdout) as Record<'one' | 'two', { S1: unknown; ST: unknown; threads: number }>;
  expect(one.threads).toBe(1);
  expect(two.threads).toBe(2);
  expect(two.S1).toEqual(one.S1);
  expect(two.ST).toEqual(one.ST);
}, 120_000);
