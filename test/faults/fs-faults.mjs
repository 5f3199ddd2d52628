// A test-only entry point: `node --import test/faults/fs-faults.mjs .vite/build/cli.mjs …` makes one chosen write of
// one file fail, or kills the process right at a chosen moment of it, every time at the same one. Furrow's own code
// carries no hook: this wraps Node's fs, which h5wasm and the dataset journal go through.
//
// FURROW_FS_FAULT is JSON: {"file": "<end of a path>", "nth": K, "action": A, "count"?: FILE, "snapshot"?: FILE}
//   action, at the K-th write of the file (counted over every descriptor of it the process opens):
//     "enospc" / "eio": the write throws ENOSPC / EIO;
//     "short": it writes half and reports that; from then on a write that would grow the file throws ENOSPC, as on
//       a disk that just filled up (an overwrite needs no room);
//     "flaky": it writes half, the next write throws EIO, and later ones work again (a passing fault);
//     "kill-before" / "kill-after": SIGKILL before the write reaches the file, or right after it did.
//   action "kill-after-open" / "kill-after-remove": SIGKILL right after the K-th creation / removal of the file.
//   count: when the process exits, write there the number of writes the file got.
//   snapshot: whenever a dataset journal (`<dataset>.journal`) is created, copy the dataset there first, so a test
//     can compare the file after a kill with the file as the interrupted change found it.
// Only the command line's own process acts on it (its model workers inherit the flag and ignore it).
import fs from 'node:fs';

const spec = process.env.FURROW_FS_FAULT ? JSON.parse(process.env.FURROW_FS_FAULT) : null;
if (spec && process.argv[1]?.endsWith('cli.mjs')) {
  const original = { openSync: fs.openSync, writeSync: fs.writeSync, copyFileSync: fs.copyFileSync };
  const kill = () => process.kill(process.pid, 'SIGKILL');
  const ours = (name) => typeof name === 'string' && name.endsWith(spec.file);
  const targets = new Set();
  let writes = 0;
  let opens = 0;
  let removals = 0;
  let full = false;
  const errno = (code, message) => Object.assign(new Error(`${code}: ${message}, write`), { code, syscall: 'write' });
  /** Whether a write reaches past the end of its file (a full disk refuses it; an overwrite needs no room). */
  const grows = ([fd, buffer, offset = 0, length, position]) => {
    if (typeof position !== 'number') return true;
    const end = position + (typeof length === 'number' ? length : buffer.byteLength - offset);
    return end > fs.fstatSync(fd).size;
  };

  fs.openSync = (...args) => {
    const [name, flags] = args;
    const creates = typeof flags === 'string' && flags.includes('x');
    if (spec.snapshot && creates && typeof name === 'string' && name.endsWith('.journal')) {
      original.copyFileSync(name.slice(0, -'.journal'.length), spec.snapshot);
    }
    const fd = original.openSync(...args);
    if (ours(name)) targets.add(fd);
    else targets.delete(fd);
    if (ours(name) && creates && spec.action === 'kill-after-open' && ++opens === spec.nth) kill();
    return fd;
  };

  fs.writeSync = (...args) => {
    if (!targets.has(args[0])) return original.writeSync(...args);
    writes++;
    if (full && grows(args)) throw errno('ENOSPC', 'no space left on device');
    if (spec.action === 'flaky' && writes === spec.nth + 1) throw errno('EIO', 'i/o error');
    if (writes !== spec.nth) return original.writeSync(...args);
    switch (spec.action) {
      case 'enospc':
        throw errno('ENOSPC', 'no space left on device');
      case 'eio':
        throw errno('EIO', 'i/o error');
      case 'short':
      case 'flaky': {
        full = spec.action === 'short';
        const [fd, buffer, offset = 0, length = buffer.byteLength - offset, position] = args;
        if (typeof offset !== 'number') return original.writeSync(...args); // a string write: not ours to cut
        return original.writeSync(fd, buffer, offset, Math.floor(length / 2), position);
      }
      case 'kill-before':
        kill();
        break;
      case 'kill-after': {
        const n = original.writeSync(...args);
        kill();
        return n;
      }
    }
    return original.writeSync(...args);
  };

  for (const remove of ['rmSync', 'unlinkSync']) {
    const call = fs[remove];
    fs[remove] = (...args) => {
      const result = call(...args);
      if (ours(args[0]) && spec.action === 'kill-after-remove' && ++removals === spec.nth) kill();
      return result;
    };
  }
  if (spec.count) process.on('exit', () => fs.writeFileSync(spec.count, String(writes)));
}
