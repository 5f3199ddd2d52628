// CF decoding (dates in every CF calendar, scale_factor/add_offset, _FillValue/missing_value) compared with what
// Debian's xarray decodes, on files written by xarray and by netCDF4: in the engine's description and slices, the
// data tree's table and Line/Heatmap slices, a plot's axis, `furrow inspect` and the library's Dataset.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeDataset, readSlice } from '../../electron/engine/dataset/netcdf-read';
import { h5Preview, h5Slice } from '../../electron/engine/tree/data-tree-h5';
import { plotData } from '../../electron/engine/plots/plot-data';
import { checkSpec } from '../../shared/plot-spec';
import { Dataset } from '../../electron/lib/dataset';
// The Copy as Python snippet is run in Debian's xarray here: the one renderer module a test of the engine reads.
// eslint-disable-next-line no-restricted-imports
import { pythonSnippet } from '../../renderer/plots/python';
// And where a plot's dates sit on its axis (renderer/plots/figure.ts draws them there).
// eslint-disable-next-line no-restricted-imports
import { onCalendarAxes } from '../../renderer/plots/calendar-axes';
import { furrow } from '../helpers/furrow';
import { describeWith, python } from '../helpers/tools';

const CALENDARS = [
  'standard',
  'gregorian',
  'proleptic_gregorian',
  'noleap',
  '365_day',
  'all_leap',
  '366_day',
  '360_day',
];

/** The name Furrow reports for each alias, as cftime normalizes them. */
const CANONICAL: Record<string, string> = { gregorian: 'standard', '365_day': 'noleap', '366_day': 'all_leap' };

/** Writes, for each calendar, a netCDF4 file (raw numbers and CF attributes) and an xarray one (cftime dates). */
const WRITE_AND_DECODE = `
import sys, json, warnings, numpy as np, netCDF4, xarray as xr
warnings.simplefilter("ignore")
out = sys.argv[1]
cals = ${JSON.stringify(CALENDARS)}
units = {"standard": "hours since 2024-01-01", "gregorian": "days since 1500-02-27 12:00:00",
  "proleptic_gregorian": "days since 1500-02-27", "noleap": "days since 2000-02-27 06:30",
  "365_day": "minutes since 1999-12-31T23:00:00Z", "all_leap": "days since 2001-02-27",
  "366_day": "seconds since 2001-01-01 00:00:00 +01:00", "360_day": "days since 2000-01-29"}
files = []
for cal in cals:
  path = f"{out}/nc4-{cal}.nc"
  f = netCDF4.Dataset(path, "w")
  f.createDimension("time", 8)
  f.createDimension("station", 3)
  t = f.createVariable("time", "f8", ("time",))
  t.units = units[cal]; t.calendar = cal
  t[:] = [0, 1, 2, 3.5, 36, 400, 1000.25, 20000]
  s = f.createVariable("station", "i4", ("station",))
  s[:] = [10, 20, 30]
  v = f.createVariable("temp", "i2", ("time", "station"), fill_value=np.int16(-32767))
  v.set_auto_maskandscale(False)
  v.scale_factor = 0.01; v.add_offset = 273.15; v.units = "K"; v.long_name = "air temperature"
  v[:] = np.array([[100, 200, -32767], [400, 500, 0], [700, -800, 1], [2, 3, 4]] * 2, dtype="i2")
  w = f.createVariable("count", "i4", ("time",))
  w.set_auto_maskandscale(False)
  w.missing_value = np.int32(-1)
  w[:] = np.array([1, 2, 3, -1, 5, 6, 7, 8], dtype="i4")
  f.close()
  files.append(path)
  path = f"{out}/xr-{cal}.nc"
  ds = xr.Dataset({"x": (("time",), np.arange(5, dtype="int32")), "f": (("time",), np.arange(5, dtype="float32"))},
     coords={"time": xr.cftime_range("2000-02-27", periods=5, freq="37H",
                                     calendar="standard" if cal == "gregorian" else cal)})
  ds.time.encoding.update({"units": "hours since 1999-12-30", "calendar": cal})
  ds.to_netcdf(path, engine="h5netcdf")
  files.append(path)
got = {}
for path in files:
  ds = xr.open_dataset(path, engine="h5netcdf")
  got[path] = {
    "time": [v.isoformat() for v in ds.time.to_index()],
    "vars": {k: [None if np.isnan(x) else x for x in ds[k].values.astype(float).ravel().tolist()] for k in ds.data_vars},
  }
print(json.dumps(got))
`;

type Decoded = Record<string, { time: string[]; vars: Record<string, (number | null)[]> }>;

const close = (a: (number | string | null)[], b: (number | null)[]) => {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    const y = b[i]!;
    if (y === null) expect(x === null || (typeof x === 'number' && Number.isNaN(x)), `value ${i}: ${x}`).toBe(true);
    else expect(Math.abs((x as number) - y), `value ${i}: ${x} vs ${y}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(y)));
  });
};

describeWith('xarray', "CF decoding agrees with Debian's xarray", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-cf-'));
  let xr: Decoded;
  beforeAll(() => {
    xr = python(WRITE_AND_DECODE, dir) as Decoded;
  });

  it.each(CALENDARS)('decodes the %s calendar as xarray does, in the description, slices and the tree', async (cal) => {
    for (const writer of ['nc4', 'xr']) {
      const file = path.join(dir, `${writer}-${cal}.nc`);
      const want = xr[file]!;
      const info = await describeDataset(file, { decode: true });
      const time = info.dims.find((d) => d.name === 'time')!;
      expect(time.values, `${writer} ${cal}`).toEqual(want.time);
      expect(time.time?.calendar).toBe(CANONICAL[cal] ?? cal);
      // Stored as numbers: runs and merges still read them so.
      const raw = await describeDataset(file);
      expect(typeof raw.dims.find((d) => d.name === 'time')!.values![0]).toBe('number');
      for (const [name, values] of Object.entries(want.vars)) {
        const slice = await readSlice(file, name, {}, true);
        close(slice.values, values);
        expect(slice.coords['time']).toEqual(want.time);
      }
      // The data tree: the table's row labels are dates, its cells decoded; a Line slice likewise.
      const node = { root: 'file' as const, file, path: '/' + Object.keys(want.vars)[0]! };
      const preview = await h5Preview(file, { node, rowAxis: 0, colAxis: want.vars['temp'] ? 1 : null });
      if (preview.kind !== 'array') throw new Error('not an array');
      expect(preview.rowCoords).toEqual(want.time);
      close(preview.values.flat(), Object.values(want.vars)[0]!);
      const line = await h5Slice(file, { node, axes: [0], index: [0, 0] });
      expect(line.coords[0]).toEqual(want.time);
      // Dates plotly's date axis cannot place go on the calendar's own axis in the Data tab too.
      const gregorian = ['standard', 'gregorian', 'proleptic_gregorian'].includes(cal);
      expect(line.calendars, `${writer} ${cal}`).toEqual([gregorian ? null : (CANONICAL[cal] ?? cal)]);
    }
  });

  it('masks, scales and labels a variable in a heatmap slice and a plot, dates along the axis', async () => {
    const file = path.join(dir, 'nc4-noleap.nc');
    const want = xr[file]!;
    const heat = await h5Slice(file, { node: { root: 'file', file, path: '/temp' }, axes: [0, 1], index: [] });
    expect(heat.label).toBe('air temperature [K]');
    expect(heat.coords[1]).toEqual({ f64: Float64Array.of(10, 20, 30) });
    close(Array.from((heat.values as { f64: Float64Array }).f64), want.vars['temp']!);
    // Rows and columns swapped: the values follow.
    const swapped = await h5Slice(file, { node: { root: 'file', file, path: '/temp' }, axes: [1, 0], index: [] });
    expect((swapped.values as { f64: Float64Array }).f64[1]).toBeCloseTo(want.vars['temp']![3]!, 4);

    const plot = await plotData(file, checkSpec({ variable: 'temp', kind: 'line', x: 'time', isel: { station: 0 } }));
    const trace = plot.panels[0]!.traces[0]!;
    expect(trace.x).toEqual(want.time);
    close(
      Array.from((trace.y as { f64: Float64Array }).f64),
      want.vars['temp']!.filter((_, i) => i % 3 === 0),
    );
    // sel by a date: the engine finds it, and so does Copy as Python's xarray, on the same file.
    const bySel = await plotData(
      file,
      checkSpec({ variable: 'temp', kind: 'line', x: 'station', sel: { time: want.time[6]! } }),
    );
    const snippet = pythonSnippet(bySel)
      .split('\n')
      .filter((l) => !l.startsWith('da.plot'))
      .join('\n');
    const fromPython = python(
      `${snippet}\nimport json\nprint(json.dumps([None if v != v else v for v in da.values.astype(float).tolist()]))`,
    );
    close(Array.from((bySel.panels[0]!.traces[0]!.y as { f64: Float64Array }).f64), fromPython as (number | null)[]);
    close(fromPython as (number | null)[], want.vars['temp']!.slice(18, 21));
    const at = await plotData(
      file,
      checkSpec({ variable: 'temp', kind: 'line', x: 'station', sel: { time: want.time[1]! } }),
    );
    close(Array.from((at.panels[0]!.traces[0]!.y as { f64: Float64Array }).f64), want.vars['temp']!.slice(3, 6));
  });

  it('shows dates and decoding in `furrow inspect`, and the library keeps stored dtypes', async () => {
    const file = path.join(dir, 'nc4-360_day.nc');
    const want = xr[file]!;
    const text = await furrow(['inspect', file]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`time: 8 [${want.time.join(', ')}]  (days since 2000-01-29, 360_day calendar)`);
    expect(text.stdout).toContain('temp(time, station) int16 [8×3]  (missing where -32767; × 0.01 + 273.15)');
    const json = JSON.parse((await furrow(['inspect', file, '--json'])).stdout) as {
      dims: { name: string; values: string[] }[];
    };
    expect(json.dims.find((d) => d.name === 'time')!.values).toEqual(want.time);

    const ds = await Dataset.open(file);
    expect(ds.coords['time']).toEqual(want.time);
    expect(ds.variables['station']).toBeUndefined(); // a coordinate, not a variable
    expect(ds.variables['count']!.dtype).toBe('float64'); // masked: float64, as xarray makes it
    close(Array.from(ds.variables['count']!.data as Float64Array), want.vars['count']!);
    const xrFile = await Dataset.open(path.join(dir, 'xr-all_leap.nc'));
    expect(xrFile.variables['x']!.dtype).toBe('int32');
    expect(xrFile.variables['x']!.data).toEqual(Int32Array.of(0, 1, 2, 3, 4));
    expect(xrFile.variables['f']!.data).toBeInstanceOf(Float32Array);
    expect(xrFile.sel({ time: xr[path.join(dir, 'xr-all_leap.nc')]!.time[2]! }).variables['x']!.data).toEqual(
      Int32Array.of(2),
    );
    expect(String(xrFile)).toMatch(/x +\(time\) int32 0 1 2 3 4/);
  });

  it.each(['noleap', 'all_leap', '360_day', 'standard'])(
    "places %s dates on a plot's axis where xarray's cftime puts them, with ticks at that calendar's dates",
    async (cal) => {
      const file = path.join(dir, `xr-${cal}.nc`);
      const want = xr[file]!;
      const plot = await plotData(file, checkSpec({ variable: 'f', kind: 'line', x: 'time' }));
      if (cal === 'standard') {
        // plotly's date axis places Gregorian dates itself.
        expect(plot.calendars).toBeUndefined();
        expect(plot.panels[0]!.traces[0]!.x).toEqual(want.time);
        return;
      }
      expect(plot.calendars).toEqual({ x: cal });
      const { plot: drawn, ticks } = onCalendarAxes(plot);
      const xs = Array.from((drawn.panels[0]!.traces[0]!.x as { f64: Float64Array }).f64);
      const axis = { tickvals: ticks.x!.values, ticktext: ticks.x!.labels };
      // cftime's days since 0001-01-01 in the same calendar: the decoded dates, and the dates each tick names.
      const fromPython = python(
        `import sys, json, cftime
cal = sys.argv[1]
def days(text):
  p = text.replace("T", " ").split(" ")
  ymd = [int(v) for v in p[0].split("-")] + [1] * (3 - len(p[0].split("-")))
  hm = [int(v) for v in p[1].split(":")[:2]] if len(p) > 1 else [0, 0]
  return float(cftime.date2num(cftime.datetime(*ymd, *hm, calendar=cal), "days since 0001-01-01", calendar=cal))
print(json.dumps({"dates": [days(t) for t in json.loads(sys.argv[2])], "ticks": [days(t) for t in json.loads(sys.argv[3])]}))`,
        cal,
        JSON.stringify(want.time),
        JSON.stringify(axis.ticktext),
      ) as { dates: number[]; ticks: number[] };
      xs.forEach((x, i) => expect(x, `${want.time[i]}`).toBeCloseTo(fromPython.dates[i]!, 6));
      expect(axis.ticktext.length).toBeGreaterThanOrEqual(3);
      axis.tickvals.forEach((v, i) => expect(v, axis.ticktext[i]).toBeCloseTo(fromPython.ticks[i]!, 6));
    },
  );
});
