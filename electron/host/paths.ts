// Where the built entry points, the renderer and the bundled examples are, whether we run from the
// repository (built, or from source under test) or from a packaged app.
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

const here = path.dirname(fileURLToPath(import.meta.url));
export const appRoot = findRoot(here);
/** Bundled, this module sits in .vite/build beside the entry points; under test it runs from source. */
export const buildDir = fs.existsSync(path.join(here, 'worker.mjs')) ? here : path.join(appRoot, '.vite', 'build');
export const workerEntry = path.join(buildDir, 'worker.mjs');
/** The process that reads the cases table with a person's SQL condition (condition-reader.ts). */
export const conditionEntry = path.join(buildDir, 'condition.mjs');
/** The command line's entry: what cluster tasks run (`furrow grow-batch`). */
export const cliEntry = path.join(buildDir, 'cli.mjs');
/** How another process runs Furrow's command line: this Node (or Electron acting as Node), then cli.mjs. */
export const furrowCommand = [process.execPath, cliEntry];
/** The HDF5 writer JavaScript command models get as FURROW_H5. */
export const h5Kit = path.join(buildDir, 'h5.mjs');
export const rendererDir = path.join(buildDir, '..', 'renderer', 'main_window');
/** In the repository, assets/examples; in a packaged app, the examples resource beside app.asar. */
export const examplesDir =
  [
    path.join(appRoot, 'assets', 'examples'),
    path.join((process as NodeJS.Process & { resourcesPath?: string }).resourcesPath ?? appRoot, 'examples'),
  ].find((dir) => fs.existsSync(dir)) ?? path.join(appRoot, 'assets', 'examples');
