// The plot on screen follows the window's colour scheme (the operating system's light or dark): the page's own
// background shows through, and text, axes and grid take colours that read on it. Exports are not themed: a
// figure in a paper is drawn on white.
import { useEffect, useState } from 'react';

const DARK = '(prefers-color-scheme: dark)';

const LIGHT_INK = { text: '#1b2125', muted: '#5a646b', grid: '#e6e9ec', line: '#9aa3aa' };
const DARK_INK = { text: '#e2e6e9', muted: '#a0abb3', grid: '#2f373d', line: '#5b656c' };

/** Whether the window is dark now, following changes of the operating system's setting. */
export function useDarkScheme(): boolean {
  const [dark, setDark] = useState(() => window.matchMedia(DARK).matches);
  useEffect(() => {
    const query = window.matchMedia(DARK);
    const onChange = () => setDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return dark;
}

/** A figure's layout in the window's colours (a new object; the axes' other settings kept). */
export function themedLayout(layout: Record<string, unknown>, dark: boolean): Record<string, unknown> {
  const ink = dark ? DARK_INK : LIGHT_INK;
  const out: Record<string, unknown> = {
    ...layout,
    paper_bgcolor: 'rgba(0, 0, 0, 0)',
    plot_bgcolor: 'rgba(0, 0, 0, 0)',
    font: { ...(layout['font'] as object | undefined), color: ink.text },
  };
  for (const [key, value] of Object.entries(layout)) {
    if (/^[xy]axis\d*$/.test(key) && typeof value === 'object' && value !== null) {
      out[key] = { ...value, gridcolor: ink.grid, linecolor: ink.line, zerolinecolor: ink.line, tickcolor: ink.line };
    }
  }
  const colouraxis = layout['coloraxis'] as { colorbar?: object } | undefined;
  if (colouraxis) out['coloraxis'] = { ...colouraxis, colorbar: { ...colouraxis.colorbar, outlinecolor: ink.line } };
  return out;
}
