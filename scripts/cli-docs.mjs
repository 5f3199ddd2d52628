// `npm run docs:cli`: docs/cli.md's reference part, written from the command line's own help (the table in
// electron/cli/commands.ts): a section per command with its help, word for word. What is above the marker is
// written by hand; test/integration/cli-help.test.ts checks that the two agree.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, '.vite', 'build', 'cli.mjs');
const docs = path.join(root, 'docs', 'cli.md');
const MARKER = "<!-- Everything below is written by `npm run docs:cli` from the commands' own help. -->";

const furrow = (...args) => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const words = (...before) =>
  furrow('__complete', ...before, '')
    .trim()
    .split('\n');

const names = [];
for (const word of words()) {
  const verbs = word === 'crop' || word === 'dataset' ? words(word) : [];
  if (verbs.length) names.push(...verbs.map((verb) => `${word} ${verb}`));
  else names.push(word);
}
const sections = names.map((name) => {
  const help = furrow('help', ...name.split(' ')).trimEnd();
  const summary = help.split('\n')[0].replace(/^furrow \S+( \S+)? — /, '');
  return `### \`furrow ${name}\`\n\n${summary[0].toUpperCase()}${summary.slice(1)}.\n\n\`\`\`text\n${help}\n\`\`\`\n`;
});
const text = fs.readFileSync(docs, 'utf8');
const head = text.includes(MARKER) ? text.slice(0, text.indexOf(MARKER)) : `${text.trimEnd()}\n\n`;
fs.writeFileSync(docs, `${head}${MARKER}\n\n## Every command\n\n${sections.join('\n')}`);
console.log(`wrote ${names.length} commands into ${path.relative(root, docs)}`);
