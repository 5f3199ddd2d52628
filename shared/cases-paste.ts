// Cases pasted from a spreadsheet or typed into a table cell, read as the study file would read them: numbers
// as numbers, true/false as booleans, anything else as text.
import type { Scalar } from './space';
import { isName } from './study';

export class PasteError extends Error {}

/**
 * Rows pasted from a spreadsheet or a CSV/TSV file: a header of names, then a row per case (tabs or commas; a cell
 * in double quotes may hold the separator, and "" stands for a quote). Blank lines are skipped; errors name the line.
 */
export function parsePastedCases(text: string): Record<string, Scalar>[] {
  const lines = text
    .split(/\r?\n/)
    .map((line, i) => ({ line, number: i + 1 }))
    .filter((l) => l.line.trim() !== '');
  if (lines.length < 2) throw new PasteError('paste a header row of parameter names, then a row per case');
  const sep = lines[0]!.line.includes('\t') ? '\t' : ',';
  const names = cellsOf(lines[0]!.line, sep, lines[0]!.number).map((c) => c.text);
  for (const n of names) {
    if (!isName(n)) throw new PasteError(`'${n}' in the header is not a parameter name`);
  }
  return lines.slice(1).map(({ line, number }) => {
    const cells = cellsOf(line, sep, number);
    if (cells.length !== names.length) {
      throw new PasteError(
        `line ${number} has ${cells.length} values for ${names.length} columns (${names.join(', ')})`,
      );
    }
    return Object.fromEntries(names.map((n, j) => [n, cells[j]!.quoted ? cells[j]!.text : scalarOf(cells[j]!.text)]));
  });
}

/** The cells of one line; a quoted cell stays text ("1" is the string 1). */
function cellsOf(line: string, sep: string, number: number): { text: string; quoted: boolean }[] {
  const cells: { text: string; quoted: boolean }[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ') i++;
    let cell: { text: string; quoted: boolean };
    if (line[i] === '"') {
      let text = '';
      i++;
      for (;;) {
        const end = line.indexOf('"', i);
        if (end < 0) throw new PasteError(`line ${number}: a quote opened and not closed`);
        text += line.slice(i, end);
        i = end + 1;
        if (line[i] !== '"') break;
        text += '"';
        i++;
      }
      cell = { text, quoted: true };
    } else {
      cell = { text: '', quoted: false };
    }
    const next = line.indexOf(sep, i);
    const rest = line.slice(i, next < 0 ? undefined : next).trim();
    if (cell.quoted && rest !== '') throw new PasteError(`line ${number}: text after a closing quote (${rest})`);
    if (!cell.quoted) cell.text = rest;
    cells.push(cell);
    if (next < 0) return cells;
    i = next + sep.length;
  }
}

/** A typed cell: a number if it reads as one, true/false, else the text. */
export function scalarOf(text: string): Scalar {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}
