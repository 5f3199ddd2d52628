// What the app edits of a study.yaml, as rows, and the one change at a time it asks the engine for: schemas both
// sides share. The engine turns them into YAML (electron/engine/study/study-edit.ts); no YAML comes this side.
import { z } from 'zod';
import { scalarSchema as scalar } from './space';

/**
 * Where a parameter lives in study.yaml:
 * - `combo`: every combination (`combos`);
 * - `zip`: one of the groups of parameters that vary together (`zip[group]`);
 * - `constant`: one value for every case (`constants`);
 * - `case`: a column of the particular cases (`cases`);
 * - `sample`: a distribution that `furrow sample` draws from (`sample.distributions`).
 * A parameter has one of the first four roles; a distribution for sampling may sit beside any of them.
 */
export const parameterRoles = ['combo', 'zip', 'constant', 'case', 'sample'] as const;
export type ParameterRole = (typeof parameterRoles)[number];

/** A parameter's values as the app edits them: a list, a generator, one value, or a distribution. */
export const parameterValuesSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('values'), values: z.array(scalar) }),
  z.object({ kind: z.literal('range'), start: z.number(), stop: z.number(), step: z.number().optional() }),
  z.object({ kind: z.enum(['linspace', 'logspace']), start: z.number(), stop: z.number(), num: z.number() }),
  z.object({ kind: z.literal('constant'), value: scalar }),
  /** A distribution: uniform, loguniform and randint from a to b, normal with mean a and deviation b. */
  z.object({ kind: z.enum(['uniform', 'loguniform', 'normal', 'randint']), a: z.number(), b: z.number() }),
  z.object({ kind: z.literal('module'), module: z.string(), export: z.string().optional() }),
]);
export type ParameterValues = z.infer<typeof parameterValuesSchema>;

export const parameterRowSchema = z.object({
  name: z.string(),
  role: z.enum(parameterRoles),
  values: parameterValuesSchema,
  /** For a zip parameter: which group (0 is the first; the number of groups starts a new one). */
  group: z.number().int().nonnegative().optional(),
});
export type ParameterRow = z.infer<typeof parameterRowSchema>;

/** Where a parameter was, when it is moved or renamed. */
export interface ParameterPlace {
  name: string;
  role?: ParameterRole | undefined;
}

/** The model as the app edits it: a module (and its export) or a command, and the timeout per case. */
export const modelRowSchema = z.object({
  module: z.string().optional(),
  export: z.string().optional(),
  command: z.array(z.string()).optional(),
  timeout: z.number().optional(),
});
export type ModelRow = z.infer<typeof modelRowSchema>;

/** The most rows a case column may bring to study.yaml's cases (a bigger space stays a combo). */
export const MAX_CASE_ROWS = 10_000;

/** An output as the app sets it: its name and its own dims. */
export const outputRowSchema = z.object({ name: z.string(), dims: z.array(z.string()) });
export type OutputRow = z.infer<typeof outputRowSchema>;

/** The coords of the outputs' own dims (`coords:`): a dim's values, or null where they are 0..n-1. */
export const coordRowSchema = z.object({ name: z.string(), values: parameterValuesSchema.nullable() });
export type CoordRow = z.infer<typeof coordRowSchema>;

/** What the app edits of a study.yaml, as rows. */
export const studyRowsSchema = z.object({
  model: modelRowSchema,
  parameters: z.array(parameterRowSchema),
  cases: z.array(z.record(z.string(), scalar)),
  outputs: z.array(outputRowSchema),
  coords: z.array(coordRowSchema),
});
export type StudyRows = z.infer<typeof studyRowsSchema>;

/** The rows of a text with nothing in it the app edits. */
export const NO_ROWS: StudyRows = { model: {}, parameters: [], cases: [], outputs: [], coords: [] };

/** One change the app makes to study.yaml. */
export const studyEditSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('set-parameter'),
    row: parameterRowSchema,
    /** Where the parameter was, when it is renamed or moved to another role. */
    previous: z.object({ name: z.string(), role: z.enum(parameterRoles).optional() }).optional(),
  }),
  z.object({ op: z.literal('remove-parameter'), name: z.string(), role: z.enum(parameterRoles).optional() }),
  z.object({ op: z.literal('set-model'), model: modelRowSchema }),
  z.object({ op: z.literal('set-coord'), name: z.string(), values: parameterValuesSchema.nullable() }),
  z.object({ op: z.literal('set-cases'), cases: z.array(z.record(z.string(), scalar)) }),
  z.object({ op: z.literal('set-outputs'), outputs: z.array(outputRowSchema) }),
]);
export type StudyEdit = z.infer<typeof studyEditSchema>;
