// The processes of this machine, as /proc has them (Linux): for tests that check what a killed run left running.
import fs from 'node:fs';
import { isAlive } from './furrow';

/** The live processes whose /proc/<pid>/`file` passes `test` (those that vanish while it is read do not). */
function processes(file: 'cmdline' | 'stat', test: (text: string) => boolean): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return test(fs.readFileSync(`/proc/${d}/${file}`, 'utf8'));
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(isAlive);
}

const statFields = (stat: string) => stat.slice(stat.lastIndexOf(')') + 2).split(' ');

/** Every process whose command line contains `marker` (arguments are separated by NUL there). */
export const processesWith = (marker: string) => processes('cmdline', (line) => line.includes(marker));

/** The children of `pid`. */
export const childrenOf = (pid: number) => processes('stat', (stat) => Number(statFields(stat)[1]) === pid);

/** CPU time `pid` has used, in seconds (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = statFields(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Wait until none of `pids` runs, or `ms` passed; the ones still running, and how long it took in seconds. */
export async function waitGone(pids: number[], ms: number): Promise<{ left: number[]; seconds: number }> {
  const start = performance.now();
  let left = pids.filter(isAlive);
  while (left.length > 0 && performance.now() - start < ms) {
    await new Promise((r) => setTimeout(r, 25));
    left = left.filter(isAlive);
  }
  return { left, seconds: (performance.now() - start) / 1000 };
}
