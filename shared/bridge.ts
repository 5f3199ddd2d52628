// The IPC channels of the Electron preload bridge. Kept apart from api.ts (and its zod schemas) so the
// sandboxed preload bundle stays a few lines long.
export const BRIDGE_CHANNELS = {
  request: 'furrow:request',
  event: 'furrow:event',
  ui: 'furrow:ui',
  openFolder: 'furrow:open-folder',
  recent: 'furrow:recent',
  chooseFolder: 'furrow:choose-folder',
} as const;

/** The pages of the window, as the View menu names them. */
export const PAGE_NAMES = ['Start', 'Study', 'Adapt', 'Cases', 'Crops', 'Data', 'Plots', 'What matters'] as const;

/**
 * What Electron's menus and dialogs ask of the window (the browser has no menus: it never receives these). The
 * menu's accelerators take their keys before the page sees them, so the page is told what to do instead.
 */
export type UiCommand =
  | { type: 'open-data-file'; file: string }
  | { type: 'show-tab'; tab: (typeof PAGE_NAMES)[number] }
  | { type: 'save' }
  | { type: 'run' }
  | { type: 'cancel-run' }
  | { type: 'show-shortcuts' }
  | { type: 'check-setup' };

/** What only the desktop app has, beside the engine bridge: menu commands, and the path of a dropped file. */
export interface DesktopBridge {
  onUi(listener: (command: UiCommand) => void): () => void;
  /** The path on disk of a file or folder dropped on the window (a DOM File: shared/ knows no DOM types). */
  pathOf(file: object): string;
  /** Show a folder of the open study (a failed case's) in the file manager; resolves with why not, or null. */
  openFolder(dir: string): Promise<string | null>;
  /** The study folders of File → Open Recent, the last opened first. */
  recentStudies(): Promise<string[]>;
  /** A folder picked in the system's dialog (a new one may be made there), or null when it was cancelled. */
  chooseFolder(title: string): Promise<string | null>;
}
