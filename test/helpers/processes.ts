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

/** When `pid` started (in clock ticks since boot), or null once it is gone: a pid and its start name one process. */
function startOf(pid: number): string | null {
  try {
    const fields = statFields(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return fields[1] === 'Z' ? null : fields[19]!;
  } catch {
    return null;
  }
}

/**
 * Wait until none of `pids` runs, or `ms` passed; the ones still running, and how long it took in seconds. A pid
 * given to a new process meanwhile (a busy machine wraps around its pids quickly) counts as gone.
 */
export async function waitGone(pids: number[], ms: number): Promise<{ left: number[]; seconds: number }> {
  const start = performance.now();
  const started = new Map(pids.map((pid) => [pid, startOf(pid)]));
  const running = (pid: number) => started.get(pid) !== null && startOf(pid) === started.get(pid);
  let left = pids.filter(running);
  while (left.length > 0 && performance.now() - start < ms) {
    await new Promise((r) => setTimeout(r, 25));
    left = left.filter(running);
  }
  return { left, seconds: (performance.now() - start) / 1000 };
}
