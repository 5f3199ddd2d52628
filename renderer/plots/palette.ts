// The colours of a plot's lines: told apart by people with any common colour-vision deficiency, and never one
// colour for two lines. Up to 10 hue values: seaborn's "colorblind" palette. More, as text: 20 colours of
// Kelly's maximum-contrast set, then as many evenly spaced hues (at two lightnesses) as there are values. More, as numbers: viridis,
// a sequential scale (perceptually even, colour-blind safe), with a colour bar in place of the legend.

/** seaborn's "colorblind" palette (Okabe and Ito's idea, 10 colours). */
export const COLOURBLIND = [
  '#0173b2',
  '#de8f05',
  '#029e73',
  '#d55e00',
  '#cc78bc',
  '#ca9161',
  '#fbafe4',
  '#949494',
  '#ece133',
  '#56b4e9',
];

/** Kelly's 22 colours of maximum contrast without white and black: for 11 to 20 text values. */
export const LONG_PALETTE = [
  '#f3c300',
  '#875692',
  '#f38400',
  '#a1caf1',
  '#be0032',
  '#c2b280',
  '#848482',
  '#008856',
  '#e68fac',
  '#0067a5',
  '#f99379',
  '#604e97',
  '#f6a600',
  '#b3446c',
  '#dcd300',
  '#882d17',
  '#8db600',
  '#654522',
  '#e25822',
  '#2b3d26',
];

/** plotly's Viridis, so a colour bar drawn by plotly and the lines coloured here agree. */
export const VIRIDIS: [number, string][] = [
  [0, '#440154'],
  [0.0627, '#48186a'],
  [0.1255, '#472d7b'],
  [0.1882, '#424086'],
  [0.251, '#3b528b'],
  [0.3137, '#33638d'],
  [0.3765, '#2c728e'],
  [0.4392, '#26828e'],
  [0.502, '#21918c'],
  [0.5647, '#1fa088'],
  [0.6275, '#28ae80'],
  [0.6902, '#3fbc73'],
  [0.7529, '#5ec962'],
  [0.8157, '#84d44b'],
  [0.8784, '#addc30'],
  [0.9412, '#d8e219'],
  [1, '#fde725'],
];

/** Hue values up to this many get a legend and a categorical colour each; more numbers get a colour scale. */
export const LEGEND_AT_MOST = 10;

const rgb = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255] as const;
};
const hex = (c: readonly number[]) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** The colour of `t` in [0, 1] on viridis. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const i = VIRIDIS.findIndex(([stop]) => stop >= x);
  if (i <= 0) return VIRIDIS[0]![1];
  const [s0, c0] = VIRIDIS[i - 1]!;
  const [s1, c1] = VIRIDIS[i]!;
  const f = (x - s0) / (s1 - s0);
  const a = rgb(c0);
  const b = rgb(c1);
  return hex(a.map((v, k) => v + (b[k]! - v) * f));
}

/** The i-th of n categorical colours: each of the n its own. */
export function categorical(i: number, n: number): string {
  if (n <= COLOURBLIND.length) return COLOURBLIND[i % COLOURBLIND.length]!;
  if (n <= LONG_PALETTE.length) return LONG_PALETTE[i % LONG_PALETTE.length]!;
  // Evenly spaced hues at two lightnesses, neighbours apart: every colour distinct.
  return hslHex((i * 360) / n, 0.7, i % 2 ? 0.35 : 0.55);
}

/** An HSL colour as hex (the canvas's line raster takes hex). */
function hslHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return hex([f(0), f(8), f(4)]);
}
