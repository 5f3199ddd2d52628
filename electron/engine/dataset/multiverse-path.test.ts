import { describe, expect, it } from 'vitest';
import { parseMultiversePath } from './multiverse-path';

describe('a multiverse path', () => {
  it('is a file inside each case folder and a dataset in it', () => {
    expect(parseMultiversePath('data.h5:/abm/mean_energy')).toEqual({
      file: 'data.h5',
      inner: '/abm/mean_energy',
      text: 'data.h5:/abm/mean_energy',
    });
    expect(parseMultiversePath('out/./run.h5:abm//x/')).toEqual({
      file: 'out/run.h5',
      inner: '/abm/x',
      text: 'out/run.h5:/abm/x',
    });
  });

  it('is refused without a colon, a file or a dataset, saying the form it takes', () => {
    for (const bad of ['data.h5', ':/x', 'data.h5:', 'data.h5:/']) {
      expect(() => parseMultiversePath(bad)).toThrow(/give the path as file\.h5:\/group\/dataset/);
    }
    expect(() => parseMultiversePath('data.h5/x')).toThrow(/no colon between the file and the dataset/);
  });

  it('is refused when its file leaves the case folder', () => {
    for (const bad of ['../other/data.h5:/x', 'a/../../data.h5:/x', '..\\..\\data.h5:/x']) {
      expect(() => parseMultiversePath(bad)).toThrow(/leaves the case folder; give the path as file\.h5:/);
    }
    for (const bad of ['/etc/data.h5:/x', 'C:\\data.h5:/x']) {
      expect(() => parseMultiversePath(bad)).toThrow(/absolute path, outside the case folders/);
    }
  });
});
