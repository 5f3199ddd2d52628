// Cases pasted from a spreadsheet or typed into a table cell, read as the study file would read them: numbers
// as numbers, true/false as booleans, anything else as text.
import type { Scalar } from './space';

export class PasteError extends Error {}

/** Rows pasted from a spreadsheet or a CSV file: a header of names, then a row per case (tabs or commas). */
export function parsePastedCases(text: string): Record<string, Scalar>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new PasteError('paste a header row of parameter names, then a row per case');
  const sep = lines[0]!.includes('\t') ? '\t' : ',';
  const names = lines[0]!.split(sep).map((n) => n.trim());
  for (const n of names) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(n)) throw new PasteError(`'${n}' in the header is not a parameter name`);
  }
  return lines.slice(1).map((line, i) => {
    const cells = line.split(sep).map((c) => c.trim());
    if (cells.length !== names.length) {
      throw new PasteError(`row ${i + 1} has ${cells.length} values for ${names.length} columns (${names.join(', ')})`);
    }
    return Object.fromEntries(names.map((n, j) => [n, scalarOf(cells[j]!)]));
  });
}

/** A typed cell: a number if it reads as one, true/false, else the text. */
export function scalarOf(text: string): Scalar {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}
