// Where the window was, remembered between sessions (userData/window-state.json), and put back only where a
// screen still is: a window saved on a monitor since unplugged opens on the primary one instead.
import fs from 'node:fs';
import path from 'node:path';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 860 };
const MIN = { width: 640, height: 480 };

export function readWindowState(dir: string): WindowState | null {
  try {
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'window-state.json'), 'utf8')) as WindowState;
    const b = s.bounds;
    return [b.x, b.y, b.width, b.height].every(Number.isFinite) ? { bounds: b, maximized: Boolean(s.maximized) } : null;
  } catch {
    return null; // none yet, or unreadable: the default size
  }
}

export function writeWindowState(dir: string, state: WindowState): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'window-state.json'), JSON.stringify(state));
  } catch {
    // not worth bothering anyone about
  }
}

/** The saved bounds if most of the window's title bar is on one of the screens' work areas, else null. */
export function visibleBounds(saved: Bounds | undefined, workAreas: Bounds[]): Bounds | null {
  if (!saved) return null;
  const bounds = {
    ...saved,
    width: Math.max(MIN.width, saved.width),
    height: Math.max(MIN.height, saved.height),
  };
  const titleBar = { x: bounds.x, y: bounds.y, width: bounds.width, height: 30 };
  const onScreen = workAreas.some((a) => {
    const w = Math.min(titleBar.x + titleBar.width, a.x + a.width) - Math.max(titleBar.x, a.x);
    const h = Math.min(titleBar.y + titleBar.height, a.y + a.height) - Math.max(titleBar.y, a.y);
    return w >= Math.min(200, titleBar.width / 2) && h > 0;
  });
  return onScreen ? bounds : null;
}
