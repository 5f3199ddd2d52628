// The study file (study.yaml) as data: its schema and the summary the UI shows.
import { z } from 'zod';

/** A parameter value: what one cell of a dim's coords can hold. */
export const scalarSchema = z.union([z.number(), z.string(), z.boolean()]);
const scalar = scalarSchema;
const three = z.tuple([z.number(), z.number(), z.number().int()]);
const asType = z.enum(['int', 'float']).optional();

export const valueSpecSchema = z.union([
  z.array(scalar),
  z.object({ values: z.array(scalar) }).strict(),
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

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'names are letters, digits and _ and do not start with a digit');

export const studySpecSchema = z
  .object({
    name: identifier,
    description: z.string().optional(),
    model: z
      .object({
        module: z.string().min(1),
        export: z.string().default('default'),
        // Up to 23 days: beyond 2^31 ms a Node timer fires at once.
        timeout: z.number().positive().max(2_000_000).default(60),
        /** Seconds a worker may take to import the module before the run fails. */
        load_timeout: z.number().positive().max(2_000_000).default(60),
      })
      .strict(),
    outputs: z.record(
      identifier,
      z
        .object({ dims: z.array(identifier).default([]) })
        .strict()
        .nullable()
        .transform((o) => o ?? { dims: [] }),
    ),
    coords: z.record(identifier, valueSpecSchema).default({}),
    constants: z.record(identifier, constantSchema).default({}),
    resources: z.record(z.string(), z.unknown()).default({}),
    attrs: z.record(z.string(), z.union([scalar, z.array(scalar)])).default({}),
    combos: z.record(identifier, valueSpecSchema),
  })
  .strict();

export type StudySpec = z.output<typeof studySpecSchema>;

export const dimSchema = z.object({ name: z.string(), values: z.array(scalar) });

export const studySummarySchema = z.object({
  dir: z.string(),
  name: z.string(),
  model: z.string(),
  outputs: z.array(z.object({ name: z.string(), dims: z.array(z.string()) })),
  combos: z.array(dimSchema),
  caseCount: z.number(),
  dataset: z.string(),
  hasDataset: z.boolean(),
});
export type StudySummary = z.infer<typeof studySummarySchema>;
