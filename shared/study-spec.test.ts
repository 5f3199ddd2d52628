// The study file's schema: what it accepts and what it refuses, as a person writing study.yaml meets it.
import { describe, expect, it } from 'vitest';
import { leavesStudyFolder, loadEntrySchema, studySpecSchema } from './study';

const study = (more: Record<string, unknown>) => ({ name: 's', model: { module: './m.mjs' }, outputs: {}, ...more });
const messages = (raw: unknown) => {
  const parsed = studySpecSchema.safeParse(raw);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the study schema', () => {
  it('takes a module or a command, one of them', () => {
    expect(messages(study({ model: { module: './m.mjs' } }))).toEqual([]);
    expect(messages(study({ model: { command: ['run', '{a}'] } }))).toEqual([]);
    const either = 'model: give either module (a JS module) or command (a program to run), not both and not neither';
    expect(messages(study({ model: { module: './m.mjs', command: ['run'] } }))).toEqual([either]);
    expect(messages(study({ model: {} }))).toEqual([either]);
  });

  it('reads an output from a file only with both file and path, and an empty output as one without dims', () => {
    const both = 'outputs.y: an output read from a file needs both file and path (e.g. {file: data.h5, path: /x})';
    expect(messages(study({ outputs: { y: { file: 'd.h5' } } }))).toEqual([both]);
    expect(messages(study({ outputs: { y: { path: '/x' } } }))).toEqual([both]);
    expect(messages(study({ outputs: { y: { file: 'd.h5', path: '/x' } } }))).toEqual([]);
    const parsed = studySpecSchema.parse(study({ outputs: { y: null, z: { dims: ['t'] } } }));
    expect(parsed.outputs).toEqual({ y: { dims: [] }, z: { dims: ['t'] } });
  });
});

describe('a load entry', () => {
  it('stays inside the study folder', () => {
    for (const p of ['/etc/passwd', '\\\\server\\share', 'C:/x', 'c:\\x', '../x', 'a/../../x', 'a\\..\\x']) {
      expect(leavesStudyFolder(p), p).toBe(true);
    }
    for (const p of ['data/x.h5', 'cases/*/out.h5', 'a..b/c', '..x/y', 'data/c:/y'])
      expect(leavesStudyFolder(p), p).toBe(false);
  });

  it('names its placeholders {match} and {basename} only, and {match} only with a path_regex', () => {
    const entry = (more: Record<string, unknown>) =>
      loadEntrySchema.safeParse({ loader: 'hdf5', glob: 'c/*.h5', ...more });
    expect(entry({ target_path: 'x/{basename}' }).success).toBe(true);
    expect(entry({ target_path: 'x/{match}', path_regex: 'c/(.*).h5' }).success).toBe(true);
    expect(entry({ target_path: 'x/{match}/{other}', path_regex: 'c/(.*).h5' }).error?.issues[0]?.message).toBe(
      'the placeholders of a target path are {match} and {basename}',
    );
    expect(entry({ target_path: 'x/{match}' }).error?.issues[0]?.message).toMatch(/^\{match\} needs a path_regex/);
    expect(entry({ path_regex: 'c/(.*).h5' }).error?.issues[0]?.message).toBe(
      'path_regex gives {match}: use it in target_path (e.g. cases/{match}/data)',
    );
    expect(entry({ path_regex: 'c/(' }).error?.issues[0]?.message).toBe(
      'is not a regular expression (e.g. cases/([^/]+)/data.h5)',
    );
  });
});
