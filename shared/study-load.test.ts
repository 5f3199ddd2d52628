import { describe, expect, it } from 'vitest';
import { leavesStudyFolder, loadEntrySchema, studySpecSchema } from './study';

/** The first issue's path and message, as the study file's reader reports them. */
function issue(entry: unknown): string {
  const parsed = loadEntrySchema.safeParse(entry);
  if (parsed.success) return 'ok';
  const first = parsed.error.issues[0]!;
  return `${first.path.join('.')}: ${first.message}`;
}

describe("a study's load: section", () => {
  it('takes entries as dantro has them, with defaults', () => {
    const entry = loadEntrySchema.parse({
      loader: 'hdf5',
      glob: 'cases/*/data.h5',
      path_regex: 'cases/([^/]+)/data.h5',
      target_path: 'cases/{match}/data',
    });
    expect(entry).toEqual({
      loader: 'hdf5',
      glob: 'cases/*/data.h5',
      path_regex: 'cases/([^/]+)/data.h5',
      target_path: 'cases/{match}/data',
      required: false,
      load_as_attr: false,
    });
    expect(issue({ loader: 'yaml', glob: ['a/*.yml', 'b/**/*.yaml'], target_path: 'cfg/{basename}' })).toBe('ok');
    expect(issue({ loader: 'json', glob: 'cases/*/params.json', required: true, load_as_attr: true })).toBe('ok');
    const spec = studySpecSchema.parse({
      name: 's',
      model: { module: './m.mjs' },
      outputs: {},
      load: [{ loader: 'csv', glob: 'tables/*.csv' }],
    });
    expect(spec.load).toHaveLength(1);
    expect(studySpecSchema.parse({ name: 's', model: { module: './m.mjs' }, outputs: {} }).load).toBeUndefined();
  });

  it('refuses a glob or a target path that would leave the study folder', () => {
    for (const glob of ['../other/*.h5', '/etc/*.h5', 'cases/../../x.h5', 'C:\\data\\*.h5', 'a\\..\\..\\b']) {
      expect(issue({ loader: 'hdf5', glob })).toBe(
        'glob: would leave the study folder: give a path relative to it, with no leading / and no ..',
      );
    }
    expect(issue({ loader: 'hdf5', glob: ['ok/*.h5', '../no/*.h5'] })).toMatch(/^glob(\.1)?: would leave/);
    expect(issue({ loader: 'text', glob: 'a.txt', target_path: '../up' })).toMatch(/^target_path: would leave/);
    expect(issue({ loader: 'text', glob: 'a.txt', target_path: '/abs' })).toMatch(/^target_path: would leave/);
    // Dots inside names are fine.
    expect(leavesStudyFolder('cases/..x/a..b.h5')).toBe(false);
    expect(leavesStudyFolder('./cases/*.h5')).toBe(false);
  });

  it('pairs path_regex with {match}, knows its placeholders, and checks the regex', () => {
    expect(issue({ loader: 'hdf5', glob: 'c/*/d.h5', path_regex: 'c/([^/]+)/' })).toBe(
      'target_path: path_regex gives {match}: use it in target_path (e.g. cases/{match}/data)',
    );
    expect(issue({ loader: 'hdf5', glob: 'c/*/d.h5', target_path: 'u/{match}' })).toBe(
      'target_path: {match} needs a path_regex whose first group captures it',
    );
    expect(issue({ loader: 'hdf5', glob: 'c/*/d.h5', target_path: 'u/{name}' })).toBe(
      'target_path: the placeholders of a target path are {match} and {basename}',
    );
    expect(issue({ loader: 'hdf5', glob: 'c/*/d.h5', path_regex: 'c/([^/]+', target_path: '{match}' })).toBe(
      'path_regex: is not a regular expression (e.g. cases/([^/]+)/data.h5)',
    );
  });

  it('refuses unknown loaders and keys, and load_as_attr for an HDF5 file', () => {
    expect(issue({ loader: 'pickle', glob: 'a' })).toMatch(/^loader: /);
    expect(issue({ loader: 'hdf5', glob: 'a', globb: 'b' })).toMatch(/Unrecognized key.*globb/);
    expect(issue({ loader: 'hdf5', glob: 'a.h5', load_as_attr: true })).toBe(
      'load_as_attr: load_as_attr is for yaml, json, text and csv files; an HDF5 file is a group of its own',
    );
    expect(issue({ loader: 'hdf5' })).toMatch(/^glob: /);
  });
});
