// Fuzzed inputs: malformed study files, hostile parameter values for command models, and damaged HDF5 files.
// Each ends in a clear error (a FurrowError of code bad-input, exit status 2 from the command line) or, for what
// is in fact valid, in success: never an uncaught exception, a crash or a hang.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { treeChildren, treeRoots } from '../../electron/engine/tree/data-tree';
import { FurrowError } from '../../electron/engine/errors';
import { describeDataset, readSlice } from '../../electron/engine/dataset/netcdf-read';
import { openStudy } from '../../electron/engine/study/study';
import type { Study } from '../../electron/engine/study/study';
import { exampleStudy, furrow, tempDir } from '../helpers/furrow';

export interface FuzzResult {
  cases: number;
  /** Refused with a clear message (or, where valid, accepted). */
  clear: number;
  problems: string[];
}

const VALID = `name: fz
model: {module: ./model.mjs}
outputs: {z: {}}
constants: {k: 2}
combos:
  a: [1, 2, 3]
  b: {linspace: [0, 1, 5]}
`;

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/**
 * A study.yaml that must be refused, and what kind of mistake it holds; or one that must be read right (`check`
 * says what is wrong with the study it opened as, if anything).
 */
function malformed(random: () => number): {
  kind: string;
  text: string;
  mayBeValid?: boolean;
  check?: (study: Study) => string | null;
} {
  const lines = VALID.trimEnd().split('\n');
  const at = 1 + Math.floor(random() * (lines.length - 1));
  const kind = pick(random, [
    'yaml syntax',
    'wrong type',
    'unknown key',
    'huge linspace',
    'empty combos',
    'duplicate values',
    'unicode or long name',
    'random bytes',
    'deep nesting',
    'alias bomb',
    'non-finite values',
    'a name objects have',
    'aliases and merge keys',
  ] as const);
  switch (kind) {
    case 'yaml syntax': {
      const broken = pick(random, ['a: [1, 2', 'b: {x: 1', '\ta: 1', 'a: "open', ': :', '- x\n  y: [', 'a: *nowhere']);
      lines.splice(at, 0, broken);
      return { kind, text: lines.join('\n') };
    }
    case 'wrong type':
      return {
        kind,
        text: pick(random, [
          VALID.replace('outputs: {z: {}}', 'outputs: [1, 2]'),
          VALID.replace('model: {module: ./model.mjs}', 'model: 3'),
          VALID.replace('name: fz', 'name: [fz]'),
          VALID.replace('a: [1, 2, 3]', 'a: {range: "x"}'),
          VALID.replace('b: {linspace: [0, 1, 5]}', 'b: {linspace: [0, 1, -5]}'),
          VALID.replace('combos:', 'combos: 5\nxx:'),
          VALID.replace('outputs: {z: {}}', 'outputs: {z: {dims: 7}}'),
          VALID.replace('b: {linspace: [0, 1, 5]}', `b: {logspace: [${random() * 400}, 1e308, 3]}`),
        ]),
      };
    case 'unknown key': {
      const key = pick(random, ['combo', 'output', 'modle', 'constansts', 'x'.repeat(1 + Math.floor(random() * 40))]);
      return { kind, text: `${VALID}${key}: {a: 1}\n` };
    }
    case 'huge linspace':
      return {
        kind,
        text: VALID.replace(
          'b: {linspace: [0, 1, 5]}',
          `b: {linspace: [0, 1, ${10 ** (10 + Math.floor(random() * 4))}]}`,
        ),
      };
    case 'empty combos':
      return {
        kind,
        text: pick(random, [VALID.replace(/combos:[\s\S]*$/, 'combos: {}\n'), VALID.replace('a: [1, 2, 3]', 'a: []')]),
      };
    case 'duplicate values':
      return {
        kind,
        text: VALID.replace('a: [1, 2, 3]', pick(random, ['a: [1, 1, 2]', 'a: [x, y, x]', 'a: [true, true]'])),
      };
    case 'unicode or long name': {
      const name = pick(random, ['α', 'température', '🌡', 'a b', 'a'.repeat(5000), 'x\u0000y', '../up', 'k']);
      // Valid or not, it must be said clearly: a name that is a constant's too ('k') must be refused.
      return {
        kind,
        text: VALID.replace('  a: [1, 2, 3]', `  ${JSON.stringify(name)}: [1, 2, 3]`),
        mayBeValid: name !== 'k',
      };
    }
    case 'deep nesting': {
      // Thousands of levels, in block or flow style: refused with a line, never a stack overflow.
      const depth = 1000 + Math.floor(random() * 4000);
      const flow = random() < 0.5;
      const deep = flow
        ? `x: ${'['.repeat(depth)}${']'.repeat(depth)}`
        : Array.from({ length: depth }, (_, d) => `${' '.repeat(d)}k${d}:`).join('\n') + ' 1';
      return { kind, text: `${VALID}${deep}\n` };
    }
    case 'alias bomb': {
      const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let l = 1; l < 8 + Math.floor(random() * 4); l++) {
        const prev = String.fromCharCode(96 + l);
        const next = String.fromCharCode(97 + l);
        levels.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(', ')}]`);
      }
      return { kind, text: `${VALID}bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\n` };
    }
    case 'non-finite values':
      return {
        kind,
        text: VALID.replace(
          'b: {linspace: [0, 1, 5]}',
          pick(random, [
            'b: {logspace: [0, 400, 5]}',
            'b: {range: [0, .inf]}',
            'b: {linspace: [0, .inf, 3]}',
            'b: [1, .nan]',
            'b: [-.inf, 1]',
            'b: {geomspace: [1, 1e400, 3]}',
          ]),
        ),
      };
    case 'a name objects have': {
      const name = pick(random, ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype']);
      return {
        kind,
        text: VALID.replace('  a: [1, 2, 3]', `  ${name}: [1, 2, 3]`),
        // `__proto__` is refused (an object's prototype in JavaScript); the others are names like any other.
        ...(name === '__proto__'
          ? {}
          : {
              check: (study: Study) =>
                study.space.dims.some((d) => d.name === name && d.values.length === 3)
                  ? null
                  : `the combo '${name}' is not a dim of three values`,
            }),
      };
    }
    case 'aliases and merge keys': {
      // As PyYAML reads them: an alias is its anchor's value, a merge key brings the anchored mapping's keys in.
      const text = VALID.replace('constants: {k: 2}', 'base: &base {k: 2, j: 5}\nconstants: {<<: *base, j: 7}')
        .replace('base: &base', 'attrs: &base')
        .replace('  a: [1, 2, 3]', '  a: &values [1, 2, 3]\n  c: *values');
      return {
        kind,
        text,
        check: (study) => {
          const c = study.space.dims.find((d) => d.name === 'c')?.values;
          if (JSON.stringify(c) !== '[1,2,3]') return `the alias *values gave c = ${JSON.stringify(c)}`;
          if (study.constants['k'] !== 2 || study.constants['j'] !== 7) {
            return `the merge key gave constants ${JSON.stringify(study.constants)}`;
          }
          return null;
        },
      };
    }
    case 'random bytes':
      return {
        kind,
        text: Buffer.from(
          Array.from({ length: 1 + Math.floor(random() * 400) }, () => Math.floor(random() * 256)),
        ).toString('latin1'),
        mayBeValid: true, // a few random bytes can be a YAML scalar: then it is "not a mapping", still refused
      };
  }
}

/** `n` malformed study files, each opened as the engine opens one; every 50th also through `furrow run`. */
export async function fuzzStudies(n: number, random: () => number): Promise<FuzzResult> {
  const dir = await exampleStudy('foo', { studyYaml: VALID, model: 'export default ({ a, b }) => a + b;\n' });
  const file = path.join(dir, 'study.yaml');
  const problems: string[] = [];
  let clear = 0;
  for (let i = 0; i < n; i++) {
    const { kind, text, mayBeValid, check } = malformed(random);
    fs.writeFileSync(file, text);
    const started = performance.now();
    let outcome: 'refused' | 'accepted' | 'crashed' = 'crashed';
    try {
      const study = openStudy(dir);
      outcome = 'accepted';
      const wrong = check?.(study);
      if (wrong) {
        outcome = 'crashed';
        problems.push(`${kind} #${i}: read wrong: ${wrong}`);
      }
    } catch (error) {
      if (error instanceof FurrowError && error.code === 'bad-input' && error.message.includes('study.yaml')) {
        outcome = 'refused';
      } else problems.push(`${kind} #${i}: ${(error as Error).name}: ${(error as Error).message.slice(0, 200)}`);
    }
    if (performance.now() - started > 2000)
      problems.push(`${kind} #${i}: took ${Math.round(performance.now() - started)} ms`);
    if (outcome === 'refused' && check) problems.push(`${kind} #${i} was refused:\n${text.slice(0, 300)}`);
    if (outcome === 'accepted' && !mayBeValid && !check)
      problems.push(`${kind} #${i} was accepted:\n${text.slice(0, 300)}`);
    if (i % 50 === 0 && outcome !== 'crashed') {
      const cli = await furrow(['run', dir, '--simulate']);
      const want = outcome === 'refused' ? 2 : 0;
      if (cli.code !== want)
        problems.push(`${kind} #${i}: furrow run --simulate exited ${cli.code}, not ${want}: ${cli.stderr}`);
      else if (want === 2 && cli.stderr.trim().split('\n').length !== 1)
        problems.push(`${kind} #${i}: more than one line: ${cli.stderr}`);
    }
    if (outcome === 'refused' ? !check : outcome === 'accepted' && (mayBeValid || check)) clear++;
  }
  return { cases: n, clear, problems };
}

/** A hostile parameter value: spaces, quotes, ;, $(), backticks, ../, newlines, unicode. */
function hostile(random: () => number, i: number): string {
  const parts = [
    ' ',
    "'",
    '"',
    ';',
    '$(touch pwned)',
    '`touch pwned`',
    '../',
    '\n',
    '&&',
    '|',
    '>out',
    '*',
    '~',
    '\\',
    'é',
    '🌱',
    '%s',
    '{a}',
    '-x',
    '--help',
  ];
  let s = `v${i}`;
  for (let k = 0; k < 1 + Math.floor(random() * 5); k++) s += pick(random, parts);
  return s;
}

/** `n` hostile values through a command model: each must arrive as one argv entry, byte for byte, never via a shell. */
export async function fuzzArguments(n: number, random: () => number): Promise<FuzzResult> {
  const values = Array.from({ length: n }, (_, i) => hostile(random, i));
  const yaml = `name: args\nmodel: {command: [node, ./echo.mjs, "{s}"]}\noutputs: {n: {}}\n${stringify({ combos: { s: values } })}`;
  const dir = await exampleStudy('blank', { studyYaml: yaml });
  fs.writeFileSync(
    path.join(dir, 'echo.mjs'),
    `import fs from 'node:fs';\nfs.writeFileSync('argv.json', JSON.stringify(process.argv.slice(2)));\nconsole.log(JSON.stringify({ n: process.argv.length - 2 }));\n`,
  );
  const problems: string[] = [];
  const run = await furrow(['run', dir, '--json'], { timeoutMs: 300_000 });
  if (run.code !== 0) problems.push(`the run ended with ${run.code}: ${run.stderr.slice(0, 500)}`);
  const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
  const rows = db.prepare(`SELECT _params, _calc_dir FROM psets WHERE _status = 'done'`).all() as {
    _params: string;
    _calc_dir: string;
  }[];
  db.close();
  let clear = 0;
  for (const row of rows) {
    const { s } = JSON.parse(row._params) as { s: string };
    const argv = JSON.parse(fs.readFileSync(path.join(dir, row._calc_dir, 'argv.json'), 'utf8')) as string[];
    if (argv.length === 1 && argv[0] === s) clear++;
    else problems.push(`${JSON.stringify(s)} arrived as ${JSON.stringify(argv)}`);
  }
  if (rows.length !== n) problems.push(`${rows.length} of ${n} cases done`);
  const pwned = fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => path.basename(f) === 'pwned');
  if (pwned.length) problems.push(`a value reached a shell: ${pwned.join(', ')}`);
  return { cases: n, clear, problems };
}

/** Damaged copies of a real dataset: truncated, zeroed and random-byte, opened by inspect, the data tree and a run. */
export async function fuzzFiles(n: number, random: () => number): Promise<FuzzResult> {
  const dir = await exampleStudy('foo');
  const run = await furrow(['run', dir, '--json']);
  const good = path.join(dir, 'data', 'foo.nc');
  const original = fs.readFileSync(good);
  const work = tempDir('furrow-fuzz-files-');
  const problems: string[] = [];
  if (run.code !== 0) problems.push(`the run that makes the file failed: ${run.stderr}`);
  let clear = 0;
  for (let i = 0; i < n; i++) {
    const kind = pick(random, ['truncated', 'zeroed', 'random bytes'] as const);
    let bytes = Buffer.from(original);
    if (kind === 'truncated') bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
    else if (kind === 'zeroed') {
      const from = Math.floor(random() * bytes.length);
      bytes.fill(0, from, Math.min(bytes.length, from + 1 + Math.floor(random() * 4096)));
    } else
      bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 20_000) }, () => Math.floor(random() * 256)));
    const file = path.join(work, `${i}.nc`);
    fs.writeFileSync(file, bytes);
    const what = `${kind} file #${i}`;
    let ok = true;
    // inspect, as the engine does it: a clear error, or values that agree with the shape read. (HDF5 keeps no
    // checksum of raw data or of every header: a zeroed value reads as 0, a zeroed dim scale as a dim without
    // coordinates. Garbage would be values that do not fit what the file says it holds.)
    try {
      const d = await describeDataset(file);
      for (const v of d.variables) {
        const slice = await readSlice(file, v.name, {});
        const cells = slice.shape.reduce((a, b) => a * b, 1);
        const fits = slice.values.every((x) => x === null || typeof x === 'number' || typeof x === 'string');
        if (slice.values.length !== cells || !fits) {
          ok = false;
          problems.push(
            `${what}: '${v.name}' read ${slice.values.length} values for shape [${slice.shape.join(', ')}]`,
          );
        }
      }
    } catch (error) {
      if (!(error instanceof FurrowError)) {
        ok = false;
        problems.push(`${what}: inspect threw ${(error as Error).name}: ${(error as Error).message.slice(0, 200)}`);
      }
    }
    // The data tree: the file's row shows its error, or its children list.
    try {
      const [root] = await treeRoots(null, [file]);
      if (root && !root.error && root.expandable) await treeChildren(() => openStudy(dir), root.id, 0, 200);
    } catch (error) {
      if (!(error instanceof FurrowError)) {
        ok = false;
        problems.push(
          `${what}: the data tree threw ${(error as Error).name}: ${(error as Error).message.slice(0, 200)}`,
        );
      }
    }
    // As a harvest target, every 20th: the run refuses with exit 2 and runs nothing, or merges into it.
    if (i % 20 === 0) {
      const target = path.join(dir, 'data', 'foo.nc');
      fs.writeFileSync(target, bytes);
      const r = await furrow(['run', dir, '--json'], { timeoutMs: 60_000 });
      if (r.code !== 2 && r.code !== 0) {
        ok = false;
        problems.push(`${what}: furrow run on it exited ${r.code}: ${r.stderr.slice(0, 300)}`);
      }
      fs.writeFileSync(target, original);
    }
    if (ok) clear++;
  }
  return { cases: n, clear, problems };
}
