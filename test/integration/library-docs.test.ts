// docs/library.md's examples, run as a user runs them (issue 9): each ```ts block is compiled to JavaScript and run
// by Node, importing 'furrow' by its name from the built bundle, in one folder shared by the examples in order
// (with the ```js file=NAME blocks written there); what it prints must be the ```text block after it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/furrow';

interface Block {
  lang: string;
  info: string;
  text: string;
  line: number;
}

function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)?\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    blocks.push({ lang: open[1] ?? '', info: open[2] ?? '', text: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

const DOC = path.join(ROOT, 'docs', 'library.md');
const blocks = blocksOf(fs.readFileSync(DOC, 'utf8'));
// Inside the package, so that `import ... from 'furrow'` resolves to it by its own name.
const work = path.join(ROOT, 'test-results', 'library-docs');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const examples = blocks.flatMap((b, i) => (b.lang === 'ts' ? [{ block: b, expected: blocks[i + 1] }] : []));

it('has examples, each followed by what it prints, that type-check against the package', () => {
  expect(examples.length).toBeGreaterThanOrEqual(7);
  for (const { block, expected } of examples) expect(expected?.lang, `docs/library.md:${block.line}`).toBe('text');
  // As a user's project sees 'furrow': its types through package.json's exports, strict.
  const files = examples.map(({ block }) => {
    const file = path.join(work, `typed-${block.line}.mts`);
    fs.writeFileSync(file, block.text);
    return file;
  });
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
  expect(errors).toEqual([]);
}, 60_000);

for (const [n, { block, expected }] of examples.entries()) {
  it(`docs/library.md:${block.line} prints what the page says`, () => {
    // The module files shown before this example are there when it runs.
    for (const b of blocks) {
      const file = /file=(\S+)/.exec(b.info)?.[1];
      if (file && b.line < block.line) fs.writeFileSync(path.join(work, file), `${b.text}\n`);
    }
    const js = ts.transpileModule(block.text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const file = path.join(work, `example-${n + 1}.mjs`);
    fs.writeFileSync(file, js);
    const run = spawnSync(process.execPath, [file], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr, `docs/library.md:${block.line}`).toBe('');
    expect(run.stdout.trimEnd()).toBe(expected!.text.trimEnd());
  });
}
