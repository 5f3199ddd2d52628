// The command line as its users expect it (issue 27): --help and -h on every command and subcommand, `furrow help
// <command>`, --version, an unknown option named with its command's usage, -q, NO_COLOR and a terminal, a reader
// that goes away early; and docs/cli.md and the README saying all of it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, COMMON_OPTIONS, GROUPS, topLevel } from '../../electron/cli/commands';
import type { CommandSpec } from '../../electron/cli/commands';
import { optionLabel } from '../../electron/cli/help';
import { CLI, exampleStudy, furrow, ROOT } from '../helpers/furrow';

const specs = Object.values(COMMANDS) as CommandSpec[];
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('help', () => {
  it.each(specs.map((s) => [s.name, s] as const))(
    'furrow %s --help and -h: its usage, every option and an example, exit 0',
    async (name, spec) => {
      const words = name.split(' ');
      const long = await furrow([...words, '--help']);
      expect(long.code, long.stderr).toBe(0);
      expect(long.stderr).toBe('');
      expect(long.stdout).toContain(`usage: furrow ${name}`);
      for (const [option, o] of Object.entries(spec.options)) expect(long.stdout).toContain(optionLabel(option, o));
      expect(long.stdout).toContain('-q, --quiet');
      expect(long.stdout).toMatch(new RegExp(`example:\\n  furrow ${name}`));
      const short = await furrow([...words, '-h']);
      expect(short).toEqual(long);
      const help = await furrow(['help', ...words]);
      expect(help).toEqual(long);
    },
  );

  it('furrow crop --help and furrow help dataset list their subcommands; furrow --help lists every command', async () => {
    for (const group of Object.keys(GROUPS)) {
      const help = await furrow([group, '--help']);
      expect(help.code).toBe(0);
      for (const name of Object.keys(COMMANDS).filter((n) => n.startsWith(`${group} `)))
        expect(help.stdout).toContain(`furrow ${name} <study>`);
      expect(await furrow(['help', group])).toEqual(help);
    }
    const overview = await furrow(['--help']);
    expect(overview.code).toBe(0);
    for (const word of topLevel()) expect(overview.stdout).toMatch(new RegExp(`^  ${word} +\\S`, 'm'));
    expect(await furrow([])).toEqual(overview);
    expect((await furrow(['help', 'frobnicate'])).code).toBe(2);
  });

  it('furrow --version and -V print the version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await furrow([flag]);
      expect(r).toEqual({ code: 0, stdout: `furrow ${VERSION}\n`, stderr: '' });
    }
  });

  it.each(specs.filter((s) => s.name !== 'help').map((s) => [s.name, s] as const))(
    'furrow %s --frobnicate: names the option and gives the usage of that command, exit 2',
    async (name, spec) => {
      const r = await furrow([...name.split(' '), '--frobnicate']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^furrow: ${name}: unknown option '--frobnicate'\\n`));
      expect(r.stderr).toContain(`usage: furrow ${name}`);
      // Only this command's usage, not the whole list.
      expect(r.stderr).not.toContain('commands:');
      for (const [option, o] of Object.entries(spec.options)) expect(r.stderr).toContain(optionLabel(option, o));
    },
  );

  it('an option of another crop verb is unknown to this one', async () => {
    const r = await furrow(['crop', 'grow', 'x', '--name', 'k', '--batch-size', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/crop grow: unknown option '--batch-size'/);
  });
});

describe('docs/cli.md and the README', () => {
  const docs = fs.readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it('docs/cli.md has a section per command with its options, and the help each command prints', async () => {
    for (const spec of specs) {
      const section = new RegExp(`^### \`furrow ${spec.name}\``, 'm');
      expect(docs, spec.name).toMatch(section);
      const body = docs.slice(docs.search(section)).split(/^### /m)[1]!;
      for (const [name, o] of Object.entries({ ...spec.options, ...COMMON_OPTIONS }))
        expect(body, `${spec.name} ${name}`).toContain(optionLabel(name, o));
      // The help block in the docs is the command's own help, word for word (npm run docs:cli writes it).
      const help = await furrow(['help', ...spec.name.split(' ')]);
      expect(body, `docs/cli.md's help of ${spec.name} is out of date: npm run docs:cli`).toContain(help.stdout.trim());
      for (const schema of spec.schemas ?? []) expect(body).toContain(`schemas/${schema}.json`);
    }
    expect(docs).toMatch(/snake_case/);
  });

  it('the README says how to put furrow on the PATH and install the completion, and links docs/cli.md', () => {
    expect(readme).toContain('npm link');
    expect(readme).toContain('npm install -g');
    expect(readme).toContain('furrow completion bash');
    expect(readme).toContain('(docs/cli.md)');
  });
});

/** A study of 3000 cases: its table, its events, are more than a pipe holds. */
const BIG = {
  studyYaml: 'name: big\nmodel: {module: ./model.mjs}\noutputs:\n  y: {}\ncombos:\n  a: {range: [0, 3000]}\n',
  model: 'export default ({ a }) => ({ y: a * 2 });\n',
};

describe('output conventions', () => {
  let study: string;
  beforeAll(async () => {
    study = await exampleStudy('foo');
  }, 30_000);

  /** The command line on a terminal of its own (util-linux's script), with `env`; what the terminal showed. */
  function onTerminal(args: string[], env: NodeJS.ProcessEnv): string {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env, timeout: 60_000 });
    return r.stdout;
  }

  it('on a terminal, colour and the progress bar; with NO_COLOR or into a pipe, neither', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
    delete env['NO_COLOR'];
    const coloured = onTerminal(['doctor', study], env);
    expect(coloured).toContain('\x1b[32mok');
    const bar = onTerminal(['run', study, '--combo', 'a=5'], env);
    expect(bar).toMatch(/\r\[#+ *\] \d+\/\d+/);

    const plain = onTerminal(['doctor', study], { ...env, NO_COLOR: '1' });
    expect(plain).toMatch(/^ok +Node/m);
    expect(plain).not.toContain('\x1b[');
    const noBar = onTerminal(['run', study, '--combo', 'a=6'], { ...env, NO_COLOR: '1' });
    expect(noBar).toMatch(/cases done/);
    expect(noBar).not.toContain('\x1b[');
    expect(noBar).not.toMatch(/\[#/);

    const piped = await furrow(['doctor', study]);
    expect(piped.stdout).toMatch(/^ok +Node/m);
    expect(piped.stdout + piped.stderr).not.toContain('\x1b[');
  }, 90_000);

  it('-q leaves only errors (and the data asked for)', async () => {
    const quiet = await furrow(['run', study, '-q']);
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
    const init = await furrow(['-q', 'init', path.join(path.dirname(study), 'other')]);
    expect(init).toEqual({ code: 0, stdout: '', stderr: '' });
    const failing = await furrow(['run', study, '-q', '--combo', 'a=x', '--workers', '0']);
    expect(failing.code).toBe(2);
    expect(failing.stderr).toMatch(/--workers 0/);
    const json = await furrow(['run', study, '-q', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ failed: 0 });
    expect(json.stderr).toBe('');
  }, 60_000);

  /** Start the command with its stdout a pipe that this side closes after the first chunk; its exit and stderr. */
  function closedEarly(args: string[]): Promise<{ code: number | null; stderr: string; first: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', (d: Buffer) => {
        first = d.toString();
        child.stdout.destroy(); // the reader goes away, as `| head -1` does
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, first }));
    });
  }

  it('a reader that goes away early (furrow … | head -1): exit 0, nothing on stderr, for every command that prints', async () => {
    // A study with enough cases for output larger than a pipe holds.
    const big = await exampleStudy('foo', BIG);
    expect((await furrow(['run', big, '-q'])).code).toBe(0);
    const commands = [
      ['db', big, '--format', 'csv'],
      ['db', big, '--format', 'json'],
      ['db', big],
      ['inspect', path.join(big, 'data', 'big.nc'), '--json'],
      ['run', await exampleStudy('foo', BIG), '--events'],
      ['--help'],
      ['completion', 'bash'],
      ['doctor', big],
    ];
    for (const args of commands) {
      const r = await closedEarly(args);
      expect(r.first.length, args.join(' ')).toBeGreaterThan(0);
      expect({ code: r.code, stderr: r.stderr }, args.join(' ')).toEqual({ code: 0, stderr: '' });
    }
  }, 120_000);
});
