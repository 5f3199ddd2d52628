// No module imports itself, however far round: a cycle makes load order decide what a module sees at start-up, and
// ties concerns together that should be apart. Type-only imports count too (they tie the code as much), so the
// whole graph of electron/, shared/ and renderer/ is walked and the modules of each cycle are named.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/furrow';

const SOURCES = ['electron', 'shared', 'renderer'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** The project's modules a file imports (static, type-only, re-exports and dynamic import()). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .flatMap((name) => {
      const base = path.resolve(path.dirname(file), name);
      const found = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find(
        (p) => fs.existsSync(p) && fs.statSync(p).isFile(),
      );
      return found ? [found] : [];
    });
}

/** The cycles of the graph: one per strongly connected component of more than one module (or a self-import). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) cycles.push(component.reverse());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('import cycles', () => {
  it('the cycle finder finds a cycle, and none in a chain', () => {
    expect(
      cyclesOf(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(
      cyclesOf(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('electron/, shared/ and renderer/ import no module that imports them back', () => {
    const graph = new Map<string, string[]>();
    for (const root of SOURCES) for (const file of sourceFiles(path.join(ROOT, root))) graph.set(file, importsOf(file));
    expect(graph.size).toBeGreaterThan(100);
    // Each entry: the modules of one cycle (a strongly connected component), each reachable from each.
    const named = cyclesOf(graph).map((cycle) => cycle.map((f) => path.relative(ROOT, f)).join(', '));
    expect(named).toEqual([]);
  });
});
