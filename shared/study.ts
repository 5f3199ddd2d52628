// The study file (study.yaml) as data: its schema and the summary the UI shows.
import { z } from 'zod';
import { distributionSchema } from './sampling';
import { DEFAULT_MAX_CASES, scalarSchema } from './space';

/**
 * A schema issue in a person's words: a missing key as missing (of a plain type, or of a union such as a load
 * entry's glob), and .inf or .nan (numbers to JavaScript, not to a dataset's coordinates) by their YAML names. Only
 * an issue of a parse with `reportInput: true` knows its input; YAML gives no undefined value, so none is missing.
 */
export function issueDetail(issue: z.core.$ZodIssue): string {
  if (issue.input === undefined) return 'is required but missing';
  if (typeof issue.input === 'number' && !Number.isFinite(issue.input)) {
    const yaml = Number.isNaN(issue.input) ? '.nan' : issue.input > 0 ? '.inf' : '-.inf';
    return `${yaml} is not a finite number; give a finite one`;
  }
  return issue.message;
}

const scalar = scalarSchema;
const three = z.tuple([z.number(), z.number(), z.number().int()]);
const asType = z.enum(['int', 'float']).optional();

export const valueSpecSchema = z.union([
  z.array(scalar),
  z.object({ values: z.array(scalar), as: asType }).strict(),
  z
    .object({
      range: z.union([z.tuple([z.number(), z.number()]), z.tuple([z.number(), z.number(), z.number()])]),
      as: asType,
    })
    .strict(),
  z.object({ linspace: three, as: asType }).strict(),
  z.object({ logspace: three, as: asType }).strict(),
  z.object({ geomspace: three, as: asType }).strict(),
]);

/** A constant is any YAML value; a generator mapping is expanded to its list. */
const constantSchema = z.union([scalar, valueSpecSchema, z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/**
 * The rule for the name of a parameter, an output or a dim, wherever one is given (study.yaml, the Setup form, a
 * pasted header): letters, digits and _, starting with a letter. So a name is a column of the run database, whose
 * own columns start with _.
 */
export const NAME_RULE = 'names are letters, digits and _, starting with a letter';
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
export const isName = (name: string): boolean => NAME.test(name);

const identifier = z.string().regex(NAME, `${NAME_RULE} (names starting with _ are the run database's own)`);

/** A glob or target path of a `load:` entry: relative to the study folder, and never leaving it. */
export function leavesStudyFolder(p: string): boolean {
  return /^([A-Za-z]:)?[\\/]/.test(p) || p.split(/[\\/]+/).includes('..');
}
const insideStudy = z
  .string()
  .min(1)
  .refine((p) => !leavesStudyFolder(p), {
    message: 'would leave the study folder: give a path relative to it, with no leading / and no ..',
  });
const compiles = (pattern: string) => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};

export const LOADERS = ['hdf5', 'yaml', 'json', 'text', 'csv'] as const;

/**
 * One entry of `load:` (dantro's load configs): the files `glob` matches (relative to the study folder) go into
 * the data tree at `target_path`, where `{match}` is what `path_regex` captured and `{basename}` the file's name
 * without its extension.
 */
export const loadEntrySchema = z
  .object({
    loader: z.enum(LOADERS),
    glob: z.union([insideStudy, z.array(insideStudy).min(1)]),
    path_regex: z
      .string()
      .min(1)
      .refine(compiles, { message: 'is not a regular expression (e.g. cases/([^/]+)/data.h5)' })
      .optional(),
    /** Where each file goes in the tree; by default its own path in the study folder. */
    target_path: insideStudy
      .refine((p) => [...p.matchAll(/\{([^{}]*)\}/g)].every((m) => m[1] === 'match' || m[1] === 'basename'), {
        message: 'the placeholders of a target path are {match} and {basename}',
      })
      .optional(),
    /** Fail when nothing matches, naming the entry. */
    required: z.boolean().default(false),
    /** Put the file's content on the group above target_path, as an attribute named by its last part. */
    load_as_attr: z.boolean().default(false),
  })
  .strict()
  .refine((e) => e.path_regex === undefined || (e.target_path ?? '').includes('{match}'), {
    message: 'path_regex gives {match}: use it in target_path (e.g. cases/{match}/data)',
    path: ['target_path'],
  })
  .refine((e) => e.path_regex !== undefined || !(e.target_path ?? '').includes('{match}'), {
    message: '{match} needs a path_regex whose first group captures it',
    path: ['target_path'],
  })
  .refine((e) => !(e.load_as_attr && e.loader === 'hdf5'), {
    message: 'load_as_attr is for yaml, json, text and csv files; an HDF5 file is a group of its own',
    path: ['load_as_attr'],
  });
export type LoadEntry = z.output<typeof loadEntrySchema>;

/** The most `repeats:` a study may ask: each is a case of its own, so max_cases bounds them too. */
export const MAX_REPEATS = 1_000_000;

export const studySpecSchema = z
  .object({
    name: identifier,
    description: z.string().optional(),
    model: z
      .object({
        /** An ES module whose default (or `export`) function takes the parameters and returns the outputs. */
        module: z.string().min(1).optional(),
        export: z.string().default('default'),
        /** Or any program: an argv list with {name} placeholders, run in the case's folder (never a shell). */
        command: z.array(z.string()).min(1).optional(),
        // Up to 23 days: beyond 2^31 ms a Node timer fires at once.
        timeout: z.number().positive().max(2_000_000).default(60),
        /** Seconds a worker may take to import the module before the run fails. */
        load_timeout: z.number().positive().max(2_000_000).default(60),
        /**
         * How a model of a parameter space receives its parameters: as the nested mapping (the default, as dantro
         * hands them) or flat, each under its dotted name (`"random_walk.max_step_size"`).
         */
        params: z.enum(['nested', 'flat']).default('nested'),
      })
      .strict()
      .refine((m) => (m.module === undefined) !== (m.command === undefined), {
        message: 'give either module (a JS module) or command (a program to run), not both and not neither',
      }),
    outputs: z.record(
      identifier,
      z
        .object({
          dims: z.array(identifier).default([]),
          /** For command models: read this output from an HDF5 file the command writes in its case folder. */
          file: z.string().min(1).optional(),
          path: z.string().min(1).optional(),
        })
        .strict()
        .refine((o) => (o.file === undefined) === (o.path === undefined), {
          message: 'an output read from a file needs both file and path (e.g. {file: data.h5, path: /x})',
        })
        .nullable()
        .transform((o) => o ?? { dims: [] }),
    ),
    coords: z.record(identifier, valueSpecSchema).default({}),
    constants: z.record(identifier, constantSchema).default({}),
    resources: z.record(z.string(), z.unknown()).default({}),
    attrs: z.record(z.string(), z.union([scalar, z.array(scalar)])).default({}),
    /** Every combination: a mapping, or a list of [name, values] pairs that fixes the order. */
    combos: z
      .union([z.record(identifier, valueSpecSchema), z.array(z.tuple([identifier, valueSpecSchema]))])
      .default({}),
    /** Particular settings (each setting the same parameters); for each, every combination of combos runs. */
    cases: z.array(z.record(identifier, scalar)).default([]),
    /** Groups of parameters that vary together. */
    zip: z.array(z.record(identifier, valueSpecSchema)).default([]),
    /** A paramspace parameter space (!pspace, inline) or the path of a YAML file holding one. */
    parameter_space: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    /** Random sampling (`furrow sample`): a default seed and a distribution per sampled parameter. */
    sample: z
      .object({
        seed: z.number().int().nonnegative().optional(),
        distributions: z.record(identifier, distributionSchema).default({}),
      })
      .strict()
      .optional(),
    /**
     * Run every case this many times (psweep's running again): a `repeat` dim (0..N-1) after the others, each repeat
     * a case of its own, whose model receives a `seed` derived from its pset hash.
     */
    repeats: z.number().int().positive().max(MAX_REPEATS).optional(),
    /** Refuse a parameter space of more cases than this, before anything runs. */
    max_cases: z.number().int().positive().default(DEFAULT_MAX_CASES),
    /** What the data tree shows over the case folders (dantro's load configs); without it, the folders as they are. */
    load: z.array(loadEntrySchema).optional(),
  })
  .strict();

export type StudySpec = z.output<typeof studySpecSchema>;

export const dimSchema = z.object({
  name: z.string(),
  values: z.array(scalar),
  role: z.enum(['case', 'combo', 'zip']),
  /** For a zip dim: the parameters that vary with it. */
  coupled: z.array(z.object({ name: z.string(), values: z.array(scalar) })).optional(),
});

export const studySummarySchema = z.object({
  dir: z.string(),
  name: z.string(),
  model: z.string(),
  outputs: z.array(z.object({ name: z.string(), dims: z.array(z.string()) })),
  /** The parameter dims of the dataset: case dims, then combo dims, then zip dims. */
  dims: z.array(dimSchema),
  /** How many cases a run of the whole space runs. */
  caseCount: z.number(),
  dataset: z.string(),
  hasDataset: z.boolean(),
});
export type StudySummary = z.infer<typeof studySummarySchema>;
