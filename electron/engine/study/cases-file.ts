// Particular cases from a file (`--cases FILE`, and the app's "import a file"): JSON or YAML, a list of
// mappings; or CSV / TSV, a header row of names and a row per case, each cell read as a YAML scalar (so numbers
// stay numbers, `true` is a boolean and anything else a string). Quoted CSV cells may hold the separator.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Scalar } from '../../../shared/space';
import { isScalar } from '../../../shared/space';
import { FurrowError } from '../errors';
import { parseYamlFile, plainData } from './yaml-file';

function splitRow(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep); // most rows: no quotes, no need to walk them a character at a time
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

// The cells most files hold, read here as yaml's core schema reads them (its int, float and bool patterns); the
// others go to yaml itself, which costs some ten microseconds a cell: a million rows would wait for it.
const NUMBER = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const LONG_INTEGER = /^[-+]?[0-9]{16,}$/; // yaml reads it with parseInt, which may round otherwise than parseFloat
const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BOOLEANS = new Map([
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);
const NULLS = new Set(['null', 'Null', 'NULL']);

/** A cell read as a YAML scalar: what `parse` from yaml gives for it. */
export function cellValue(cell: string): unknown {
  if (NUMBER.test(cell) && !LONG_INTEGER.test(cell)) return parseFloat(cell);
  if (WORD.test(cell) && !NULLS.has(cell)) return BOOLEANS.get(cell) ?? cell;
  return parseYaml(cell);
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
      const row: Record<string, unknown> = {};
      names.forEach((n, j) => (row[n] = cells[j]!.trim() === '' ? '' : cellValue(cells[j]!)));
      return row;
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
        : Object.keys(row).find((k) => !isScalar((row as Record<string, unknown>)[k]));
    if (bad) {
      throw new FurrowError(
        'bad-input',
        `--cases ${file}: case ${i + 1} ${bad === 'is not a mapping' ? bad : `has a value for '${bad}' that is not a number, string or boolean`}`,
      );
    }
  });
  return rows as Record<string, Scalar>[];
}
