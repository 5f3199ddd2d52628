// The processes a run starts die with the process that started them, however that one dies. A normal exit or a
// Ctrl-C kills them in Furrow's own code; a SIGKILL leaves no code to run, and a model worker stuck in an endless
// case or a command model in a process group of its own (`sleep 1000`) would go on for ever.
//
// So the first such process started also starts a guard: a small Node process in a process group of its own,
// holding the read end of a pipe from this process. Every process (or command's process group) started is
// written into the pipe, and written out when it ends. When this process dies, however it dies, the pipe closes,
// and the guard kills everything still written in it, then ends. The guard waits on the pipe, not on a clock: it
// acts at once and costs nothing meanwhile.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/** The guard's program: `+N` guards N (a pid, or minus a process group), `-N` releases it; end of input kills. */
const GUARD = `
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
const ids = new Set();
let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  rest += chunk;
  for (let nl = rest.indexOf('\\n'); nl >= 0; nl = rest.indexOf('\\n')) {
    const line = rest.slice(0, nl);
    rest = rest.slice(nl + 1);
    if (line[0] === '+') ids.add(Number(line.slice(1)));
    else ids.delete(Number(line.slice(1)));
  }
});
const end = () => {
  for (const id of ids) {
    try { process.kill(id, 'SIGKILL'); } catch {}
  }
  process.exit(0);
};
process.stdin.on('end', end);
process.stdin.on('error', end);
`;

let guard: ChildProcess | null = null;

function send(line: string): void {
  if (!guard) {
    guard = spawn(process.execPath, ['-e', GUARD], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true, // not killed with this process's group: it is what cleans up after it
      env: { ...process.env, ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
    });
    guard.on('error', () => undefined); // no guard (no Node to start it with): the exit handlers still work
    guard.stdin!.on('error', () => undefined);
    guard.unref();
    (guard.stdin as Socket).unref();
  }
  guard.stdin!.write(line);
}

/** Kill `pid` when this process dies, unless released first. */
export function guardProcess(pid: number | undefined): void {
  if (pid !== undefined) send(`+${pid}\n`);
}

/** Kill the process group led by `pid` when this process dies, unless released first. */
export function guardGroup(pid: number | undefined): void {
  if (pid !== undefined) send(`+${-pid}\n`);
}

/** `pid` (or the group it leads, with `group`) has ended: its number may be given to another process now. */
export function release(pid: number | undefined, group = false): void {
  if (pid !== undefined && guard) send(`-${group ? -pid : pid}\n`);
}
