// Every YAML file of a study is read through yaml-file.ts: the line a message points at, aliases and merge keys as
// PyYAML reads them, paramspace's tags, and YAML that would exhaust a reader refused with its line. The files are
// real text; what is asserted is what a person is told (file:line: field: words) or the data a check is handed.
import { describe, expect, it } from 'vitest';
import { StudyFileError } from '../errors';
import { parseYamlFile, plainData } from './yaml-file';

/** What reading `text` as `f.yaml` says, or its data as JSON. */
function read(text: string): string {
  try {
    return JSON.stringify(plainData(parseYamlFile('f.yaml', text)));
  } catch (error) {
    expect(error).toBeInstanceOf(StudyFileError);
    return (error as Error).message;
  }
}

describe('the line of a field', () => {
  const TEXT = [
    '# a comment first', //  1
    '', //                   2
    'a:', //                 3
    '  b:', //               4
    '    [1, 2]', //         5
    '  c:', //               6
    '    d: 1', //           7
    '    e: {f: 1}', //      8
    'l:', //                 9
    '  - 1', //             10
    '  - x: 2', //          11
    '    y: 3', //          12
  ].join('\n');
  const lineOf = parseYamlFile('f.yaml', TEXT).lineOf;

  it("is the key's line, where a person looks, also when the value starts on a line of its own", () => {
    expect(lineOf(['a'])).toBe(3);
    expect(lineOf(['a', 'b'])).toBe(4);
    expect(lineOf(['a', 'c', 'e', 'f'])).toBe(8);
    expect(lineOf(['l', 1, 'y'])).toBe(12);
  });

  it("is a list item's own line, and the line of a value in a flow list", () => {
    expect(lineOf(['l', 0])).toBe(10);
    expect(lineOf(['l', 1])).toBe(11);
    expect(lineOf(['a', 'b', 1])).toBe(5);
  });

  it('of a field that is not there, is the line of the mapping or list that would hold it', () => {
    expect(lineOf(['a', 'c', 'missing'])).toBe(7);
    expect(lineOf(['a', 'c', 'missing', 'deeper'])).toBe(7);
    expect(lineOf(['l', 5])).toBe(10);
    expect(lineOf(['a', 'b', 0, 'q'])).toBe(5);
    expect(lineOf(['missing'])).toBe(3);
    expect(lineOf([])).toBe(3);
  });

  it('is no line at all in a file with nothing in it', () => {
    const empty = parseYamlFile('f.yaml', '# nothing but a comment\n');
    expect(empty.lineOf([])).toBeNull();
    expect(empty.lineOf(['a'])).toBeNull();
    expect(plainData(empty)).toBeNull();
  });
});

describe('YAML that does not parse', () => {
  it('names the file and the line where it stops, in one line', () => {
    expect(read('a: 1\nb: [1, 2\n')).toMatch(/^f\.yaml:3: YAML does not parse: Flow sequence in block collection/);
    expect(read('a: 1\nb: [1, 2\n')).not.toContain('\n');
    expect(read('a: 1\na: 2\n')).toBe('f.yaml:2: YAML does not parse: Map keys must be unique');
  });

  it('names the field of an alias with no anchor', () => {
    expect(read('a: 1\nb: [1, *nowhere]\n')).toBe(
      'f.yaml:2: b.1: YAML does not parse: Unresolved alias (the anchor must be set before the alias): nowhere',
    );
  });
});

describe('aliases, merge keys and paramspace tags, as PyYAML reads them', () => {
  it('resolves an alias to its anchor, and merges a mapping under <<', () => {
    expect(
      JSON.parse(read('base: &b {x: 1, y: 2}\ncopy: *b\nmore: {<<: *b, y: 3}\nlist: &l [1]\nagain: *l\n')),
    ).toEqual({
      base: { x: 1, y: 2 },
      copy: { x: 1, y: 2 },
      more: { x: 1, y: 3 },
      list: [1],
      again: [1],
    });
  });

  it('keeps a !pdim or !coupled-pdim by its tag, also through an alias; merged, it is its own keys', () => {
    const text =
      'x: &p !pdim {values: [1]}\ny: *p\nz: {<<: *p, w: 1}\ns: !pspace {a: 1}\nc: !coupled-pdim {target_name: x}\n';
    expect(JSON.parse(read(text))).toEqual({
      x: { '!pdim': { values: [1] } },
      y: { '!pdim': { values: [1] } },
      z: { values: [1], w: 1 },
      s: { a: 1 },
      c: { '!coupled-pdim': { target_name: 'x' } },
    });
  });

  it('reads a !pdim written as a list as that list, and one written as a scalar as that scalar', () => {
    expect(read('x: !pdim [1, 2]\n')).toBe('{"x":[1,2]}');
    expect(read('x: !pdim 5\n')).toBe('{"x":"5"}');
  });
});

describe('YAML that would exhaust a reader, refused where it is', () => {
  const lol = (of: string) => `[${Array.from({ length: 10 }, () => `*${of}`).join(', ')}]`;

  it('an alias bomb: the field whose aliases multiply past 1,000 copies, and its line', () => {
    // (`? empty` is a key with no value, not even a null node: it is passed over.)
    const bomb = `? empty\nbase: &a {v: 1}\nl1: &b ${lol('a')}\nl2: &c ${lol('b')}\nl3: &d ${lol('c')}\nl4: ${lol('d')}\n`;
    expect(read(bomb)).toBe(
      'f.yaml:5: l3: aliases here expand to more than 1000 copies of their anchors; write the values out, or alias less',
    );
    // Inside a list, the item.
    const inList = `base: &a {v: 1}\nl1: &b ${lol('a')}\nl2: &c ${lol('b')}\nall:\n  - 1\n  - *b\n  - ${lol('c')}\n`;
    expect(read(inList)).toMatch(/^f\.yaml:7: all\.2: aliases here expand to more than 1000 copies/);
    // Up to the limit is read.
    expect(JSON.parse(read(`base: &a 1\nl1: &b ${lol('a')}\nl2: ${lol('b')}\n`)).l2).toHaveLength(10);
  });

  it('nesting thousands deep: refused with its line, not a crash', () => {
    const flow = read(`x: 1\nk: ${'['.repeat(30_000)}${']'.repeat(30_000)}\n`);
    expect(flow).toBe(
      'f.yaml:2: YAML nests too deeply here to be read (hundreds of levels or more); a study file needs a few',
    );
  });

  it('nesting that overflows the parser itself: roughly where, the first line indented deepest (`- ` counts)', () => {
    // Lists in lists on one line, then a key back at the left: the parser overflows the stack on its way back out,
    // before it can say where, so the line is found in the text.
    const lists = `  ${'- '.repeat(30_000)}1\n`;
    expect(read(`ab:\n  b: 1\ntop:\n${lists}${lists}next: 1\n`)).toBe(
      'f.yaml:4: YAML nests too deeply here to be read (hundreds of levels or more); a study file needs a few',
    );
  });
});

describe('__proto__, which a JavaScript object takes for its prototype', () => {
  it('is refused as a name, with its line and field, wherever it is', () => {
    expect(read('a: 1\n__proto__: 2\n')).toBe("f.yaml:2: __proto__: '__proto__' cannot be a name; rename it");
    expect(read('a: 1\nl:\n  - {b: 1}\n  - {c: {__proto__: 1}}\n')).toBe(
      "f.yaml:4: l.1.c.__proto__: '__proto__' cannot be a name; rename it",
    );
    expect(read('a: {proto: 1, b: [x, {y: 1}]}\n')).toBe('{"a":{"proto":1,"b":["x",{"y":1}]}}');
    // The path a front end reads has a list's index as a number, as every other message's path does.
    const inList = () => plainData(parseYamlFile('f.yaml', 'l:\n  - {b: 1}\n  - {__proto__: 1}\n'));
    expect(inList).toThrow(StudyFileError);
    try {
      inList();
    } catch (error) {
      expect((error as StudyFileError).path).toEqual(['l', 1, '__proto__']);
    }
  });
});
