// The IPC channels of the Electron preload bridge. Kept apart from api.ts (and its zod schemas) so the
// sandboxed preload bundle stays a few lines long.
export const BRIDGE_CHANNELS = {
  request: 'furrow:request',
  event: 'furrow:event',
  ui: 'furrow:ui',
  openFolder: 'furrow:open-folder',
} as const;

/** What Electron's menus and dialogs ask of the window (the browser has no menus: it never receives these). */
export type UiCommand =
  { type: 'open-data-file'; file: string } | { type: 'show-tab'; tab: 'Study' | 'Cases' | 'Crops' | 'Data' | 'Plots' };

/** What only the desktop app has, beside the engine bridge: menu commands, and the path of a dropped file. */
export interface DesktopBridge {
  onUi(listener: (command: UiCommand) => void): () => void;
  /** The path on disk of a file or folder dropped on the window (a DOM File: shared/ knows no DOM types). */
  pathOf(file: object): string;
  /** Show a folder of the open study (a failed case's) in the file manager; resolves with why not, or null. */
  openFolder(dir: string): Promise<string | null>;
}
