// Electron main: one locked-down window, the engine host in a utility process, and the relay between them.
// Nothing synchronous or slow happens here: files, runs and HDF5 live in the engine host.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, session, shell } from 'electron';
import type { WebContents } from 'electron';
import type { EngineEvent, RequestReply } from '../shared/api';
import { BRIDGE_CHANNELS } from '../shared/bridge';
import { CONTENT_SECURITY_POLICY } from '../shared/security';
import { HostClient } from './host/host-client';
import { attachSpawnBroker } from './host/spawn-broker';
import { utilitySpawner } from './host/utility-spawner';

// Set by Electron Forge's Vite plugin during `electron-forge start`; undefined in a packaged or built app.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;

// The built layout (ours and Forge's): build/{main.cjs,preload.cjs,host.mjs} beside renderer/main_window/.
const rendererIndex = path.join(__dirname, '..', 'renderer', 'main_window', 'index.html');
const rendererUrl = devServerUrl ?? pathToFileURL(rendererIndex).href;

function studyFromArgs(argv: string[]): string | undefined {
  const at = argv.indexOf('--study');
  return at >= 0 ? argv[at + 1] : process.env['FURROW_STUDY'];
}

let window: BrowserWindow | null = null;
let host: HostClient | null = null;
/** The study the host has open, to open again in a restarted host. */
let openStudyDir: string | null = null;
const recentCrashes: number[] = [];
let quitting = false;
const MAX_CRASHES_PER_MINUTE = 3;

function sendEvent(event: EngineEvent): void {
  if (event.type === 'study.opened') openStudyDir = event.study.dir;
  if (window && !window.isDestroyed()) window.webContents.send(BRIDGE_CHANNELS.event, event);
}

function startHost(): HostClient {
  const handle = utilitySpawner(path.join(__dirname, 'host.mjs'));
  handle.onStderr((text) => process.stderr.write(text));
  attachSpawnBroker(handle, utilitySpawner, () => new MessageChannelMain());
  const client = new HostClient(handle, sendEvent);
  handle.onExit((code) => {
    if (quitting) return;
    // The study's files are safe on disk: start a new host and open the study again, unless it keeps crashing.
    const now = Date.now();
    recentCrashes.push(now);
    while (recentCrashes[0]! < now - 60_000) recentCrashes.shift();
    const again = recentCrashes.length <= MAX_CRASHES_PER_MINUTE;
    const message = `The engine stopped (exit code ${code}). ${again ? 'It was restarted; a run that was going did not finish.' : 'It crashed repeatedly and was not restarted; restart Furrow.'}`;
    console.error(`furrow: ${message}`);
    sendEvent({ type: 'engine.stopped', message });
    if (!again) return;
    host = startHost();
    if (openStudyDir) void openStudy(openStudyDir);
  });
  return client;
}

function fromOurWindow(sender: WebContents, frameUrl: string | undefined): boolean {
  return window !== null && sender === window.webContents && (frameUrl ?? '').startsWith(devServerUrl ?? 'file://');
}

async function openStudy(dir: string): Promise<void> {
  const reply = await host!.invoke('study.open', { dir });
  if (reply.kind === 'error') dialog.showErrorBox('Furrow could not open the study', reply.error.message);
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Furrow',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window?.show());
  const contents = window.webContents;
  // The window shows Furrow and nothing else: no navigation away, no new windows (links open in the browser).
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadURL(rendererUrl);
}

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          {
            label: 'Open Study…',
            accelerator: 'CmdOrCtrl+O',
            click: async () => {
              const picked = await dialog.showOpenDialog({
                properties: ['openDirectory'],
                title: 'Open a study folder',
              });
              if (!picked.canceled && picked.filePaths[0]) await openStudy(picked.filePaths[0]);
            },
          },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

app.on('web-contents-created', (_, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_, __, callback) => callback(false));
  host = startHost();
  ipcMain.handle(BRIDGE_CHANNELS.request, async (event, method: unknown, params: unknown): Promise<RequestReply> => {
    if (!fromOurWindow(event.sender, event.senderFrame?.url)) {
      return { kind: 'error', error: { code: 'bad-input', message: 'request from an unknown frame refused' } };
    }
    if (typeof method !== 'string')
      return { kind: 'error', error: { code: 'bad-input', message: 'method must be a string' } };
    // The host validates params against the contract; main only relays.
    return host!.invoke(method, params);
  });
  buildMenu();
  createWindow();
  const study = studyFromArgs(process.argv);
  if (study) await openStudy(path.resolve(study));
});

app.on('before-quit', () => (quitting = true));
app.on('window-all-closed', () => app.quit());
