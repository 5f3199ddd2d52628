// The renderer's bundle carries no YAML library: YAML is read and written in the engine, and the renderer reaches
// it only through shared/api.ts. An import through shared/ would not trip the renderer's own lint rule, so the built
// bundle itself is searched (npm test builds it first).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/furrow';

const ASSETS = path.join(ROOT, '.vite', 'renderer', 'main_window', 'assets');

/** Text that the yaml package's code holds wherever it is bundled: the prefix of the YAML 1.2 core tags. */
const YAML_CODE = 'tag:yaml.org,2002:';

describe('the renderer bundle', () => {
  it('holds no code of the yaml package', () => {
    const scripts = fs.readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
    expect(scripts.length, `no scripts in ${ASSETS}: run npm run build`).toBeGreaterThan(0);
    const carrying = scripts.filter((f) => fs.readFileSync(path.join(ASSETS, f), 'utf8').includes(YAML_CODE));
    expect(carrying).toEqual([]);
  });

  it('is searched for something that the yaml package does hold', () => {
    const yamlCode = fs
      .readdirSync(path.join(ROOT, 'node_modules', 'yaml', 'dist', 'schema', 'core'))
      .map((f) => fs.readFileSync(path.join(ROOT, 'node_modules', 'yaml', 'dist', 'schema', 'core', f), 'utf8'))
      .join('');
    expect(yamlCode).toContain(YAML_CODE);
  });
});
