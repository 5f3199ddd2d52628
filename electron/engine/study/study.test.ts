// Opening study folders from real files: every bad input names the file, the line and the field.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudyFileError } from '../errors';
import { fillPlaceholders, openStudy } from './study';
import { parseStudy } from './study-parse';

function studyDir(yaml: string | null, model = 'export default () => 1;\n'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-study-'));
  if (yaml !== null) fs.writeFileSync(path.join(dir, 'study.yaml'), yaml);
  fs.writeFileSync(path.join(dir, 'model.mjs'), model);
  return dir;
}

function errorOf(dir: string): StudyFileError {
  try {
    openStudy(dir);
  } catch (error) {
    if (error instanceof StudyFileError) return error;
    throw error;
  }
  throw new Error('expected the study to be refused');
}

const GOOD = `name: demo
model:
  module: ./model.mjs
outputs:
  y: {}
  s: {dims: [t]}
constants:
  t: {linspace: [0, 1, 3]}
  g: 9.81
combos:
  a: [1, 2]
  b: {range: [0, 3]}
`;

describe('opening a study', () => {
  it('expands combos, coords from constants, and finds the dataset path', () => {
    const dir = studyDir(GOOD);
    const study = openStudy(dir);
    expect(study.space.dims).toEqual([
      { name: 'a', values: [1, 2], role: 'combo' },
      { name: 'b', values: [0, 1, 2], role: 'combo' },
    ]);
    expect(study.coords).toEqual({ t: [0, 0.5, 1] });
    expect(study.constants).toEqual({ t: [0, 0.5, 1], g: 9.81 });
    expect(study.datasetPath).toBe(path.join(dir, 'data', 'demo.nc'));
    expect(study.spec.model.timeout).toBe(60);
  });

  it('replaces the values of the combos named on the command line, keeping the others (furrow run --combo)', () => {
    const study = openStudy(studyDir(GOOD), { combos: { a: [5], z: ['new'] } });
    expect(study.space.dims).toEqual([
      { name: 'a', values: [5], role: 'combo' },
      { name: 'b', values: [0, 1, 2], role: 'combo' },
      { name: 'z', values: ['new'], role: 'combo' },
    ]);
  });

  it('says a folder without study.yaml is not a study', () => {
    const dir = studyDir(null);
    const error = errorOf(dir);
    expect(error.message).toContain(path.join(dir, 'study.yaml'));
    expect(error.message).not.toMatch(/furrow init/); // the command line and the app each say what to do
    expect(error.details.reason).toBe('no-study-file');
  });

  it('names the line of a YAML syntax error', () => {
    const error = errorOf(studyDir('name: demo\nmodel:\n  module: ./model.mjs\ncombos: {a: [1, 2}\n'));
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/study\.yaml:4: YAML does not parse/);
  });

  it('names the line and field of a misspelt key', () => {
    const error = errorOf(studyDir(GOOD.replace('combos:', 'combo:')));
    expect(error.message).toMatch(/study\.yaml:10: combo: unknown key 'combo'; did you mean 'combos'\?/);
  });

  it('names the line and field of a value of the wrong type', () => {
    const error = errorOf(studyDir(GOOD.replace('a: [1, 2]', 'a: {linspace: [0, 1, "many"]}')));
    expect(error.field).toBe('combos.a.linspace.2');
    expect(error.line).toBe(11);
  });

  it('says what is wrong with a value that is there, not that it is missing', () => {
    const error = errorOf(studyDir(GOOD.replace('a: [1, 2]', 'a: {linspace: [0, 1, 2.5]}')));
    expect([error.path, error.line]).toEqual([['combos', 'a', 'linspace', 2], 11]);
    expect(error.detail).not.toMatch(/missing/);
    expect(error.detail).toMatch(/expected int/);
  });

  it('names a combo that lists a value twice', () => {
    const error = errorOf(studyDir(GOOD.replace('a: [1, 2]', 'a: [1, 2, 1]')));
    expect(error.message).toMatch(/study\.yaml:11: combos\.a: .*value 1 twice/);
  });

  it('says which model module is missing', () => {
    const error = errorOf(studyDir(GOOD.replace('./model.mjs', './nowhere.mjs')));
    expect(error.field).toBe('model.module');
    expect(error.message).toMatch(/nowhere\.mjs does not exist/);
  });

  it('refuses a required key that is missing', () => {
    const error = errorOf(studyDir(GOOD.replace(/outputs:\n {2}y: \{\}\n {2}s: \{dims: \[t\]\}\n/, '')));
    expect(error.field).toBe('outputs');
    expect(error.message).toMatch(/required/);
  });
});

describe('study checks that catch mistakes before anything runs', () => {
  it('refuses coords for a combo', () => {
    const error = errorOf(studyDir(GOOD.replace('constants:', 'coords:\n  a: [1, 2]\nconstants:')));
    expect(error.field).toBe('coords.a');
    expect(error.message).toMatch(/is a varied parameter/);
  });

  it('refuses an output dim that has the name of an output', () => {
    const error = errorOf(studyDir(GOOD.replace('s: {dims: [t]}', 's: {dims: [y]}')));
    expect(error.field).toBe('outputs.s.dims.0');
    expect(error.message).toMatch(/'y' is also the name of an output/);
  });

  it('refuses a study that varies nothing, a dim with no values, and a dim named like an output, where each is', () => {
    const told = (yaml: string) => errorOf(studyDir(yaml)).message.replace(/^.*study\.yaml/, 'study.yaml');
    expect(told(GOOD.replace(/combos:[\s\S]*/, ''))).toBe(
      'study.yaml:1: combos: the study varies nothing: give combos, cases, zip or sample distributions',
    );
    expect(told(GOOD.replace('a: [1, 2]', 'a: []'))).toBe(
      "study.yaml:11: combos.a: 'a' has no values; give at least one",
    );
    expect(told(GOOD.replace('a: [1, 2]', 'y: [1]'))).toBe(
      "study.yaml:11: combos.y: 'y' is also the name of an output; rename one of them",
    );
    expect(told(`${GOOD}zip:\n  - {p: [], q: []}\n`)).toBe("study.yaml:13: zip: 'p' has no values; give at least one");
    expect(told(`${GOOD}zip:\n  - {y: [1], q: [2]}\n`)).toBe(
      "study.yaml:13: zip: 'y' is also the name of an output; rename one of them",
    );
    expect(told(`${GOOD}cases:\n  - {y: 1}\n`)).toBe(
      "study.yaml:13: cases: 'y' is also the name of an output; rename one of them",
    );
    expect(
      told('name: ps\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\nparameter_space: !pspace\n  seed: 1\n'),
    ).toBe(
      'study.yaml:4: parameter_space: no !pdim in this parameter space, so nothing varies; vary a parameter with !pdim {values: [...]}',
    );
  });

  it('refuses a constant that looks like a generator but is not one', () => {
    const error = errorOf(studyDir(GOOD.replace('g: 9.81', 'g: {linspace: 5}')));
    expect(error.field).toBe('constants.g.linspace');
    expect(error.line).toBe(9);
    expect(error.message).toMatch(/is read as a generator of values, and this one is not one: write \{linspace:/);
  });

  it('takes parameters named like members every object has (constructor, toString)', () => {
    const study = openStudy(studyDir(GOOD.replace('a: [1, 2]', 'constructor: [1, 2]\n  toString: [3]')));
    expect(study.space.dims.map((d) => d.name)).toEqual(['constructor', 'toString', 'b']);
    const sampled = openStudy(studyDir(`${GOOD}sample: {distributions: {valueOf: [1, 2]}}\n`));
    expect(sampled.spec.sample?.distributions).toHaveProperty('valueOf');
  });

  it('refuses a generator whose values pass the largest number, as it refuses .inf written out', () => {
    for (const [yaml, field, line] of [
      [GOOD.replace('a: [1, 2]', 'a: {logspace: [0, 400, 5]}'), 'combos.a.logspace', 11],
      [GOOD.replace('t: {linspace: [0, 1, 3]}', 't: {linspace: [-1e308, 1e308, 3]}'), 'constants.t.linspace', 8],
      [GOOD.replace('a: [1, 2]', 'a: [1, .inf]'), 'combos.a.1', 11],
    ] as const) {
      const error = errorOf(studyDir(yaml));
      expect([error.field, error.line]).toEqual([field, line]);
      expect(error.message).toMatch(/infinity \(a number beyond ±1\.8e308\)|\.inf is not a finite number/);
    }
  });

  it('says a value of the wrong type is wrong, not missing', () => {
    const inf = errorOf(studyDir(GOOD.replace('b: {range: [0, 3]}', 'b: {range: [0, .inf]}')));
    expect(inf.message).toMatch(/study\.yaml:12: combos\.b\.range\.1: \.inf is not a finite number/);
    const text = errorOf(studyDir(GOOD.replace('b: {range: [0, 3]}', 'b: {range: [0, "3"]}')));
    expect(text.message).toMatch(/combos\.b\.range\.1: .*expected number, received string/);
  });

  it('refuses a timeout too long for a timer', () => {
    const error = errorOf(studyDir(GOOD.replace('module: ./model.mjs', 'module: ./model.mjs\n  timeout: 1e10')));
    expect(error.field).toBe('model.timeout');
  });
});

describe('a parameter space in paramspace YAML', () => {
  const PSPACE = `name: ps
model: {module: ./model.mjs}
outputs: {y: {}}
parameter_space: !pspace
  seed: !pdim {default: 0, range: [4]}
  model:
    step: !pdim
      values: [0.1, 0.3]
    steps: 10
`;

  it('is read inline from study.yaml', () => {
    const study = openStudy(studyDir(PSPACE));
    expect(study.space.dims.map((d) => [d.name, d.values])).toEqual([
      ['model.step', [0.1, 0.3]],
      ['seed', [0, 1, 2, 3]],
    ]);
    expect(study.constants).toEqual({ 'model.steps': 10 });
  });

  it('is read from a file of its own, also a dantro run config', () => {
    const dir = studyDir('name: ps\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\nparameter_space: run.yml\n');
    fs.writeFileSync(path.join(dir, 'run.yml'), 'parameter_space: !pspace\n  a: !pdim {values: [1, 2]}\n  b: 3\n');
    const study = openStudy(dir);
    expect(study.space.dims.map((d) => d.name)).toEqual(['a']);
    expect(study.constants).toEqual({ b: 3 });
  });

  it('checks a !pdim as combos are checked: finite values, a bounded number of them, one error each', () => {
    for (const [dim, field, detail] of [
      ['!pdim {range: [0, .inf]}', 'parameter_space.x.range.1', /\.inf is not a finite number/],
      ['!pdim {values: [1, .inf]}', 'parameter_space.x.values.1', /\.inf is not a finite number/],
      ['!pdim {logspace: [0, 400, 5]}', 'parameter_space.x.logspace', /gives infinity/],
      ['!pdim {range: [0, 1e12]}', 'parameter_space.x.range', /more than the limit/],
      ['!pdim {linspace: [0, 1, 1e12]}', 'parameter_space.x.linspace', /more than the limit/],
      ['!pdim {values: 5}', 'parameter_space.x.values', /expected array/],
    ] as const) {
      const error = errorOf(
        studyDir(`name: ps\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\nparameter_space: !pspace\n  x: ${dim}\n`),
      );
      expect([error.field, error.line]).toEqual([field, 5]);
      expect(error.message).toMatch(detail);
    }
  });

  it('may not be mixed with combos', () => {
    const error = errorOf(studyDir(PSPACE + 'combos: {z: [1]}\n'));
    expect(error.field).toBe('parameter_space');
    expect(error.message).toMatch(/either as parameter_space or as combos\/cases\/zip, not both/);
  });
});

describe('names the run database could not keep apart', () => {
  it('refuses an output named like a database column', () => {
    const error = errorOf(studyDir(GOOD.replace('  y: {}', '  _status: {}')));
    expect(error.field).toBe('outputs._status');
  });

  it('refuses names that differ only in case, and one name for two things', () => {
    expect(errorOf(studyDir(GOOD.replace('  y: {}', '  A: {}'))).message).toMatch(/'A' and 'a' differ only in case/);
    expect(errorOf(studyDir(GOOD.replace('  y: {}', '  g: {}'))).message).toMatch(/'g' names two things/);
  });
});

describe('what a study file that fails validation is told, with its line', () => {
  const M = 'name: s\nmodel: {module: ./m.mjs}\noutputs: {y: {}}\n';
  const told = (text: string) => {
    try {
      parseStudy('study.yaml', text);
    } catch (error) {
      expect((error as Error).name).toBe('StudyFileError');
      expect(error).toMatchObject({ code: 'bad-input' });
      return (error as Error).message;
    }
    return 'no error';
  };

  it('a misspelt key, with the key it was meant to be when one is close', () => {
    expect(told('name: s\nmodle: {module: ./m.mjs}\n')).toBe(
      "study.yaml:2: modle: unknown key 'modle'; did you mean 'model'?",
    );
    expect(told('name: s\nmodel:\n  modul: ./m.mjs\n')).toBe(
      "study.yaml:3: model.modul: unknown key 'modul'; did you mean 'module'?",
    );
    expect(told(`${M}out: {}\n`)).toBe("study.yaml:4: out: unknown key 'out'; did you mean 'outputs'?");
    expect(told(`${M}combo: {}\n`)).toBe("study.yaml:4: combo: unknown key 'combo'; did you mean 'combos'?");
    expect(told(`${M}cnstants: {}\n`)).toBe(
      "study.yaml:4: cnstants: unknown key 'cnstants'; did you mean 'constants'?",
    );
    expect(told(`${M}atrs: {}\n`)).toBe("study.yaml:4: atrs: unknown key 'atrs'; did you mean 'attrs'?");
    expect(told(`${M}zzzzzzz: 1\n`)).toBe("study.yaml:4: zzzzzzz: unknown key 'zzzzzzz'; check the spelling");
    expect(told(`${M}sample:\n  sed: 3\n`)).toBe("study.yaml:5: sample.sed: unknown key 'sed'; check the spelling");
    expect(told(`${M}load:\n  - {glob: "*.h5", globb: x}\n`)).toBe(
      "study.yaml:5: load.0.globb: unknown key 'globb'; did you mean 'glob'?",
    );
    expect(told(M.replace('{y: {}}', '{y: {dimz: [t]}}'))).toBe(
      "study.yaml:3: outputs.y.dimz: unknown key 'dimz'; check the spelling",
    );
  });

  it('the key meant: the nearest of those close, a longer key that starts with it, only where the key may be', () => {
    // 'case' is two edits from 'name' and one from 'cases': the nearest wins.
    expect(told(`${M}case: []\n`)).toBe("study.yaml:4: case: unknown key 'case'; did you mean 'cases'?");
    expect(told(`${M}cases_file: x\n`)).toBe(
      "study.yaml:4: cases_file: unknown key 'cases_file'; did you mean 'cases'?",
    );
    expect(told(`${M}nane: x\n`)).toBe("study.yaml:4: nane: unknown key 'nane'; did you mean 'name'?");
    expect(told(`${M}combbos: {}\n`)).toBe("study.yaml:4: combbos: unknown key 'combbos'; did you mean 'combos'?");
    // Three edits away is too far to guess (one missing letter and two extra ones).
    expect(told(`${M}ouputsXY: {}\n`)).toBe("study.yaml:4: ouputsXY: unknown key 'ouputsXY'; check the spelling");
    // A load entry's keys are not an output's.
    expect(told(M.replace('{y: {}}', '{y: {loader: csv}}'))).toBe(
      "study.yaml:3: outputs.y.loader: unknown key 'loader'; check the spelling",
    );
    // A model's keys are not sample's.
    // Where no key is known, not even a key that starts one.
    expect(told(`${M}sample:\n  S: 1\n`)).toBe("study.yaml:5: sample.S: unknown key 'S'; check the spelling");
    expect(told(`${M}sample:\n  module: x\n`)).toBe(
      "study.yaml:5: sample.module: unknown key 'module'; check the spelling",
    );
  });

  it('inside a union, the branch that got furthest, whichever branch it is', () => {
    // combos as a list of [name, values] pairs: the second branch of combos, and inside it a range.
    expect(told(`${M}combos:\n  - [a, {range: [0, "x"]}]\n`)).toBe(
      'study.yaml:5: combos.0.1.range.1: Invalid input: expected number, received string',
    );
    expect(told(`${M}attrs:\n  a: [1, {x: 1}]\n`)).toBe('study.yaml:5: attrs.a.1: Invalid input');
    // .nan and -.inf by their YAML names, as .inf is.
    expect(told(`${M}combos:\n  b: {range: [0, .nan]}\n`)).toBe(
      'study.yaml:5: combos.b.range.1: .nan is not a finite number; give a finite one',
    );
    expect(told(`${M}combos:\n  b: {range: [-.inf, 0]}\n`)).toBe(
      'study.yaml:5: combos.b.range.0: -.inf is not a finite number; give a finite one',
    );
    // Below a distribution, the value that is wrong, not "not a distribution".
    expect(told(`${M}sample:\n  distributions:\n    x: {uniform: [0, "a"]}\n`)).toBe(
      'study.yaml:6: sample.distributions.x.uniform.1: Invalid input: expected number, received string',
    );
  });

  it('a missing field, and a value of the wrong type, told apart', () => {
    expect(told('model: {module: ./m.mjs}\noutputs: {y: {}}\n')).toBe('study.yaml:1: name: is required but missing');
    // A missing value that may be of more than one kind (a glob or a list of them) is missing as well.
    expect(told(`${M}load:\n  - {loader: csv}\n`)).toBe('study.yaml:5: load.0.glob: is required but missing');
    expect(told(`${M}load:\n  - {loader: csv, glob: }\n`)).toBe('study.yaml:5: load.0.glob: Invalid input');
    expect(told('- 1\n- 2\n')).toMatch(/^study\.yaml:1: Invalid input: expected object, received array$/);
    expect(told('name: s\nmodel: {command: [run, 3]}\noutputs: {y: {}}\n')).toBe(
      'study.yaml:2: model.command.1: Invalid input: expected string, received number',
    );
    expect(told('name: s\nmodel: {module: ./m.mjs}\noutputs:\n  y: {dims: 3}\n')).toBe(
      'study.yaml:4: outputs.y.dims: Invalid input: expected array, received number',
    );
    expect(told(`${M}combos:\n  b: {range: [0, "x"]}\n`)).toBe(
      'study.yaml:5: combos.b.range.1: Invalid input: expected number, received string',
    );
    expect(told(`${M}cases:\n  - {x: 1}\n  - {x: 2, y: [1]}\n`)).toBe('study.yaml:6: cases.1.y: Invalid input');
    expect(told('name: s\nmodel: {module: ./m.mjs, command: [x]}\noutputs: {y: {}}\n')).toBe(
      'study.yaml:2: model: give either module (a JS module) or command (a program to run), not both and not neither',
    );
    expect(told(`${M}sample:\n  distributions:\n    x: {gauss: [0, 1]}\n`)).toBe(
      'study.yaml:6: sample.distributions.x: not a distribution; give a list of values, {uniform|loguniform|normal|randint: [a, b]} or {module: file.mjs, export: name}',
    );
  });

  it('YAML that does not parse, where it stops', () => {
    expect(told('name: s\nname: t\n')).toBe('study.yaml:2: YAML does not parse: Map keys must be unique');
    expect(told('name: s\nmodel: {module: ./m.mjs\n')).toMatch(/^study\.yaml:3: YAML does not parse: Flow map/);
    expect(told('name: *nowhere\n')).toBe(
      'study.yaml:1: name: YAML does not parse: Unresolved alias (the anchor must be set before the alias): nowhere',
    );
  });
});

describe('a command model and its placeholders', () => {
  const command = (argv: string) => `name: c\nmodel:\n  command: ${argv}\noutputs: {y: {}}\ncombos: {a: [1]}\n`;

  it('takes placeholders that name a parameter or a resource, and {{ }} as literal braces', () => {
    const study = openStudy(studyDir(command('[echo, "{a}", "{{typo}}", "{node}", "x{{y"]')));
    expect(study.model).toEqual({ kind: 'command', argv: ['echo', '{a}', '{{typo}}', '{node}', 'x{{y'] });
  });

  it('refuses a placeholder that names nothing, with its line and place in the command', () => {
    const error = errorOf(studyDir(command('[echo, "{a}", "{typo}"]')));
    expect(error.message).toMatch(
      /study\.yaml:3: model\.command\.2: \{typo\} names no parameter, constant or resource/,
    );
  });

  it('fills a string as it is and anything else as JSON, an array as well', () => {
    expect(fillPlaceholders('--a={a} {s} {xs} {{s}}', { a: 2, s: 'hi', xs: [1, 'b'] })).toBe('--a=2 hi [1,"b"] {s}');
  });
});
