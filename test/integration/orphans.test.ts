// A `furrow run` killed with SIGKILL, alone (not its process group: what a crashed parent, an OOM killer or a
// scheduler that kills one pid does): its model workers and its command models do not run on without it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, exampleStudy } from '../helpers/furrow';
import { childrenOf, cpuSeconds, processesWith, waitGone } from '../helpers/processes';

/**
 * Start `furrow run` on `dir`, wait until `running` names two of its processes and they are busy (`busy`: each
 * has used some CPU), then kill the run alone; how long until all of them are gone.
 */
async function killParentAlone(
  dir: string,
  running: () => number[],
  busy = false,
): Promise<{ seen: number[]; seconds: number }> {
  const run = spawn(process.execPath, [CLI, 'run', dir, '--workers', '2'], { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => run.once('exit', resolve));
  await expect.poll(() => running().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  if (busy) {
    // In the endless case, not starting up: each has spun for a while.
    await expect.poll(() => Math.min(...running().map(cpuSeconds)), { timeout: 20_000 }).toBeGreaterThan(1);
  }
  const seen = running();
  run.kill('SIGKILL');
  await exited;
  const { left, seconds } = await waitGone(seen, 10_000);
  expect(left).toEqual([]);
  return { seen, seconds };
}

describe('a run killed alone', () => {
  it('takes its model workers with it, even in a case that never ends', async () => {
    const dir = await exampleStudy('foo', {
      model: 'export default () => { for (;;) {} };\n', // every case spins at 100 % CPU
    });
    let parent = 0;
    const { seen, seconds } = await killParentAlone(
      dir,
      () => {
        parent ||= processesWith(dir)[0] ?? 0;
        return parent
          ? childrenOf(parent).filter((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker.mjs'))
          : [];
      },
      true,
    );
    console.log(`${seen.length} spinning workers gone ${seconds.toFixed(2)} s after their parent was killed`);
  }, 60_000);

  it('takes its command models with it, and what they started, though they run in process groups of their own', async () => {
    const marker = `${1000 + Math.random()}`; // a `sleep` no other process runs
    const dir = await exampleStudy('foo', {
      studyYaml: `name: sleepy\nmodel:\n  command: [sh, -c, 'sleep ${marker} & sleep ${marker}']\n  timeout: 3600\noutputs: {x: {}}\ncombos:\n  a: [1, 2, 3]\n`,
    });
    const { seen, seconds } = await killParentAlone(dir, () => processesWith(`sleep\u0000${marker}`));
    console.log(`${seen.length} command processes gone ${seconds.toFixed(2)} s after their parent was killed`);
  }, 60_000);
});
