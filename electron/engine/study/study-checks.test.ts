// The checks of a study beyond its schema (study.ts), reached as the app and the command line reach them: a study
// folder written to a temporary directory, opened with openStudy / openStudyForRun / withStoredValues, and a real
// dataset written with h5wasm where a run's `--combo a=...` reads one. Each test asserts what a person is told:
// the file and line, the field, the words; or what the study becomes (its dims, constants, model, summary).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FurrowError, StudyFileError } from '../errors';
import { writeDataset } from '../dataset/netcdf-write';
import type { StudyOverrides } from './study';
import {
  modelParams,
  openStudy,
  openStudyForRun,
  resolveStoredValues,
  studyFromText,
  summarize,
  withStoredValues,
} from './study';

function studyDir(yaml: string | null, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-checks-'));
  if (yaml !== null) fs.writeFileSync(path.join(dir, 'study.yaml'), yaml);
  fs.writeFileSync(path.join(dir, 'model.mjs'), 'export default () => ({ y: 1 });\n');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** What opening the study says, with the temporary folder written as <dir>. */
function told(yaml: string, overrides: StudyOverrides = {}, files: Record<string, string> = {}): string {
  const dir = studyDir(yaml, files);
  try {
    openStudy(dir, overrides);
  } catch (error) {
    if (!(error instanceof FurrowError)) throw error;
    expect(error.code).toBe('bad-input');
    return error.message.split(dir).join('<dir>');
  }
  return 'opened';
}

/** The error opening a study folder throws. */
function refusal(dir: string, overrides: StudyOverrides = {}): FurrowError {
  try {
    openStudy(dir, overrides);
  } catch (error) {
    if (error instanceof FurrowError) return error;
    throw error;
  }
  throw new Error('expected the study to be refused');
}

const HEAD = 'name: s\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\n';
const COMMAND = (argv: string, rest = 'combos: {a: [1]}\n') =>
  `name: c\nmodel:\n  command: ${argv}\noutputs: {y: {}}\n${rest}`;

describe('a folder that is no study', () => {
  it('says a folder that does not exist is none, and a file given for a folder as well', () => {
    const missing = path.join(os.tmpdir(), `furrow-nowhere-${process.pid}`);
    const none = refusal(missing);
    expect(none).toBeInstanceOf(StudyFileError);
    expect(none.message).toBe(`${missing}: is not a study folder (no such directory)`);
    expect(none.details.reason).toBe('no-folder');
    const file = path.join(studyDir(HEAD + 'combos: {a: [1]}\n'), 'study.yaml');
    expect(() => openStudy(file)).toThrow(`${file}: is not a study folder (no such directory)`);
  });

  it('says a folder without study.yaml misses one, naming the file', () => {
    const dir = studyDir(null);
    const error = refusal(dir);
    expect(error.message).toBe(`${path.join(dir, 'study.yaml')}: missing: a study folder holds a study.yaml`);
    expect(error.details.reason).toBe('no-study-file');
  });
});

describe('what a run gives on the command line is wrong there, not in the file', () => {
  const STUDY = `${HEAD}combos: {a: [1, 2]}\ncases:\n  - {c: 1}\n  - {c: 2}\n`;

  it('a --combo names itself, a --cases file says so, and a mistake in the file still names its line', () => {
    expect(told(STUDY, { combos: { a: [1, 1] } })).toBe(
      "--combo a: combo 'a' lists the value 1 twice; each value may appear once",
    );
    expect(told(`${HEAD}combos: {a: [1, 2]}\n`, { combos: { b: [] } })).toBe(
      "--combo b: 'b' has no values; give at least one",
    );
    // With cases too: an empty combo is the fault, not the cases (every case would have landed in one cell).
    expect(told(STUDY, { combos: { a: [] } })).toBe("--combo a: 'a' has no values; give at least one");
    expect(told(`${HEAD}combos:\n  a: []\ncases:\n  - {c: 1}\n  - {c: 2}\n`)).toBe(
      "<dir>/study.yaml:5: combos.a: 'a' has no values; give at least one",
    );
    // The space the run's combos make, too large as a whole: the run's --combo values.
    expect(told(`${HEAD}combos: {a: [1, 2]}\nmax_cases: 4\n`, { combos: { b: [1, 2, 3] } })).toBe(
      '--combo: 6 cases is more than the limit of 4 (max_cases); narrow the space or raise the limit',
    );
    expect(told(STUDY, { cases: [{ y: 1 }] })).toBe("--cases: 'y' is also the name of an output; rename one of them");
    // Overrides of one kind leave the file's mistakes of the other kind where they are.
    expect(told(`${HEAD}combos: {a: [1, 1]}\n`, { cases: [{ c: 1 }] })).toBe(
      "<dir>/study.yaml:4: combos.a: combo 'a' lists the value 1 twice; each value may appear once",
    );
    expect(told(`${HEAD}combos: {a: [1]}\ncases:\n  - {y: 1}\n`, { combos: { a: [2] } })).toBe(
      "<dir>/study.yaml:5: cases: 'y' is also the name of an output; rename one of them",
    );
    const error = refusal(studyDir(STUDY), { combos: { a: [1, 1] } });
    expect(error).not.toBeInstanceOf(StudyFileError);
  });

  it('a --combo replaces a combo of a list where it stands and adds a new one at the end', () => {
    const list = `${HEAD}combos:\n  - [a, [1, 2]]\n  - [b, [3]]\n`;
    const dims = (overrides: StudyOverrides) =>
      openStudy(studyDir(list), overrides).space.dims.map((d) => [d.name, d.values]);
    expect(dims({ combos: { a: [7], z: [0] } })).toEqual([
      ['a', [7]],
      ['b', [3]],
      ['z', [0]],
    ]);
    expect(dims({})).toEqual([
      ['a', [1, 2]],
      ['b', [3]],
    ]);
  });

  it('a --cases file replaces the cases of study.yaml', () => {
    const study = openStudy(studyDir(STUDY), { cases: [{ c: 5 }, { c: 6 }, { c: 7 }] });
    expect(study.space.dims).toEqual([
      { name: 'c', values: [5, 6, 7], role: 'case' },
      { name: 'a', values: [1, 2], role: 'combo' },
    ]);
    expect(study.space.count).toBe(6);
  });
});

describe('repeats', () => {
  it('adds the repeat dim after the combos, of a mapping or of a list, and hands the command a {seed}', () => {
    const mapping = openStudy(studyDir(COMMAND('[run, "{a}", "{seed}"]', 'combos: {a: [1, 2]}\nrepeats: 3\n')));
    expect(mapping.space.dims.map((d) => [d.name, d.values])).toEqual([
      ['a', [1, 2]],
      ['repeat', [0, 1, 2]],
    ]);
    const list = openStudy(studyDir(`${HEAD}combos:\n  - [a, [1]]\nrepeats: 2\n`));
    expect(list.space.dims.map((d) => [d.name, d.values])).toEqual([
      ['a', [1]],
      ['repeat', [0, 1]],
    ]);
    // Without repeats a command has no {seed}.
    expect(told(COMMAND('[run, "{seed}"]'))).toMatch(
      /^<dir>\/study\.yaml:3: model\.command\.1: \{seed\} names no parameter, constant or resource/,
    );
  });

  it("refuses a 'repeat' or a 'seed' of the study's own, wherever it is given", () => {
    const dim =
      "<dir>/study.yaml:5: repeats: with repeats, 'repeat' is Furrow's (the dim of the repeats); rename your 'repeat'";
    const seed =
      "<dir>/study.yaml:5: repeats: with repeats, 'seed' is Furrow's (the seed each case receives); rename your 'seed'";
    expect(told(`${HEAD}combos: {repeat: [1]}\nrepeats: 2\n`)).toBe(dim);
    expect(told(`${HEAD}combos:\n  - [seed, [1]]\nrepeats: 2\n`)).toBe(seed.replace(':5:', ':6:'));
    expect(told(`${HEAD}cases: [{seed: 1}]\nrepeats: 2\n`)).toBe(seed);
    expect(told(`${HEAD}zip: [{b: [1], seed: [2]}]\nrepeats: 2\n`)).toBe(seed);
    expect(told(`${HEAD}combos: {a: [1]}\nconstants: {seed: 4}\nrepeats: 2\n`)).toBe(seed.replace(':5:', ':6:'));
    expect(told(`name: s\nmodel: {module: ./model.mjs}\noutputs: {seed: {}}\ncombos: {a: [1]}\nrepeats: 2\n`)).toBe(
      seed,
    );
    expect(told(`${HEAD}combos: {a: [1]}\nresources: {repeat: 1}\nrepeats: 2\n`)).toBe(dim.replace(':5:', ':6:'));
    expect(told(`${HEAD}sample: {distributions: {seed: [1, 2]}}\nrepeats: 2\n`)).toBe(seed);
    expect(told(`${HEAD}combos: {a: [1]}\nrepeats: 2\n`)).toBe('opened');
  });
});

describe('constants', () => {
  it('expands a generator, keeps any other value as it is, and refuses a constant that is also varied', () => {
    const study = openStudy(
      studyDir(`${HEAD}combos: {a: [1]}\nconstants:\n  g: {range: [0, 2]}\n  h: {x: 1}\n  l: [1, [2]]\n  n: null\n`),
    );
    expect(study.constants).toEqual({ g: [0, 1], h: { x: 1 }, l: [1, [2]], n: null });
    expect(told(`${HEAD}combos: {a: [1]}\nconstants:\n  a: 2\n`)).toBe(
      '<dir>/study.yaml:6: constants.a: is also a varied parameter; a parameter is either varied or constant',
    );
  });

  it('refuses a constant that looks like a generator but is not one', () => {
    // Where (the file, the line, the generator's key) and what to write instead, not zod's "Invalid input".
    const others =
      'for a mapping the model receives as it is, use no key named values, range, linspace, logspace, geomspace';
    expect(told(`${HEAD}combos: {a: [1]}\nconstants:\n  g:\n    linspace: [0, 1]\n`)).toBe(
      `<dir>/study.yaml:7: constants.g.linspace: a mapping with a 'linspace' key is read as a generator of values, and this one is not one: write {linspace: [start, stop, num]} (and at most as: int or float beside it); ${others}`,
    );
    expect(told(`${HEAD}combos: {a: [1]}\nconstants:\n  g: {range: [1]}\n`)).toMatch(
      /study\.yaml:6: constants\.g\.range: .* write \{range: \[start, stop\]\} or \{range: \[start, stop, step\]\}/,
    );
    // A mapping with another key beside a generator's is neither a generator nor taken as a plain mapping.
    expect(told(`${HEAD}combos: {a: [1]}\nconstants:\n  g: {values: [1], note: x}\n`)).toBe(
      `<dir>/study.yaml:6: constants.g.note: a mapping with a 'values' key is read as a generator of values, and a generator has no key 'note': write {values: [v1, v2, ...]} (and at most as: int or float beside it); ${others}`,
    );
    expect(openStudy(studyDir(`${HEAD}combos: {a: [1]}\nconstants:\n  g: {value: 1, note: x}\n`)).constants).toEqual({
      g: { value: 1, note: 'x' },
    });
  });

  it('refuses a constant set in parameter_space and in constants both', () => {
    expect(told(`${HEAD}parameter_space: !pspace\n  a: !pdim {values: [1, 2]}\n  k: 3\nconstants:\n  k: 4\n`)).toBe(
      '<dir>/study.yaml:8: constants.k: is also set in parameter_space; set it in one place',
    );
  });
});

describe("the outputs' own dims", () => {
  it('take coords: first, else a constant of scalars of their name, and nothing else', () => {
    const study = openStudy(
      studyDir(
        'name: s\nmodel: {module: ./model.mjs}\noutputs:\n  y: {dims: [t, u, v, w, x]}\n' +
          'combos: {a: [1]}\ncoords: {t: [1, 2]}\nconstants:\n  t: [9]\n  u: {range: [0, 2]}\n  v: [[1], [2]]\n  w: 5\n  x: [1, [2]]\n',
      ),
    );
    expect(study.coords).toEqual({ t: [1, 2], u: [0, 1] });
  });

  it('refuse coords for a varied parameter, an output dim named like a parameter or like an output', () => {
    expect(told(`${HEAD}combos: {a: [1]}\ncoords: {t: {range: [0, 1e12]}}\n`)).toMatch(
      /^<dir>\/study\.yaml:5: coords\.t\.range: \d+ points is more than the limit of \d+; use fewer points$/,
    );
    expect(told(`${HEAD}combos: {a: [1]}\ncoords: {a: [1, 2]}\n`)).toBe(
      "<dir>/study.yaml:5: coords.a: is a varied parameter; coords are for the outputs' own dims",
    );
    expect(told('name: s\nmodel: {module: ./model.mjs}\noutputs:\n  y: {dims: [t, a]}\ncombos: {a: [1]}\n')).toBe(
      "<dir>/study.yaml:4: outputs.y.dims.1: 'a' is a varied parameter; an output's own dims must differ from those",
    );
    expect(told('name: s\nmodel: {module: ./model.mjs}\noutputs:\n  y: {dims: [z]}\n  z: {}\ncombos: {a: [1]}\n')).toBe(
      "<dir>/study.yaml:4: outputs.y.dims.0: 'z' is also the name of an output; rename one of them",
    );
  });
});

describe('names the run database could not keep apart', () => {
  it('refuses a name of its own columns, also as a part of a parameter space name', () => {
    // (study.yaml's own names are refused by the schema already.)
    expect(told(`${HEAD}combos: {_a: [1]}\n`)).toBe('<dir>/study.yaml:4: combos._a: Invalid key in record');
    expect(told(`${HEAD}parameter_space: !pspace\n  sub:\n    _a: !pdim {values: [1, 2]}\n`)).toBe(
      "<dir>/study.yaml:6: parameter_space.sub._a: 'sub._a': names starting with _ are the run database's own columns; rename it",
    );
    expect(told(`${HEAD}parameter_space: !pspace\n  a: !pdim {values: [1, 2]}\n  _k: 1\n`)).toBe(
      "<dir>/study.yaml:6: parameter_space._k: '_k': names starting with _ are the run database's own columns; rename it",
    );
    // Case is told apart as the run database tells it: 'ß' is no 'SS'.
    expect(told(`${HEAD}parameter_space: !pspace\n  ß: !pdim {values: [1, 2]}\n  SS: 1\n`)).toBe('opened');
    // An underscore inside a name is a name like any other.
    expect(told(`${HEAD}parameter_space: !pspace\n  a_b: !pdim {values: [1, 2]}\n  c_d: 1\n`)).toBe('opened');
  });

  it('says where the clash is: the combos, the parameter, the constant, the output', () => {
    expect(told(`${HEAD}combos: {a: [1], A: [2]}\n`)).toBe(
      "<dir>/study.yaml:4: combos: 'A' and 'a' differ only in case; the run database cannot tell them apart",
    );
    expect(told(`${HEAD}parameter_space: !pspace\n  a: !pdim {values: [1, 2]}\n  A: !pdim {values: [1]}\n`)).toBe(
      // (a space's dims come in the order of their names)
      "<dir>/study.yaml:5: parameter_space.a: 'a' and 'A' differ only in case; the run database cannot tell them apart",
    );
    expect(told(`${HEAD}combos: {a: [1]}\nconstants: {A: 1}\n`)).toBe(
      "<dir>/study.yaml:5: constants.A: 'A' and 'a' differ only in case; the run database cannot tell them apart",
    );
    expect(told(`${HEAD}combos: {a: [1]}\nconstants: {y: 1}\n`)).toBe(
      "<dir>/study.yaml:3: outputs.y: 'y' names two things (a parameter or constant and an output); rename one",
    );
    // A constant that is no scalar is no column: an output may share its name's case.
    expect(told(`${HEAD}combos: {a: [1]}\nconstants: {Y: [1, 2]}\n`)).toBe('opened');
  });

  it('takes a sampled parameter that is also a combo, not one that is a constant or clashes with an output', () => {
    expect(told(`${HEAD}combos: {a: [1]}\nsample: {distributions: {a: [1, 2]}}\n`)).toBe('opened');
    expect(told(`${HEAD}combos: {a: [1]}\nconstants: {k: 1}\nsample: {distributions: {k: [1, 2]}}\n`)).toBe(
      "<dir>/study.yaml:6: sample.distributions.k: 'k' is also a constant; sample it or fix it, not both",
    );
    expect(told(`${HEAD}sample: {distributions: {Y: [1, 2]}}\n`)).toBe(
      "<dir>/study.yaml:4: sample.distributions.Y: 'Y' and 'y' differ only in case; the run database cannot tell them apart",
    );
    expect(told(`${HEAD}sample: {distributions: {b: [1, 2], B: [3]}}\n`)).toBe(
      "<dir>/study.yaml:4: sample.distributions.B: 'B' and 'b' differ only in case; the run database cannot tell them apart",
    );
  });
});

describe('the model', () => {
  it('knows every name a case has for a command placeholder, and lists them when one names nothing', () => {
    const study = openStudy(
      studyDir(
        COMMAND(
          '[run, "{a}", "{k}", "{r}", "{s}", "{seed}", "{study_dir}", "{case_dir}", "{node}"]',
          'combos: {a: [1]}\nconstants: {k: 1}\nresources: {r: 2}\nsample: {distributions: {s: [1, 2]}}\nrepeats: 2\n',
        ),
      ),
    );
    expect(study.model).toEqual({
      kind: 'command',
      argv: ['run', '{a}', '{k}', '{r}', '{s}', '{seed}', '{study_dir}', '{case_dir}', '{node}'],
    });
    expect(told(COMMAND('[run, "{a}", "x{b}"]', 'combos: {a: [1]}\nconstants: {k: 1}\nresources: {r: 2}\n'))).toBe(
      '<dir>/study.yaml:3: model.command.2: {b} names no parameter, constant or resource (known: a, k, r, study_dir, case_dir, node)',
    );
  });

  it('reads outputs from files only for a command, and finds a module where study.yaml says', () => {
    const file = 'outputs:\n  y: {file: out.h5, path: /y}\ncombos: {a: [1]}\n';
    expect(told(`name: s\nmodel: {module: ./model.mjs}\n${file}`)).toBe(
      '<dir>/study.yaml:4: outputs.y.file: outputs read from files are for command models; a module returns its outputs',
    );
    expect(openStudy(studyDir(`name: s\nmodel: {command: [run]}\n${file}`)).model).toEqual({
      kind: 'command',
      argv: ['run'],
    });
    const dir = studyDir(`name: s\nmodel: {module: ./model.mjs, export: run}\noutputs: {y: {}}\ncombos: {a: [1]}\n`);
    expect(openStudy(dir).model).toEqual({ kind: 'module', path: path.join(dir, 'model.mjs'), exportName: 'run' });
  });
});

describe('a parameter space and the names at the top of the mapping its model receives', () => {
  const SPACE = `${HEAD}parameter_space: !pspace\n  seed: !pdim {values: [1, 2]}\n  model:\n    step: !pdim {values: [0.1]}\n    n: 3\n`;

  it('refuses a constant, a resource or a sampled parameter that takes a key the space has there', () => {
    expect(told(`${SPACE}constants: {model: 1}\n`)).toBe(
      "<dir>/study.yaml:9: constants.model: 'model' is also a key of parameter_space (model.step), where the model receives its nested parameters; rename it, or set it in parameter_space",
    );
    expect(told(`${SPACE}resources: {model: 1}\n`)).toBe(
      "<dir>/study.yaml:9: resources.model: 'model' is also a key of parameter_space (model.step), where the model receives its nested parameters; rename it, or set it in parameter_space",
    );
    expect(told(`${SPACE}sample: {distributions: {model: [1, 2]}}\n`)).toBe(
      "<dir>/study.yaml:9: sample.distributions.model: 'model' is also a key of parameter_space (model.step), where the model receives its nested parameters; rename it, or set it in parameter_space",
    );
  });

  it('takes them when they are parameters of the space itself, or when the model receives its parameters flat', () => {
    // Sampling a parameter of the space replaces its values: the same key.
    expect(told(`${SPACE}sample: {distributions: {seed: [5, 6]}}\n`)).toBe('opened');
    expect(told(`${SPACE}constants: {other: 1}\n`)).toBe('opened');
    const flat = SPACE.replace('{module: ./model.mjs}', '{module: ./model.mjs, params: flat}');
    const study = openStudy(studyDir(`${flat}constants: {model: 1}\n`));
    expect(study.modelKeys).toBeNull();
    expect(modelParams(study, { seed: 1, 'model.step': 0.1 })).toEqual({ seed: 1, 'model.step': 0.1 });
  });

  it('hands the model its parameters nested as the space has them', () => {
    const study = openStudy(studyDir(SPACE));
    expect(modelParams(study, { seed: 1, 'model.step': 0.1, 'model.n': 3 })).toEqual({
      seed: 1,
      model: { step: 0.1, n: 3 },
    });
  });

  it('varies a coupled dim with its target, and refuses a constant of its name', () => {
    const coupled = `${HEAD}parameter_space: !pspace\n  a: !pdim {values: [1, 2]}\n  b: !coupled-pdim {target_name: a, values: [x, y]}\n`;
    expect(openStudy(studyDir(coupled)).space.dims).toEqual([
      { name: 'a', values: [1, 2], role: 'combo', coupled: [{ name: 'b', values: ['x', 'y'] }] },
    ]);
    expect(told(`${coupled}constants: {b: 1}\n`)).toBe(
      '<dir>/study.yaml:7: constants.b: is also a varied parameter; a parameter is either varied or constant',
    );
    // So is a parameter of a zip group that is not its first.
    expect(told(`${HEAD}zip: [{p: [1, 2], q: [3, 4]}]\nconstants: {q: 1}\n`)).toBe(
      '<dir>/study.yaml:5: constants.q: is also a varied parameter; a parameter is either varied or constant',
    );
  });

  it('places a mistake in a parameter space file in that file, with its line', () => {
    const dir = studyDir(`${HEAD}parameter_space: space.yml\n`, {
      'space.yml': '!pspace\nx: !pdim {values: [1, 2]}\nX: !pdim {values: [3]}\n',
    });
    expect(() => openStudy(dir)).toThrow(
      `${path.join(dir, 'space.yml')}:2: x: 'x' and 'X' differ only in case; the run database cannot tell them apart`,
    );
  });
});

describe('the summary the app shows', () => {
  it('names the module relative to the folder, or the command, the dims, the count and whether a dataset exists', async () => {
    const dir = studyDir(`${HEAD}combos: {a: [1, 2], b: [x, y, z]}\n`);
    const study = openStudy(dir);
    expect(summarize(study)).toEqual({
      dir,
      name: 's',
      model: 'model.mjs',
      outputs: [{ name: 'y', dims: [] }],
      dims: [
        { name: 'a', values: [1, 2], role: 'combo' },
        { name: 'b', values: ['x', 'y', 'z'], role: 'combo' },
      ],
      caseCount: 6,
      dataset: path.join(dir, 'data', 's.nc'),
      hasDataset: false,
    });
    await writeStored(dir, 's', { a: [1, 2] });
    expect(summarize(study).hasDataset).toBe(true);
    const command = summarize(openStudy(studyDir(COMMAND('[python, run.py, "--a={a}"]'))));
    expect(command.model).toBe('python run.py --a={a}');
    expect(command.outputs).toEqual([{ name: 'y', dims: [] }]);
  });
});

/** A dataset as a run leaves it: the given dims (with coordinates), one variable `y` over them. */
async function writeStored(dir: string, name: string, dims: Record<string, (number | string)[]>): Promise<void> {
  const entries = Object.entries(dims);
  const cells = entries.reduce((n, [, v]) => n * v.length, 1);
  await writeDataset(path.join(dir, 'data', `${name}.nc`), {
    dims: entries.map(([dim, values]) => ({ name: dim, values, size: values.length })),
    variables: [{ name: 'y', dims: entries.map(([d]) => d), kind: 'float', data: new Float64Array(cells).fill(1) }],
    attrs: {},
  });
}

describe("a combo given as '...': the values its dim has in the dataset", () => {
  const STUDY = `${HEAD}combos: {a: [1, 2], b: [5]}\n`;

  it('takes the stored values, and leaves every other combo as given', async () => {
    const dir = studyDir(STUDY);
    await writeStored(dir, 's', { a: [1, 2, 3], b: [5, 6] });
    expect(await withStoredValues(dir, { a: ['...'], b: [9], c: ['...', 'x'] })).toEqual({
      a: [1, 2, 3],
      b: [9],
      c: ['...', 'x'],
    });
    const study = await openStudyForRun(dir, { a: ['...'] });
    expect(study.space.dims.map((d) => [d.name, d.values])).toEqual([
      ['a', [1, 2, 3]],
      ['b', [5]],
    ]);
  });

  it('reads no dataset when no combo asks for one', async () => {
    const dir = studyDir(STUDY); // no dataset at all
    expect(await withStoredValues(dir, undefined)).toBeUndefined();
    const combos = { a: [7] };
    expect(await withStoredValues(dir, combos)).toBe(combos);
    expect(await withStoredValues(dir, { a: ['x', '...'] })).toEqual({ a: ['x', '...'] });
    expect(await withStoredValues(dir, {})).toEqual({});
    const study = await openStudyForRun(dir, undefined);
    expect(study.space.dims.map((d) => d.name)).toEqual(['a', 'b']);
  });

  it('says there is no dataset yet, or no such dim in it, in the words of whoever asked', async () => {
    const dir = studyDir(STUDY);
    const data = path.join(dir, 'data', 's.nc');
    expect(await withStoredValues(dir, { a: ['...'] }).catch((e: unknown) => (e as FurrowError).code)).toBe(
      'bad-input',
    );
    await expect(withStoredValues(dir, { b: [1], a: ['...'] })).rejects.toThrow(
      `--combo a=...: ${data} does not exist yet, so there are no stored values; run the study first`,
    );
    await writeStored(dir, 's', { a: [1, 2], b: [5] });
    await expect(withStoredValues(dir, { a: ['...'], z: ['...'] })).rejects.toThrow(
      `--combo z=...: ${data} has no dim 'z' with coordinates (its dims: a, b)`,
    );
    const library = { said: (name: string) => `harvest(${name}=...)`, first: 'harvest once first' };
    await expect(resolveStoredValues(() => path.join(dir, 'none.nc'), { q: ['...'] }, library)).rejects.toThrow(
      `harvest(q=...): ${path.join(dir, 'none.nc')} does not exist yet, so there are no stored values; harvest once first`,
    );
    const error = await withStoredValues(dir, { z: ['...'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FurrowError);
    expect((error as FurrowError).code).toBe('bad-input');
  });

  it('reads study.yaml once for a run, and the cases only after the stored values', async () => {
    const dir = studyDir(STUDY);
    await writeStored(dir, 's', { a: [4], b: [5] });
    const order: string[] = [];
    const study = await openStudyForRun(dir, { a: ['...'] }, () => {
      order.push('cases');
      // study.yaml changed after it was read: the run keeps the study it read.
      fs.writeFileSync(path.join(dir, 'study.yaml'), 'name: changed\n');
      return [{ c: 1 }, { c: 2 }];
    });
    expect(order).toEqual(['cases']);
    expect(study.spec.name).toBe('s');
    expect(study.space.dims.map((d) => [d.name, d.values])).toEqual([
      ['c', [1, 2]],
      ['a', [4]],
      ['b', [5]],
    ]);
    // A missing dataset is told before the cases are read.
    const empty = studyDir(STUDY);
    let read = false;
    await expect(
      openStudyForRun(empty, { a: ['...'] }, () => {
        read = true;
        return undefined;
      }),
    ).rejects.toThrow(/does not exist yet/);
    expect(read).toBe(false);
  });
});

describe('a study from a text kept elsewhere (a crop keeps the study it grew from)', () => {
  it('reads the text given, not the folder’s study.yaml, and places its mistakes in the folder’s study.yaml', () => {
    const dir = studyDir(`${HEAD}combos: {a: [1]}\n`);
    const study = studyFromText(dir, `${HEAD}combos: {b: [1, 2]}\n`);
    expect(study.text).toBe(`${HEAD}combos: {b: [1, 2]}\n`);
    expect(study.space.dims.map((d) => d.name)).toEqual(['b']);
    expect(study.file).toBe(path.join(dir, 'study.yaml'));
    expect(() => studyFromText(dir, `${HEAD}combos: {b: []}\n`)).toThrow(
      `${path.join(dir, 'study.yaml')}:4: combos.b: 'b' has no values; give at least one`,
    );
  });
});
