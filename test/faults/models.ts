// Misbehaving models: each fails only its own case, with a reason, while the run finishes and its memory stays
// bounded. One run of a shell-script model whose `mode` parameter picks how it misbehaves.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { CLI, exampleStudy } from '../helpers/furrow';

const SCRIPT = `mode="$1"
case "$mode" in
  exit3) echo 'giving up' >&2; exit 3 ;;
  segv) kill -SEGV $$ ;;
  loop) while :; do :; done ;;
  flood) yes 'a line of output, again and again' | head -c 1073741824; echo; echo '{"z": 7}' ;;
  fork) sleep 600 & echo $! > child.pid; echo '{"z": 5}' ;;
  utf8) printf '\\377\\376{"z": 1}\\n' ;;
  nan) echo '{"z": NaN}' ;;
  inf) echo '{"z": Infinity}' ;;
  shape) echo '{"z": [1, 2, 3]}' ;;
  *) echo '{"z": 1}' ;;
esac
`;
const MODES = ['ok1', 'exit3', 'segv', 'loop', 'flood', 'fork', 'utf8', 'nan', 'inf', 'shape', 'ok2'];
/** Cases that must end done, with the value each stores (NaN and Infinity as Python's json.dumps writes them). */
const MUST_BE_DONE: Record<string, number> = { ok1: 1, ok2: 1, flood: 7, fork: 5, nan: NaN, inf: Infinity };
const MUST_FAIL = ['exit3', 'segv', 'loop', 'utf8', 'shape'];
/** The models that misbehave: every one but the two that behave. */
const MISBEHAVING = MODES.filter((m) => !m.startsWith('ok'));

export interface ModelsResult {
  cases: number;
  misbehaving: number;
  /** Cases that ended as they should: done, or failed with a reason. */
  clear: number;
  problems: string[];
  /** The largest resident memory of the run's processes together, in MiB. */
  peakMiB: number;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The resident memory of every process in a process group, summed (Linux /proc). */
function groupRss(pgid: number): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue; // field 5 of stat: the process group
      total += Number(fields[21]) * 4096; // field 24: resident pages
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export async function misbehavingModels(): Promise<ModelsResult> {
  // The timeout is the loop's end, and the flood's limit: 1 GiB through a pipe takes about 3 s of a core here, and
  // the loop holds the other core meanwhile; 25 s leaves room when the machine is busy with other tests too.
  const yaml = `name: bad\nmodel: {command: [sh, ./run.sh, "{mode}"], timeout: 25}\noutputs: {z: {}}\ncombos:\n  mode: [${MODES.join(', ')}]\n`;
  const dir = await exampleStudy('blank', { studyYaml: yaml });
  fs.writeFileSync(path.join(dir, 'run.sh'), SCRIPT);
  const child = spawn(process.execPath, [CLI, 'run', dir, '--json', '--workers', '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, groupRss(child.pid!))), 50);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearInterval(poll);
  const problems: string[] = [];
  if (code !== 1) problems.push(`the run ended with ${code}, not 1 (some cases failed)`);

  const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
  const rows = db.prepare(`SELECT _params, _status, _error, _calc_dir, z FROM psets`).all() as {
    _params: string;
    _status: string;
    _error: string | null;
    _calc_dir: string | null;
    z: number | null;
  }[];
  db.close();
  // What the dataset holds for each mode (NaN is NaN, Infinity is Infinity: read as Furrow reads it).
  const z = await readSlice(path.join(dir, 'data', 'bad.nc'), 'z', {});
  const modes = z.coords['mode'] as string[];
  const stores = new Map(modes.map((m, i) => [m, z.values[i] === null ? NaN : (z.values[i] as number)]));
  let clear = 0;
  for (const mode of MODES) {
    const row = rows.find((r) => (JSON.parse(r._params) as { mode: string }).mode === mode);
    if (!row) {
      problems.push(`case mode=${mode} has no record`);
      continue;
    }
    const failedWithReason = row._status === 'failed' && (row._error ?? '').trim().length > 0;
    const want = MUST_BE_DONE[mode];
    const stored = stores.get(mode);
    if (want !== undefined && row._status !== 'done') {
      problems.push(`case mode=${mode} should be done: ${row._status} ${row._error ?? ''}`);
    } else if (want !== undefined && !Object.is(stored, want)) {
      problems.push(`case mode=${mode} stored ${String(stored)} in the dataset, not ${want}`);
    } else if (MUST_FAIL.includes(mode) && !failedWithReason) {
      problems.push(`case mode=${mode} should fail with a reason: ${row._status}`);
    } else if (!(row._status === 'done' || failedWithReason)) {
      problems.push(`case mode=${mode} ended ${row._status} without a reason`);
    } else clear++;
  }
  // The child the forking model left behind is gone.
  const pidFile = fs
    .readdirSync(path.join(dir, 'cases'), { recursive: true })
    .map(String)
    .find((f) => f.endsWith('child.pid'));
  if (!pidFile) problems.push('the forking model left no child.pid');
  else {
    const pid = Number(fs.readFileSync(path.join(dir, 'cases', pidFile), 'utf8'));
    for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) problems.push(`the child ${pid} of the forking model is still running`);
  }
  return {
    cases: MODES.length,
    misbehaving: MISBEHAVING.length,
    clear,
    problems,
    peakMiB: Math.round(peak / 2 ** 20),
  };
}
