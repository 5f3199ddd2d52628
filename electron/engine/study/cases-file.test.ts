// Cells of a cases file read as YAML scalars: the quick reading of common cells gives what yaml itself gives.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cellValue } from './cases-file';

describe('a cell of a CSV cases file', () => {
  it('is what yaml reads it as, for numbers, words, booleans and everything else', () => {
    const cells = [
      ...['0', '7', '-3', '+5', '007', '1.5', '-.5', '+.25', '3.', '1e3', '2.5E-2', '-1e+308', '1e400', '0x1F', '0o17'],
      ...['12345678901234567890', '-9007199254740993', '123456789012345'],
      ...['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'yes', 'no', 'on', 'off', 'null', 'Null', 'NULL', '~'],
      ...['x', 'abc_1', '_x', 'é', 'a b', ' 5', '5 ', '.inf', '-.inf', '.nan', 'NaN', 'Infinity', '1_000', '1,5'],
      ...['2024-01-01', '12:30', "'quoted'", '[1, 2]', '{a: 1}', '#', 'a: b', '- x'],
    ];
    for (const cell of cells) expect([cell, cellValue(cell)]).toEqual([cell, parse(cell)]);
  });
});
