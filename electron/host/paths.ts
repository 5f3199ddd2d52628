// Where the built entry points, the renderer and the bundled examples are, whether we run from the
// repository (built or under test) or from a packaged app: found by walking up to Furrow's package.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'furrow') return dir;
      } catch {
        // not ours: keep walking
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find Furrow's package.json above ${start}`);
  }
}

export const appRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const buildDir = path.join(appRoot, 'dist', 'build');
export const workerEntry = path.join(buildDir, 'worker.mjs');
export const rendererDir = path.join(appRoot, 'dist', 'renderer', 'main_window');
export const examplesDir = path.join(appRoot, 'assets', 'examples');
