// Electron main: one locked-down window per study, each with its own engine host in a utility process, and the
// relay between them. Nothing synchronous or slow happens here: files, runs and HDF5 live in the engine hosts.
import fs from 'node:fs';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  protocol,
  screen,
  session,
  shell,
} from 'electron';
import type { MenuItemConstructorOptions, WebContents } from 'electron';
import type { EngineEvent, RequestReply } from '../shared/api';
import type { UiCommand } from '../shared/bridge';
import { BRIDGE_CHANNELS, PAGE_NAMES } from '../shared/bridge';
import { APP_LINKS, isAppLink } from '../shared/links';
import { CONTENT_SECURITY_POLICY } from '../shared/security';
import { HostClient } from './host/host-client';
import { attachSpawnBroker } from './host/spawn-broker';
import { utilitySpawner } from './host/utility-spawner';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, contentTypeOf, resolveAppUrl } from './shell/app-protocol';
import { exportArgs, exportOffscreen } from './shell/offscreen-export';
import type { ExportArgs } from './shell/offscreen-export';
import { addRecent, readRecent } from './shell/recent';
import { DEFAULT_SIZE, readWindowState, visibleBounds, writeWindowState } from './shell/window-state';

// Set by Electron Forge's Vite plugin during `electron-forge start`; undefined in a packaged or built app.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;

// The built layout (ours and Forge's): build/{main.cjs,preload.cjs,host.mjs} beside renderer/main_window/.
const rendererDir = path.join(__dirname, '..', 'renderer', 'main_window');
const rendererUrl = devServerUrl ?? APP_INDEX_URL;
const MAX_CRASHES_PER_MINUTE = 3;

// app:// is a standard, secure scheme: the renderer gets an origin of its own instead of file://'s.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function studyFromArgs(argv: string[]): string | undefined {
  const at = argv.indexOf('--study');
  return at >= 0 ? argv[at + 1] : process.env['FURROW_STUDY'];
}

let quitting = false;

/** A window, its engine host, and the study the host holds (one study per host, one host per window). */
class StudyWindow {
  static readonly all = new Set<StudyWindow>();
  readonly window: BrowserWindow;
  host: HostClient;
  studyDir: string | null = null;
  private readonly crashes: number[] = [];

  /** `offscreen`: a window never shown, whose page draws plots for an export (shell/offscreen-export.ts). */
  constructor(private readonly options: { offscreen?: boolean } = {}) {
    const saved = options.offscreen ? null : readWindowState(app.getPath('userData'));
    // The first window goes where the last one was (if a screen is still there); later ones cascade.
    const bounds =
      StudyWindow.all.size === 0
        ? visibleBounds(
            saved?.bounds,
            screen.getAllDisplays().map((d) => d.workArea),
          )
        : null;
    this.window = new BrowserWindow({
      ...(bounds ?? DEFAULT_SIZE),
      title: 'Furrow',
      show: false,
      webPreferences: {
        preload: path.join(__dirname, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
        ...(options.offscreen ? { offscreen: true } : {}),
      },
    });
    if (bounds && saved?.maximized) this.window.maximize();
    StudyWindow.all.add(this);
    if (!options.offscreen) {
      this.window.once('ready-to-show', () => this.window.show());
      this.window.on('close', () =>
        writeWindowState(app.getPath('userData'), {
          bounds: this.window.getNormalBounds(),
          maximized: this.window.isMaximized(),
        }),
      );
    }
    this.window.on('closed', () => {
      StudyWindow.all.delete(this);
      this.host.kill();
    });
    lockDown(this.window.webContents);
    this.host = this.startHost();
    void this.window.loadURL(rendererUrl);
  }

  static of(contents: WebContents): StudyWindow | undefined {
    return [...StudyWindow.all].find((w) => !w.window.isDestroyed() && w.window.webContents === contents);
  }

  private send(channel: string, value: unknown): void {
    if (!this.window.isDestroyed()) this.window.webContents.send(channel, value);
  }

  ui(command: UiCommand): void {
    this.send(BRIDGE_CHANNELS.ui, command);
  }

  private onEvent(event: EngineEvent): void {
    if (event.type === 'study.opened' && !this.options.offscreen) {
      this.studyDir = event.study.dir;
      this.window.setTitle(`${event.study.name} — Furrow`);
      addRecent(app.getPath('userData'), event.study.dir);
      app.addRecentDocument(event.study.dir);
      buildMenu();
    }
    this.send(BRIDGE_CHANNELS.event, event);
  }

  private startHost(): HostClient {
    const handle = utilitySpawner(path.join(__dirname, 'host.mjs'));
    handle.onStderr((text) => process.stderr.write(text));
    attachSpawnBroker(handle, utilitySpawner, () => new MessageChannelMain());
    const client = new HostClient(handle, (event) => this.onEvent(event));
    handle.onExit((code) => {
      if (quitting || this.window.isDestroyed()) return;
      // The study's files are safe on disk: start a new host and open the study again, unless it keeps crashing.
      const now = Date.now();
      this.crashes.push(now);
      while (this.crashes[0]! < now - 60_000) this.crashes.shift();
      const again = this.crashes.length <= MAX_CRASHES_PER_MINUTE;
      const message = `The engine stopped (exit code ${code}). ${again ? 'It was restarted; a run that was going did not finish.' : 'It crashed repeatedly and was not restarted; restart Furrow.'}`;
      console.error(`furrow: ${message}`);
      this.send(BRIDGE_CHANNELS.event, { type: 'engine.stopped', message } satisfies EngineEvent);
      if (!again) return;
      this.host = this.startHost();
      if (this.studyDir) void this.open(this.studyDir);
    });
    return client;
  }

  async open(dir: string): Promise<void> {
    const reply = await this.host.invoke('study.open', { dir });
    if (reply.kind === 'error') dialog.showErrorBox('Furrow could not open the study', reply.error.message);
  }
}

/** The window shows Furrow and nothing else: no navigation away, no new windows, no webviews. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Only the links the app itself shows open, in the browser; nothing else opens at all.
    if (isAppLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Open a study: the window that holds it comes to the front; else the focused window takes it if it has none. */
async function openStudy(dir: string): Promise<void> {
  const resolved = path.resolve(dir);
  const holder = [...StudyWindow.all].find((w) => w.studyDir === resolved);
  if (holder) {
    if (holder.window.isMinimized()) holder.window.restore();
    holder.window.focus();
    return;
  }
  const focused = BrowserWindow.getFocusedWindow();
  const empty =
    [...StudyWindow.all].find((w) => w.window === focused && w.studyDir === null) ??
    [...StudyWindow.all].find((w) => w.studyDir === null);
  await (empty ?? new StudyWindow()).open(resolved);
}

function focusedStudyWindow(): StudyWindow | undefined {
  const focused = BrowserWindow.getFocusedWindow();
  return [...StudyWindow.all].find((w) => w.window === focused) ?? [...StudyWindow.all][0];
}

async function pickStudy(): Promise<void> {
  const picked = await dialog.showOpenDialog({ properties: ['openDirectory'], title: 'Open a study folder' });
  if (!picked.canceled && picked.filePaths[0]) await openStudy(picked.filePaths[0]);
}

/**
 * A new study starts on the start page, where the example and the folder are chosen: in this window if it holds no
 * study yet, else in a window of its own (a window holds one study).
 */
function newStudy(): void {
  const focused = focusedStudyWindow();
  const target = focused?.studyDir === null ? focused : new StudyWindow();
  target.ui({ type: 'show-tab', tab: 'Start' });
}

async function openDataFile(): Promise<void> {
  const picked = await dialog.showOpenDialog({
    properties: ['openFile'],
    title: 'Open an HDF5 or NetCDF file',
    filters: [{ name: 'HDF5 / NetCDF', extensions: ['nc', 'nc4', 'h5', 'hdf5', 'he5'] }],
  });
  const file = picked.filePaths[0];
  if (picked.canceled || !file) return;
  (focusedStudyWindow() ?? new StudyWindow()).ui({ type: 'open-data-file', file });
}

function buildMenu(): void {
  const recent = readRecent(app.getPath('userData'));
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'New Study…', accelerator: 'CmdOrCtrl+N', click: () => newStudy() },
        { label: 'Open Study…', accelerator: 'CmdOrCtrl+O', click: () => void pickStudy() },
        { label: 'Open Data File…', accelerator: 'CmdOrCtrl+Shift+O', click: () => void openDataFile() },
        { label: 'Save Study', accelerator: 'CmdOrCtrl+S', click: () => focusedStudyWindow()?.ui({ type: 'save' }) },
        {
          label: 'Open Recent',
          submenu: recent.length
            ? recent.map((dir) => ({ label: dir, click: () => void openStudy(dir) }))
            : [{ label: 'No recent studies', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Close', accelerator: 'CmdOrCtrl+W', role: 'close' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Start Page', click: () => focusedStudyWindow()?.ui({ type: 'show-tab', tab: 'Start' }) },
        ...PAGE_NAMES.filter((tab) => tab !== 'Start').map((tab, i): MenuItemConstructorOptions => ({
          label: tab,
          accelerator: `CmdOrCtrl+${i + 1}`,
          click: () => focusedStudyWindow()?.ui({ type: 'show-tab', tab }),
        })),
        { type: 'separator' },
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Run',
      submenu: [
        // Runs what the Study page shows: with unsaved edits, the page saves them first.
        { label: 'Run Study', accelerator: 'CmdOrCtrl+Enter', click: () => focusedStudyWindow()?.ui({ type: 'run' }) },
        { label: 'Cancel Run', click: () => focusedStudyWindow()?.ui({ type: 'cancel-run' }) },
      ],
    },
    { role: 'windowMenu' },
    {
      label: 'Help',
      role: 'help',
      submenu: [
        {
          label: 'Keyboard Shortcuts',
          accelerator: 'CmdOrCtrl+/',
          click: () => focusedStudyWindow()?.ui({ type: 'show-shortcuts' }),
        },
        // What `furrow doctor` says, in the window: Node, the build, Chromium, the schedulers, the study's files.
        { label: 'Check Setup…', click: () => focusedStudyWindow()?.ui({ type: 'check-setup' }) },
        { label: 'Opening the dataset in xarray', click: () => void shell.openExternal(APP_LINKS.xarray) },
        { label: 'SLURM job options (sbatch)', click: () => void shell.openExternal(APP_LINKS.sbatch) },
        {
          label: 'About Furrow',
          click: () =>
            void dialog.showMessageBox({
              title: 'About Furrow',
              message: `Furrow ${app.getVersion()}`,
              detail: `Parameter studies into one labelled dataset.\nElectron ${process.versions.electron}, Node ${process.versions.node}, Chromium ${process.versions.chrome}`,
            }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** A request comes from one of our windows, from the page the app loaded, or it is refused. */
function senderWindow(sender: WebContents, frameUrl: string | undefined): StudyWindow | undefined {
  const origin = devServerUrl ?? `${APP_ORIGIN}/`;
  return (frameUrl ?? '').startsWith(origin) ? StudyWindow.of(sender) : undefined;
}

/** Serve the renderer's files under app://furrow/, with the Content-Security-Policy, and nothing else. */
function serveApp(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppUrl(request.url, rendererDir);
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await fs.promises.readFile(file);
      return new Response(body, {
        headers: { 'content-type': contentTypeOf(file), 'content-security-policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

/** `--export <study>`: the saved plots exported by an offscreen window, then the app quits. */
async function exportAndQuit(args: ExportArgs): Promise<void> {
  const window = new StudyWindow({ offscreen: true });
  const status = await exportOffscreen(
    {
      invoke: (method, params) => window.host.invoke(method, params),
      evaluate: (code) => window.window.webContents.executeJavaScript(code, true) as Promise<unknown>,
    },
    { ...args, study: path.resolve(args.study) },
    (line) => (line.startsWith('furrow: ') ? console.error(line) : console.log(line)),
  );
  app.exit(status);
}

void app.whenReady().then(async () => {
  serveApp();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_, __, callback) => callback(false));
  ipcMain.handle(BRIDGE_CHANNELS.request, async (event, method: unknown, params: unknown): Promise<RequestReply> => {
    const from = senderWindow(event.sender, event.senderFrame?.url);
    if (!from) return { kind: 'error', error: { code: 'bad-input', message: 'request from an unknown frame refused' } };
    if (typeof method !== 'string')
      return { kind: 'error', error: { code: 'bad-input', message: 'method must be a string' } };
    if (method === 'study.open' && isOpenParams(params)) {
      // A study another window holds: that window comes to the front, this one stays as it is.
      const holder = [...StudyWindow.all].find((w) => w !== from && w.studyDir === path.resolve(params.dir));
      if (holder) {
        holder.window.focus();
        return { kind: 'error', error: { code: 'busy', message: `${params.dir} is open in another window` } };
      }
    }
    // The host validates params against the contract; main only relays.
    return from.host.invoke(method, params);
  });
  // Show a folder in the file manager: only one inside the study the asking window holds (a case's folder).
  ipcMain.handle(BRIDGE_CHANNELS.openFolder, async (event, dir: unknown): Promise<string | null> => {
    const from = senderWindow(event.sender, event.senderFrame?.url);
    if (!from || typeof dir !== 'string') return 'refused: not a request of this window';
    const inside = from.studyDir ? path.relative(from.studyDir, path.resolve(dir)) : '..';
    if (inside.startsWith('..') || path.isAbsolute(inside)) return `refused: ${dir} is not inside the open study`;
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return `${dir} does not exist`;
    const error = await shell.openPath(dir);
    return error || null;
  });
  ipcMain.handle(BRIDGE_CHANNELS.recent, (event): string[] =>
    senderWindow(event.sender, event.senderFrame?.url) ? readRecent(app.getPath('userData')) : [],
  );
  ipcMain.handle(BRIDGE_CHANNELS.chooseFolder, async (event, title: unknown): Promise<string | null> => {
    const from = senderWindow(event.sender, event.senderFrame?.url);
    if (!from || typeof title !== 'string') return null;
    const picked = await dialog.showOpenDialog(from.window, {
      properties: ['openDirectory', 'createDirectory'],
      title: title.slice(0, 200),
    });
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });
  let exporting: ExportArgs | null;
  try {
    exporting = exportArgs(process.argv);
  } catch (error) {
    console.error(`furrow: ${(error as Error).message}`);
    return app.exit(2);
  }
  if (exporting) return exportAndQuit(exporting);
  buildMenu();
  const first = new StudyWindow();
  const study = studyFromArgs(process.argv);
  if (study) await first.open(path.resolve(study));
});

const isOpenParams = (p: unknown): p is { dir: string } =>
  typeof p === 'object' && p !== null && typeof (p as { dir?: unknown }).dir === 'string';

app.on('before-quit', () => (quitting = true));
app.on('window-all-closed', () => app.quit());
