// The data tree over a real study folder: the random-walk example run for real (case folders with data.h5,
// params.json and logs, and the harvested dataset), an HDF5 file written here with h5wasm (chunked, compressed,
// with dimension scales), a truncated file, a missing case folder, and `load:` sections.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TreeEntry, TreeNodeRef } from '../../shared/data-tree';
import { treeChildren, treeNode, treePreview, treeRoots } from '../../electron/engine/tree/data-tree';
import { globFiles } from '../../electron/engine/study/load-tree';
import { loadH5 } from '../../electron/engine/dataset/h5';
import { describeDataset, readSlice } from '../../electron/engine/dataset/netcdf-read';
import { openStudy } from '../../electron/engine/study/study';
import { exampleStudy, furrow, tempDir } from '../helpers/furrow';

/** A 3-D cube(x, y, z) = 10000 x + 100 y + z, chunked and gzip-compressed, with coords, attrs and a group. */
async function writeCube(file: string): Promise<void> {
  const h5 = await loadH5();
  const f = new h5.File(file, 'w');
  try {
    const [nx, ny, nz] = [4, 150, 30];
    const coords = {
      x: [0.5, 1.5, 2.5, 3.5],
      y: Array.from({ length: ny }, (_, i) => i * 10),
      z: Array.from({ length: nz }, (_, i) => -i),
    };
    for (const [name, values] of Object.entries(coords)) {
      f.create_dataset({ name, data: Float64Array.from(values) });
      (f.get(name) as InstanceType<typeof h5.Dataset>).make_scale(name);
    }
    const data = new Float64Array(nx * ny * nz);
    for (let x = 0; x < nx; x++)
      for (let y = 0; y < ny; y++) for (let z = 0; z < nz; z++) data[(x * ny + y) * nz + z] = 10000 * x + 100 * y + z;
    data[0] = NaN;
    f.create_dataset({
      name: 'cube',
      data,
      shape: [nx, ny, nz],
      chunks: [1, 50, 30],
      compression: 'gzip',
      compression_opts: 4,
    });
    const cube = f.get('cube') as InstanceType<typeof h5.Dataset>;
    ['x', 'y', 'z'].forEach((dim, axis) => cube.attach_scale(axis, `/${dim}`));
    cube.create_attribute('units', 'm');
    cube.create_attribute('long_name', 'a cube of numbers');
    const meta = f.create_group('meta');
    meta.create_dataset({ name: 'count', data: Int32Array.of(7) });
    meta.create_dataset({ name: 'names', data: ['a', 'b', 'c'] });
    f.create_attribute('title', 'written by the data tree test');
  } finally {
    f.close();
  }
}

const names = (entries: TreeEntry[]) => entries.map((e) => e.name);

describe('the data tree', () => {
  let dir: string;
  let cube: string;
  const study = () => openStudy(dir);
  const children = async (node: TreeNodeRef) => (await treeChildren(study, node, 0, 200)).children;

  beforeAll(async () => {
    dir = await exampleStudy('random-walk');
    const run = await furrow(['run', dir, '--combo', 'seed=0,1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    cube = path.join(tempDir(), 'cube.h5');
    await writeCube(cube);
  });

  it('lists the dataset and the case folders as roots, and any file opened by its path', async () => {
    const roots = await treeRoots(study, [cube]);
    expect(roots.map((r) => [r.id.root, r.name, r.kind, r.error])).toEqual([
      ['dataset', path.join('data', 'random_walk.nc'), 'file', null],
      ['cases', 'cases', 'folder', null],
      ['file', 'cube.h5', 'file', null],
    ]);
    expect(roots[1]!.summary).toBe('6 case folders');
    expect(roots[2]!.summary).toMatch(/^5 members · \d/);
    // Without a study, the opened files alone.
    expect(names(await treeRoots(null, [cube]))).toEqual(['cube.h5']);
  });

  it("shows the study dataset's variables, and a 2-D window of a 3-D one with the third dim fixed", async () => {
    const top = await children({ root: 'dataset', path: '/' });
    const info = await describeDataset(study().datasetPath);
    expect(names(top)).toEqual(expect.arrayContaining(['random_walk', 'mean_energy', 'max_step_size', 'seed']));
    const walk = top.find((e) => e.name === 'random_walk')!;
    const variable = info.variables.find((v) => v.name === 'random_walk')!;
    expect(walk.summary).toBe(`${variable.shape.join(' × ')} float64`);
    expect(top.find((e) => e.name === 'seed')!.summary).toMatch(/coordinate$/);

    const details = await treeNode(study, walk.id);
    expect(details.dims).toEqual(variable.dims);
    expect(details.shape).toEqual(variable.shape);
    expect(details.chunks).not.toBeNull();
    expect(details.maxshape![0]).toBeNull(); // the case dims grow with later runs

    // Rows: the second dim, columns: the third, the first fixed at index 2 (as a slider would set it).
    const preview = await treePreview(study, { node: walk.id, index: [2], colStart: 5, cols: 20 });
    if (preview.kind !== 'array') throw new Error('expected an array preview');
    expect([preview.rowAxis, preview.colAxis]).toEqual([1, 2]);
    expect(preview.values).toHaveLength(variable.shape[1]!);
    expect(preview.values[0]).toHaveLength(20);
    const [first, second, third] = variable.dims as [string, string, string];
    expect(preview.fixedCoords[0]).toBe(info.dims.find((d) => d.name === first)!.values![2]);
    expect(preview.rowCoords).toEqual(info.dims.find((d) => d.name === second)!.values);
    expect(preview.colCoords).toEqual(info.dims.find((d) => d.name === third)!.values!.slice(5, 25));
    const slice = await readSlice(study().datasetPath, 'random_walk', { [first]: 2 });
    const n = variable.shape[2]!;
    expect(preview.values[1]![3]).toBeCloseTo(slice.values[1 * n + 8] as number, 12);
  });

  it('shows chunking, compression and attrs, pages through rows, and transposes on request', async () => {
    const id = { root: 'file' as const, file: cube, path: '/cube' };
    const details = await treeNode(study, id);
    expect(details).toMatchObject({
      kind: 'dataset',
      shape: [4, 150, 30],
      dtype: 'float64',
      dims: ['x', 'y', 'z'],
      chunks: [1, 50, 30],
      attrs: { units: 'm', long_name: 'a cube of numbers' },
      coordinate: false,
    });
    expect(details.filters.map((f) => f.name)).toContain('deflate');
    expect(details.filters.find((f) => f.name === 'deflate')!.values).toEqual([4]);
    expect((await treeNode(study, { root: 'file', file: cube, path: '/' })).attrs).toEqual({
      title: 'written by the data tree test',
    });

    // The default window: the first 100 rows of y and 20 columns of z at x = 0; NaN spelt out.
    const start = await treePreview(study, { node: id });
    if (start.kind !== 'array') throw new Error('expected an array preview');
    expect(start.values).toHaveLength(100);
    expect(start.values[0]!.slice(0, 3)).toEqual(['NaN', 1, 2]);
    expect(start.fixedCoords).toEqual([0.5, null, null]);
    // The next page of rows: 100..149 (the last 50), at x = 3.
    const next = await treePreview(study, { node: id, index: [3], rowStart: 100 });
    if (next.kind !== 'array') throw new Error('expected an array preview');
    expect(next.values).toHaveLength(50);
    expect(next.values[0]![0]).toBe(30000 + 100 * 100);
    expect(next.rowCoords![0]).toBe(1000);
    // z as rows, x as columns, y fixed at 7.
    const turned = await treePreview(study, { node: id, rowAxis: 2, colAxis: 0, index: [0, 7] });
    if (turned.kind !== 'array') throw new Error('expected an array preview');
    expect(turned.values).toHaveLength(30);
    expect(turned.values[5]).toEqual([705, 10705, 20705, 30705]);
    expect(turned.colCoords).toEqual([0.5, 1.5, 2.5, 3.5]);
    await expect(treePreview(study, { node: id, index: [9] })).rejects.toThrow(
      /index 9 is past the end of dim 'x' \(size 4\)/,
    );

    const meta = await children({ root: 'file', file: cube, path: '/meta' });
    expect(meta.map((e) => [e.name, e.summary])).toEqual([
      ['count', '1 int32'],
      ['names', '3 string'],
    ]);
    const strings = await treePreview(study, { node: meta[1]!.id });
    expect(strings).toMatchObject({ kind: 'array', values: [['a'], ['b'], ['c']], colAxis: null });
  });

  it("lists a case folder's files, previews text, and a truncated HDF5 file errs alone", async () => {
    const cases = await children({ root: 'cases', path: '' });
    expect(cases).toHaveLength(6);
    expect(cases[0]!.summary).toMatch(/max_step_size=.*seed=.* · done|seed=.*max_step_size=.* · done/);
    const [good, bad] = cases as [TreeEntry, TreeEntry];
    // Cut one case's data.h5 short, and put a binary file beside it.
    const badH5 = path.join(dir, bad.id.path, 'data.h5');
    fs.writeFileSync(badH5, fs.readFileSync(badH5).subarray(0, 1500));
    fs.writeFileSync(path.join(dir, bad.id.path, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));

    const files = await children(bad.id);
    const byName = Object.fromEntries(files.map((f) => [f.name, f]));
    expect(byName['data.h5']).toMatchObject({ kind: 'file', expandable: false });
    expect(byName['data.h5']!.error).toMatch(/not a readable HDF5\/NetCDF4 file .*truncated/);
    expect(byName['params.json']).toMatchObject({ kind: 'text', error: null });
    expect(byName['blob.bin']).toMatchObject({ kind: 'other', summary: '6 B · binary' });
    await expect(treeChildren(study, byName['data.h5']!.id, 0, 10)).rejects.toThrow(/truncated/);
    await expect(treePreview(study, { node: byName['blob.bin']!.id })).rejects.toThrow(/binary file/);
    const params = await treePreview(study, { node: byName['params.json']!.id });
    expect(params).toMatchObject({ kind: 'text', format: 'json', truncated: false });
    if (params.kind !== 'text') throw new Error('expected text');
    expect(JSON.parse(params.lines.join('\n'))).toHaveProperty('seed');

    // The other case still opens, down to its HDF5 groups.
    const goodFiles = await children(good.id);
    const data = goodFiles.find((f) => f.name === 'data.h5')!;
    expect(data.error).toBeNull();
    const inside = await children(data.id);
    expect(names(inside)).toEqual(expect.arrayContaining(['abm', 'random_walk']));
    const abm = await children(inside.find((e) => e.name === 'abm')!.id);
    expect(names(abm)).toEqual(expect.arrayContaining(['mean_energy', 'num_agents']));
  });

  it('names a case folder the run database has but the disk lost, and refuses paths outside the study', async () => {
    const cases = await children({ root: 'cases', path: '' });
    const gone = cases[2]!;
    fs.rmSync(path.join(dir, gone.id.path), { recursive: true });
    const after = await children({ root: 'cases', path: '' });
    expect(after).toHaveLength(6);
    expect(after[2]!.error).toMatch(/^missing: the run database records this case \(done\), but .* is gone/);
    await expect(treeChildren(study, gone.id, 0, 10)).rejects.toThrow(/no such file or folder/);

    await expect(treeChildren(study, { root: 'cases', path: '../..' }, 0, 10)).rejects.toThrow(
      /not inside the study folder/,
    );
    await expect(treePreview(study, { node: { root: 'cases', file: '/etc/passwd' } })).rejects.toThrow(
      /not inside the study folder/,
    );
    fs.symlinkSync('/etc', path.join(dir, 'cases', 'etc-link'));
    await expect(treeChildren(study, { root: 'cases', path: 'cases/etc-link' }, 0, 10)).rejects.toThrow(
      /outside the study folder/,
    );
    fs.rmSync(path.join(dir, 'cases', 'etc-link'));
  });

  /** Run `check` with a `load:` section added to study.yaml, then put the file back as it was. */
  const withLoad = async (load: string, check: () => Promise<void>) => {
    const file = path.join(dir, 'study.yaml');
    const yaml = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, `${yaml}load:\n${load}`);
    try {
      await check();
    } finally {
      fs.writeFileSync(file, yaml);
    }
  };

  it('builds the tree from a load: section, with {match}, attributes from files, and a truncated file erring alone', () =>
    withLoad(
      `  - {loader: hdf5, glob: 'cases/*/data.h5', path_regex: 'cases/([^/]+)/data.h5', target_path: 'multiverse/{match}/data'}
  - {loader: json, glob: 'cases/*/params.json', path_regex: 'cases/([^/]+)/', target_path: 'multiverse/{match}/params', load_as_attr: true}
  - {loader: text, glob: 'cases/**/*.log', path_regex: 'cases/([^/]+)/', target_path: 'multiverse/{match}/{basename}'}
`,
      async () => {
        const [, root] = await treeRoots(study, []);
        expect(root).toMatchObject({ kind: 'group', summary: "as study.yaml's load: has it (3 entries)", error: null });
        expect(names(await children({ root: 'cases', path: '' }))).toEqual(['multiverse']);
        const universes = await children({ root: 'cases', path: 'multiverse' });
        expect(universes).toHaveLength(5); // six cases, one folder deleted above
        expect(universes[0]!.summary).toBe('4 members · 1 attr'); // data, stdout, stderr, walk; params as an attr

        const results = await Promise.all(universes.map((u) => children(u.id)));
        const data = results.map((members) => members.find((m) => m.name === 'data')!);
        expect(data.filter((d) => d.error !== null)).toHaveLength(1); // the truncated one, alone
        expect(data.find((d) => d.error !== null)!.error).toMatch(/truncated/);
        const fine = data.find((d) => d.error === null)!;
        expect(fine.summary).toMatch(/^cases\/[^/]+\/data\.h5 · \d+ members · /);
        expect(names(await children(fine.id))).toEqual(expect.arrayContaining(['abm', 'random_walk']));
        expect(results[0]!.find((m) => m.name === 'walk')).toMatchObject({ kind: 'text', error: null });

        const group = await treeNode(study, universes[0]!.id);
        expect(group.attrs['params']).toMatchObject({ num_steps: 1023 });
        expect(Object.keys(group.attrs['params'] as object).sort()).toEqual(['max_step_size', 'num_steps', 'seed']);
      },
    ));

  it('says which entry is required but matches nothing', () =>
    withLoad(
      `  - {loader: hdf5, glob: 'cases/*/data.h5'}\n  - {loader: csv, glob: 'tables/*.csv', required: true}\n`,
      async () => {
        const lines = fs.readFileSync(path.join(dir, 'study.yaml'), 'utf8').split('\n');
        const line = lines.findIndex((l) => l.includes('tables/*.csv')) + 1;
        await expect(treeChildren(study, { root: 'cases', path: '' }, 0, 10)).rejects.toThrow(
          new RegExp(`study\\.yaml:${line}: load\\.1: required, but nothing matches 'tables/\\*\\.csv'`),
        );
      },
    ));

  it('refuses a target path or a glob that would leave the study folder, and the tree says so on its roots', async () => {
    await withLoad(
      `  - {loader: hdf5, glob: 'cases/*/data.h5', path_regex: 'cases/([^/]+)/', target_path: '../outside/{match}'}\n`,
      async () => {
        expect(() => openStudy(dir)).toThrow(/study\.yaml:\d+: load\.0\.target_path: would leave the study folder/);
        const roots = await treeRoots(study, [cube]);
        expect(roots[1]!.error).toMatch(/load\.0\.target_path: would leave the study folder/);
        expect(roots[2]!.error).toBeNull(); // a file opened by its path still opens
      },
    );
    for (const glob of ['../*/study.yaml', '/etc/*.h5']) {
      await withLoad(`  - {loader: hdf5, glob: '${glob}'}\n`, async () => {
        expect(() => openStudy(dir)).toThrow(/load\.0\.glob: would leave the study folder/);
      });
    }
  });

  it("globs as Python's glob does: *, ?, [..], ** at any depth, no hidden files unless spelt", () => {
    const root = tempDir();
    for (const file of ['a/x1.h5', 'a/x2.h5', 'a/b/c/x3.h5', 'a/.hidden.h5', 'b/y.txt', '.dot/z.h5']) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), '');
    }
    expect(globFiles(root, 'a/*.h5')).toEqual(['a/x1.h5', 'a/x2.h5']);
    expect(globFiles(root, 'a/x?.h5')).toEqual(['a/x1.h5', 'a/x2.h5']);
    expect(globFiles(root, 'a/x[!1].h5')).toEqual(['a/x2.h5']);
    expect(globFiles(root, '**/*.h5')).toEqual(['a/b/c/x3.h5', 'a/x1.h5', 'a/x2.h5']);
    expect(globFiles(root, 'a/.*.h5')).toEqual(['a/.hidden.h5']);
    expect(globFiles(root, 'b/y.txt')).toEqual(['b/y.txt']);
    expect(globFiles(root, 'nothing/*')).toEqual([]);
  });
});
