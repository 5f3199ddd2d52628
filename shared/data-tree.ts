// The data tree's part of the engine API (shared/api.ts holds the requests): which node a request is about,
// what a node lists, what it shows, and the window of values its preview reads.
import { z } from 'zod';
import { CALENDARS } from './cf-time';
import { columnSchema } from './plot-spec';

/**
 * A node of the data tree, as a request carries it back to the engine.
 * - `dataset`: the study's dataset; `path` is the HDF5 path inside it ('/' for the file).
 * - `file`: an HDF5/NetCDF file opened by its path (`file`, absolute); `path` as above.
 * - `cases`: without `file`, `path` is a folder of the study (`cases`, `cases/<pset_id>`) or, with a `load:`
 *   section, a group of the tree it builds ('' for the top); with `file` (relative to the study folder), that
 *   file, and for an HDF5 file `path` is the object inside it.
 */
export const treeNodeIdSchema = z.object({
  root: z.enum(['dataset', 'cases', 'file']),
  file: z.string().min(1).max(4096).optional(),
  path: z.string().max(4096).default(''),
});
export type TreeNodeId = z.output<typeof treeNodeIdSchema>;
/** A node id as a request gives it (`path` may be left out). */
export type TreeNodeRef = z.input<typeof treeNodeIdSchema>;

/** One key per node, for the renderer's maps. */
export const treeNodeKey = (id: TreeNodeRef) => `${id.root}\u0000${id.file ?? ''}\u0000${id.path ?? ''}`;

export const TREE_KINDS = ['group', 'dataset', 'file', 'folder', 'text', 'other'] as const;

/** An HDF5 link that is not a hard link: a soft link (a path in the same file) or an external one (file:path). */
export const treeLinkSchema = z.object({ type: z.enum(['soft', 'external']), target: z.string() });
export type TreeLink = z.infer<typeof treeLinkSchema>;

/** One line of the tree: what the node is, a short summary (shape and dtype, a count), or why it cannot be read. */
export const treeEntrySchema = z.object({
  id: treeNodeIdSchema,
  name: z.string(),
  kind: z.enum(TREE_KINDS),
  summary: z.string(),
  /** Why this node cannot be read (a truncated file, a missing folder); its siblings are not affected. */
  error: z.string().nullable(),
  expandable: z.boolean(),
  /** Set when the member is a soft or external link: what it points to (kind and summary are its target's). */
  link: treeLinkSchema.optional(),
});
export type TreeEntry = z.infer<typeof treeEntrySchema>;

export const treeChildrenSchema = z.object({
  children: z.array(treeEntrySchema),
  /** Children in all; a page holds `children.length` of them from `offset`. */
  total: z.number(),
  offset: z.number(),
});
export type TreeChildren = z.infer<typeof treeChildrenSchema>;

/** What the details pane shows of a node. Fields that do not apply to its kind are null. */
export const treeDetailsSchema = z.object({
  id: treeNodeIdSchema,
  name: z.string(),
  kind: z.enum(TREE_KINDS),
  /** The file on disk, and for an object inside an HDF5 file its path there. */
  location: z.string(),
  summary: z.string(),
  shape: z.array(z.number()).nullable(),
  dtype: z.string().nullable(),
  dims: z.array(z.string()).nullable(),
  chunks: z.array(z.number()).nullable(),
  /** null in a place: that axis can grow without limit. */
  maxshape: z.array(z.number().nullable()).nullable(),
  /** HDF5 filters in pipeline order (deflate, shuffle, …), with their parameters. */
  filters: z.array(z.object({ id: z.number(), name: z.string(), values: z.array(z.number()) })),
  attrs: z.record(z.string(), z.unknown()),
  /** Bytes on disk (files), or null. */
  size: z.number().nullable(),
  /** For a dimension scale (a coordinate variable): true. */
  coordinate: z.boolean(),
  /** A soft or external link's target. */
  link: treeLinkSchema.optional(),
  /** How the stored values are decoded (CF: masked, scaled, dates), in words; absent when they are shown as stored. */
  decoding: z.string().optional(),
});
export type TreeDetails = z.infer<typeof treeDetailsSchema>;

/** At most this many rows and columns per preview read: a window, never a whole large dataset. */
export const PREVIEW_MAX_ROWS = 100;
export const PREVIEW_MAX_COLS = 20;

export const treePreviewParamsSchema = z.object({
  node: treeNodeIdSchema,
  /** The axes shown as rows and columns (defaults: the last two; a 1-D dataset has rows only, null columns). */
  rowAxis: z.number().int().min(0).nullable().optional(),
  colAxis: z.number().int().min(0).nullable().optional(),
  /** The index each other axis is fixed at (0 where not given). */
  index: z.array(z.number().int().min(0)).max(32).default([]),
  rowStart: z.number().int().min(0).default(0),
  colStart: z.number().int().min(0).default(0),
  rows: z.number().int().min(1).max(PREVIEW_MAX_ROWS).default(PREVIEW_MAX_ROWS),
  cols: z.number().int().min(1).max(PREVIEW_MAX_COLS).default(PREVIEW_MAX_COLS),
});
export type TreePreviewParams = z.input<typeof treePreviewParamsSchema>;

/** A value in a preview: numbers, strings; NaN and ±Infinity as the strings 'NaN', 'Infinity', '-Infinity'. */
const cell = z.union([z.number(), z.string(), z.null()]);

export const treePreviewSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('array'),
    dims: z.array(z.string()),
    shape: z.array(z.number()),
    dtype: z.string(),
    rowAxis: z.number().nullable(),
    colAxis: z.number().nullable(),
    /** The index each axis is fixed at (for the row and column axes: their first shown index). */
    index: z.array(z.number()),
    rowStart: z.number(),
    colStart: z.number(),
    /** The coordinate values of the rows and columns shown, or null where the dim has no coordinate variable. */
    rowCoords: z.array(cell).nullable(),
    colCoords: z.array(cell).nullable(),
    /** Per axis, the coordinate value at its fixed index (null: no coordinate variable, or a shown axis). */
    fixedCoords: z.array(cell),
    /** rows × columns (one column for a 1-D dataset, one row and column for a scalar); CF-decoded (dates, scale). */
    values: z.array(z.array(cell)),
  }),
  z.object({
    kind: z.literal('text'),
    format: z.enum(['text', 'json', 'yaml', 'csv']),
    /** The file's first lines (capped in number and length). */
    lines: z.array(z.string()),
    truncated: z.boolean(),
    size: z.number(),
  }),
]);
export type TreePreview = z.infer<typeof treePreviewSchema>;
export type ArrayPreview = Extract<TreePreview, { kind: 'array' }>;

/** At most this many values in one Line or Heatmap slice (a 2048 × 2048 heatmap); the Matrix pages through more. */
export const SLICE_MAX_VALUES = 2 ** 22;

export const treeSliceParamsSchema = z.object({
  node: treeNodeIdSchema,
  /** The axes drawn: one (a line along it) or two (a heatmap: its rows, then its columns). */
  axes: z.array(z.number().int().min(0)).min(1).max(2),
  /** The index each other axis is fixed at (0 where not given). */
  index: z.array(z.number().int().min(0)).max(32).default([]),
});
export type TreeSliceParams = z.input<typeof treeSliceParamsSchema>;

/** What a Line or Heatmap view of a dataset draws: the slice's values (NaN missing) over its drawn axes' coords. */
export const treeSliceSchema = z.object({
  dims: z.array(z.string()),
  shape: z.array(z.number()),
  dtype: z.string(),
  axes: z.array(z.number()),
  index: z.array(z.number()),
  /** Per drawn axis, its coordinates: numbers (positions where it has none) or ISO dates (CF time). */
  coords: z.array(columnSchema),
  /**
   * Per drawn axis, the calendar of its dates when plotly's date axis cannot place them (plainAxisCalendar), else
   * null: those go on a plain axis ticked at that calendar's dates.
   */
  calendars: z.array(z.enum(CALENDARS).nullable()),
  /** Row-major over the drawn axes, CF-decoded. */
  values: columnSchema,
  /** Per axis, the coordinate at its fixed index (null: a drawn axis, or no coordinate variable). */
  fixedCoords: z.array(cell),
  /** The values' label: long_name (or the name) and units, as xarray labels an axis. */
  label: z.string(),
});
export type TreeSlice = z.infer<typeof treeSliceSchema>;
