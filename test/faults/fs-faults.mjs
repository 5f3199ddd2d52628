// A test-only entry point: `node --import test/faults/fs-faults.mjs .vite/build/cli.mjs …` makes one chosen write of
// one file fail, or kills the process right before or after it, every time at the same write. Furrow's own code
// carries no hook: this wraps Node's fs, which h5wasm, the dataset journal and SQLite's callers go through.
//
// FURROW_FS_FAULT is JSON: {"file": "<end of the path>", "nth": K, "action": A} or {"file", "count": "<file>"}
//   action: "enospc" (the K-th write throws ENOSPC), "short" (it writes half and reports that; from then on a
//   write that would grow the file throws ENOSPC, as on a disk that just filled up), "flaky" (it writes half, the
//   next write throws EIO, and later ones work again, as a passing fault of a network disk), "eio", "kill-before" or "kill-after" (SIGKILL
//   before the K-th write reaches the file, or right after it did), "kill-after-remove" (SIGKILL right after the
//   K-th removal of the file).
//   count: write the number of writes the file got, when the process exits, to that file.
// Only the command line's own process acts on it (its model workers inherit the flag and ignore it).
import fs from 'node:fs';

const spec = process.env.FURROW_FS_FAULT ? JSON.parse(process.env.FURROW_FS_FAULT) : null;
if (spec && process.argv[1]?.endsWith('cli.mjs')) {
  const original = { openSync: fs.openSync, writeSync: fs.writeSync };
  const targets = new Set();
  let writes = 0;
  let full = false;
  const errno = (code, message) => Object.assign(new Error(`${code}: ${message}, write`), { code, syscall: 'write' });
  /** Whether a write reaches past the end of its file (a full disk refuses it; an overwrite needs no room). */
  const grows = ([fd, buffer, offset = 0, length, position]) => {
    if (typeof position !== 'number') return true;
    const end = position + (typeof length === 'number' ? length : buffer.byteLength - offset);
    return end > fs.fstatSync(fd).size;
  };
  fs.openSync = (...args) => {
    const fd = original.openSync(...args);
    if (typeof args[0] === 'string' && args[0].endsWith(spec.file)) targets.add(fd);
    else targets.delete(fd);
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
        process.kill(process.pid, 'SIGKILL');
        break;
      case 'kill-after': {
        const n = original.writeSync(...args);
        process.kill(process.pid, 'SIGKILL');
        return n;
      }
    }
    return original.writeSync(...args);
  };
  let removals = 0;
  const removed = (name) => {
    if (spec.action !== 'kill-after-remove' || typeof name !== 'string' || !name.endsWith(spec.file)) return;
    if (++removals === spec.nth) process.kill(process.pid, 'SIGKILL');
  };
  for (const remove of ['rmSync', 'unlinkSync']) {
    const call = fs[remove];
    fs[remove] = (...args) => {
      const result = call(...args);
      removed(args[0]);
      return result;
    };
  }
  if (spec.count) process.on('exit', () => fs.writeFileSync(spec.count, String(writes)));
}
