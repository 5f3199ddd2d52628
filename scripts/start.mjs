// `npm start`: build, then open the app on the bundled example study. Where Electron cannot start (no binary
// can be fetched, or no display), say so in one line and serve the same UI with `furrow serve` instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, '.vite', 'build', 'cli.mjs');
const demo = path.join(root, '.demo', 'foo');
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status;

if (run([path.join(root, 'scripts', 'build.mjs')]) !== 0) process.exit(1);
if (!existsSync(path.join(demo, 'study.yaml'))) {
  mkdirSync(path.dirname(demo), { recursive: true });
  if (run([cli, 'init', demo, '--example', 'foo']) !== 0) process.exit(1);
}

/** The Electron binary, or why there is none. Asking `electron` for its path may try to download it. */
function findElectron() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (probe.status !== 0 || !probe.stdout || !existsSync(probe.stdout)) {
    const why = (probe.stderr || '').split('\n').find((l) => /Error|failed/i.test(l)) ?? 'no Electron binary';
    return { error: `the Electron binary is missing and could not be downloaded (${why.trim()})` };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { error: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { binary: probe.stdout };
}

function serveInstead(reason) {
  console.log(`Electron cannot start: ${reason}; serving the same UI with \`furrow serve\` instead.`);
  const child = spawn(process.execPath, [cli, 'serve', demo, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

const electron = findElectron();
if (electron.error) serveInstead(electron.error);
else {
  const started = Date.now();
  const child = spawn(electron.binary, [path.join(root, '.vite', 'build', 'main.cjs'), '--study', demo], {
    cwd: root,
    stdio: 'inherit',
  });
  child.on('exit', (code) => {
    // Electron that dies at once (missing libraries, sandbox refused) is as good as none.
    if (code !== 0 && Date.now() - started < 5000)
      serveInstead(`Electron exited with code ${code} right after starting`);
    else process.exit(code ?? 0);
  });
}
