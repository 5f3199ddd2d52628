// Particular cases from a file (`--cases FILE`, and the app's "import a file"): JSON or YAML, a list of
// mappings; or CSV / TSV, a header row of names and a row per case, each cell read as a YAML scalar (so numbers
// stay numbers, `true` is a boolean and anything else a string). Quoted CSV cells may hold the separator.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Scalar } from '../../shared/space';
import { isScalar } from '../../shared/space';
import { FurrowError } from './errors';
import { parseYamlFile, plainData } from './yaml-file';

function splitRow(line: string, sep: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (!quoted && ch === '"' && cell === '') {
      quoted = true;
    } else if (!quoted && ch === sep) {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells;
}

export function readCasesFile(file: string): Record<string, Scalar>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new FurrowError('bad-input', `--cases ${file}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
  const ext = path.extname(file).toLowerCase();
  let rows: unknown;
  if (ext === '.csv' || ext === '.tsv') {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    const sep = ext === '.tsv' ? '\t' : ',';
    const names = splitRow(lines[0] ?? '', sep).map((n) => n.trim());
    rows = lines.slice(1).map((line, i) => {
      const cells = splitRow(line, sep);
      if (cells.length !== names.length) {
        throw new FurrowError(
          'bad-input',
          `--cases ${file}, line ${i + 2}: ${cells.length} values for ${names.length} columns (${names.join(', ')})`,
        );
      }
      return Object.fromEntries(names.map((n, j) => [n, cells[j]!.trim() === '' ? '' : parseYaml(cells[j]!)]));
    });
  } else if (ext === '.json') {
    try {
      rows = JSON.parse(text);
    } catch (error) {
      throw new FurrowError('bad-input', `--cases ${file}: not valid JSON: ${(error as Error).message}`);
    }
  } else {
    rows = plainData(parseYamlFile(file, text));
  }
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new FurrowError(
      'bad-input',
      `--cases ${file}: give a list of cases, each a mapping of parameter names to values`,
    );
  }
  rows.forEach((row: unknown, i) => {
    const bad =
      typeof row !== 'object' || row === null || Array.isArray(row)
        ? 'is not a mapping'
        : Object.entries(row).find(([, v]) => !isScalar(v))?.[0];
    if (bad) {
      throw new FurrowError(
        'bad-input',
        `--cases ${file}: case ${i + 1} ${bad === 'is not a mapping' ? bad : `has a value for '${bad}' that is not a number, string or boolean`}`,
      );
    }
  });
  return rows as Record<string, Scalar>[];
}
