// Electron main's thin glue, with the `electron` module replaced (no Electron binary can run here): each window
// is locked down and served from app://, each study has its own engine host in a utility process, requests are
// relayed only from our own page, and a study opened twice brings its window to the front.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_LINKS } from '../../shared/links';

type Listener = (...args: unknown[]) => unknown;

const electron = vi.hoisted(() => {
  interface FakeWindow {
    options: Record<string, unknown>;
    listeners: Record<string, Listener>;
    contentsListeners: Record<string, Listener>;
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null;
    loadedUrl: string;
    focus: ReturnType<typeof vi.fn<() => void>>;
    webContents: { send: ReturnType<typeof vi.fn<(channel: string, value: unknown) => void>> };
  }
  const state = {
    /** Set before main starts (its first window reads the saved state from here). */
    userData: '',
    windows: [] as FakeWindow[],
    focused: null as unknown,
    headersHook: null as null | ((details: object, cb: (r: object) => void) => void),
    permissionHook: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    protocolHandler: null as null | ((request: Request) => Promise<Response>),
    privileged: [] as unknown[],
    ipcHandlers: {} as Record<string, Listener>,
    menu: [] as { label?: string; submenu?: { label?: string; click?: () => unknown }[] }[],
    openDialogResult: { canceled: true, filePaths: [] as string[] },
    forked: [] as {
      entry: string;
      sent: { id: number; method: string; params: unknown }[];
      emit: (e: string, ...a: unknown[]) => void;
      kill: ReturnType<typeof vi.fn>;
    }[],
  };
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (resolveReady = r));
  class BrowserWindow {
    fake: FakeWindow;
    webContents: FakeWindow['webContents'] & {
      on: (e: string, l: Listener) => void;
      setWindowOpenHandler: (h: FakeWindow['windowOpenHandler']) => void;
    };
    constructor(options: Record<string, unknown>) {
      const fake: FakeWindow = {
        options,
        listeners: {},
        contentsListeners: {},
        windowOpenHandler: null,
        loadedUrl: '',
        focus: vi.fn<() => void>(),
        webContents: { send: vi.fn<(channel: string, value: unknown) => void>() },
      };
      this.fake = fake;
      this.webContents = Object.assign(fake.webContents, {
        on: (e: string, l: Listener) => void (fake.contentsListeners[e] = l),
        setWindowOpenHandler: (h: FakeWindow['windowOpenHandler']) => void (fake.windowOpenHandler = h),
      });
      state.windows.push(fake);
    }
    static getFocusedWindow() {
      return state.focused;
    }
    once() {}
    on(e: string, l: Listener) {
      this.fake.listeners[e] = l;
    }
    show() {}
    focus() {
      this.fake.focus();
    }
    isMinimized() {
      return false;
    }
    restore() {}
    maximize() {}
    setTitle() {}
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 900, height: 700 };
    }
    isDestroyed() {
      return false;
    }
    loadURL(url: string) {
      this.fake.loadedUrl = url;
      return Promise.resolve();
    }
  }
  const module = {
    app: {
      whenReady: () => ready,
      on: vi.fn(),
      isReady: () => true,
      quit: vi.fn(),
      getPath: () => state.userData,
      addRecentDocument: vi.fn(),
      getVersion: () => '0.1.0',
    },
    BrowserWindow,
    dialog: {
      showErrorBox: vi.fn(),
      showOpenDialog: vi.fn(async () => state.openDialogResult),
      showMessageBox: vi.fn(),
    },
    ipcMain: { handle: (channel: string, h: Listener) => (state.ipcHandlers[channel] = h) },
    Menu: {
      setApplicationMenu: vi.fn(),
      buildFromTemplate: (template: typeof state.menu) => (state.menu = template),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => state.privileged.push(...schemes),
      handle: (_scheme: string, h: typeof state.protocolHandler) => (state.protocolHandler = h),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (h: typeof state.headersHook) => (state.headersHook = h) },
        setPermissionRequestHandler: (h: typeof state.permissionHook) => (state.permissionHook = h),
      },
    },
    shell: { openExternal: vi.fn(), openPath: vi.fn(async () => '') },
    MessageChannelMain: class {
      port1 = {};
      port2 = {};
    },
    utilityProcess: {
      fork: (entry: string) => {
        const listeners: Record<string, Listener[]> = {};
        const child = {
          entry,
          sent: [] as { id: number; method: string; params: unknown }[],
          pid: 42,
          stderr: null,
          on: (e: string, l: Listener) => (listeners[e] ??= []).push(l),
          postMessage: (m: { id: number; method: string; params: unknown }) => child.sent.push(m),
          kill: vi.fn(),
          emit: (e: string, ...a: unknown[]) => listeners[e]?.forEach((l) => l(...a)),
        };
        state.forked.push(child);
        return child;
      },
    },
  };
  return { state, module, resolveReady };
});

vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

const { state } = electron;
const frame = () => ({ url: 'app://furrow/index.html' });
const request = (window: number, method: string, params: unknown, senderFrame: object = frame()) =>
  state.ipcHandlers['furrow:request']!(
    { sender: state.windows[window]!.webContents, senderFrame },
    method,
    params,
  ) as Promise<unknown>;
const studyDir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `furrow-${name}-`));
const opened = (host: number, dir: string) =>
  state.forked[host]!.emit('message', {
    kind: 'event',
    event: { type: 'study.opened', study: { dir, name: path.basename(dir) } },
  });
const menuItem = (menu: string, item: string) =>
  state.menu.find((m) => m.label === menu)!.submenu!.find((i) => i.label === item)!;

describe('Electron main', () => {
  beforeAll(async () => {
    state.userData = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-userdata-'));
    // A window closed last time at this place reopens there.
    fs.writeFileSync(
      path.join(state.userData, 'window-state.json'),
      JSON.stringify({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: false }),
    );
    await import('../../electron/main');
    electron.resolveReady();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
  });

  it('opens one window with context isolation and the sandbox, without Node, where it was last time', () => {
    const { options, loadedUrl } = state.windows[0]!;
    const prefs = options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs['preload'])).toMatch(/preload\.cjs$/);
    expect(options).toMatchObject({ x: 100, y: 50, width: 1000, height: 700 });
    expect(loadedUrl).toBe('app://furrow/index.html');
  });

  it("serves the page from app://furrow/ only: nothing outside the renderer's folder, no other host", async () => {
    expect(state.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    for (const url of [
      'app://furrow/../../../../etc/passwd',
      'app://furrow/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      'app://elsewhere/index.html',
      'app://furrow/no-such-file.js',
    ]) {
      const response = await state.protocolHandler!(new Request(url));
      expect(response.status, url).toBe(404);
    }
  });

  it('denies navigation, new windows and webviews; opens in the browser only the links the app shows', () => {
    const w = state.windows[0]!;
    const event = { preventDefault: vi.fn() };
    w.contentsListeners['will-navigate']!(event, 'https://example.org');
    w.contentsListeners['will-attach-webview']!(event);
    expect(event.preventDefault).toHaveBeenCalledTimes(2);
    const openExternal = electron.module.shell.openExternal;
    expect(w.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(w.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(w.windowOpenHandler!({ url: APP_LINKS.xarray })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith(APP_LINKS.xarray);
  });

  it('sets a strict Content-Security-Policy and refuses permission requests', () => {
    let headers: Record<string, string[]> = {};
    state.headersHook!(
      { responseHeaders: {} },
      (r) => (headers = (r as { responseHeaders: typeof headers }).responseHeaders),
    );
    const csp = headers['Content-Security-Policy']![0]!;
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval/);
    let granted = true;
    state.permissionHook!(null, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it("relays its page's requests to its own engine host, in a utility process", async () => {
    expect(state.forked).toHaveLength(1);
    const host = state.forked[0]!;
    expect(path.basename(host.entry)).toBe('host.mjs');
    const reply = request(0, 'study.current', {});
    expect(host.sent).toEqual([{ id: 1, method: 'study.current', params: {} }]);
    host.emit('message', { kind: 'result', id: 1, result: null });
    expect(await reply).toEqual({ kind: 'result', id: 1, result: null });
  });

  it('refuses requests from any other frame or page', async () => {
    for (const senderFrame of [{ url: 'https://evil.example' }, { url: 'file:///tmp/index.html' }, {}]) {
      expect(await request(0, 'study.current', {}, senderFrame)).toMatchObject({
        kind: 'error',
        error: { code: 'bad-input', message: /unknown frame/ },
      });
    }
    const stranger = { sender: { send: vi.fn() }, senderFrame: frame() };
    expect(await state.ipcHandlers['furrow:request']!(stranger, 'study.current', {})).toMatchObject({
      kind: 'error',
    });
  });

  it('passes engine events on to the window, and remembers the study in File → Open Recent', () => {
    const dir = studyDir('demo');
    opened(0, dir);
    expect(state.windows[0]!.webContents.send).toHaveBeenCalledWith(
      'furrow:event',
      expect.objectContaining({ type: 'study.opened' }),
    );
    expect(JSON.parse(fs.readFileSync(path.join(state.userData, 'recent.json'), 'utf8'))).toEqual([dir]);
    const recent = menuItem('File', 'Open Recent') as unknown as { submenu: { label: string }[] };
    expect(recent.submenu.map((i) => i.label)).toEqual([dir]);
  });

  it('opens another study in a window of its own, and a study already open brings its window to the front', async () => {
    const demo = (JSON.parse(fs.readFileSync(path.join(state.userData, 'recent.json'), 'utf8')) as string[])[0]!;
    const other = studyDir('other');
    state.openDialogResult = { canceled: false, filePaths: [other] };
    await menuItem('File', 'Open Study…').click!();
    expect(state.windows).toHaveLength(2);
    expect(state.forked).toHaveLength(2);
    expect(state.forked[1]!.sent.at(-1)).toMatchObject({ method: 'study.open', params: { dir: other } });
    opened(1, other);

    // The second window asks for the first one's study: the first comes to the front, nothing opens twice.
    const reply = await request(1, 'study.open', { dir: demo });
    expect(reply).toMatchObject({ kind: 'error', error: { code: 'busy', message: /open in another window/ } });
    expect(state.windows[0]!.focus).toHaveBeenCalledTimes(1);
    state.openDialogResult = { canceled: false, filePaths: [demo] };
    await menuItem('File', 'Open Study…').click!();
    expect(state.windows).toHaveLength(2);
    expect(state.windows[0]!.focus).toHaveBeenCalledTimes(2);
  });

  it("sends the menus' commands to the window: save, run, cancel, a page, the shortcuts (each with its keys)", () => {
    const item = (menu: string, label: string) =>
      menuItem(menu, label) as unknown as { accelerator?: string; click: () => unknown };
    const send = state.windows[0]!.webContents.send;
    const sent = (command: object) => expect(send).toHaveBeenLastCalledWith('furrow:ui', command);
    expect(item('File', 'Save Study').accelerator).toBe('CmdOrCtrl+S');
    item('File', 'Save Study').click();
    sent({ type: 'save' });
    expect(item('Run', 'Run Study').accelerator).toBe('CmdOrCtrl+Enter');
    item('Run', 'Run Study').click();
    sent({ type: 'run' });
    item('Run', 'Cancel Run').click();
    sent({ type: 'cancel-run' });
    expect(item('Help', 'Keyboard Shortcuts').accelerator).toBe('CmdOrCtrl+/');
    item('Help', 'Keyboard Shortcuts').click();
    sent({ type: 'show-shortcuts' });
    item('Help', 'Check Setup…').click();
    sent({ type: 'check-setup' });
    item('View', 'Start Page').click();
    sent({ type: 'show-tab', tab: 'Start' });
    // The pages in their order after Start: Study, Adapt, Cases, Crops, Data, Plots, What matters.
    expect(item('View', 'Adapt').accelerator).toBe('CmdOrCtrl+2');
    expect(item('View', 'Plots').accelerator).toBe('CmdOrCtrl+6');
    item('View', 'Plots').click();
    sent({ type: 'show-tab', tab: 'Plots' });
  });

  it('starts a new study on the start page of a window of its own when this one holds a study', () => {
    const before = state.windows.length;
    menuItem('File', 'New Study…').click!();
    expect(state.windows).toHaveLength(before + 1); // the focused window holds a study: a new one opens
    expect(state.windows.at(-1)!.webContents.send).toHaveBeenCalledWith('furrow:ui', {
      type: 'show-tab',
      tab: 'Start',
    });
    state.windows.at(-1)!.listeners['closed']!();
  });

  it('lists the recent studies and picks a folder for its own page only', async () => {
    const recent = (senderFrame: object) =>
      state.ipcHandlers['furrow:recent']!({ sender: state.windows[0]!.webContents, senderFrame });
    expect(await recent(frame())).toEqual(
      JSON.parse(fs.readFileSync(path.join(state.userData, 'recent.json'), 'utf8')),
    );
    expect(await recent({ url: 'https://evil.example' })).toEqual([]);
    const choose = (senderFrame: object) =>
      state.ipcHandlers['furrow:choose-folder']!(
        { sender: state.windows[0]!.webContents, senderFrame },
        'New study: choose an empty folder',
      );
    state.openDialogResult = { canceled: false, filePaths: ['/tmp/chosen'] };
    expect(await choose(frame())).toBe('/tmp/chosen');
    expect(await choose({ url: 'https://evil.example' })).toBeNull();
    state.openDialogResult = { canceled: true, filePaths: [] };
    expect(await choose(frame())).toBeNull();
  });

  it("shows a folder of the window's own study in the file manager, and nothing outside it", async () => {
    const demo = (JSON.parse(fs.readFileSync(path.join(state.userData, 'recent.json'), 'utf8')) as string[]).at(-1)!;
    const caseDir = path.join(demo, 'cases', 'c1');
    fs.mkdirSync(caseDir, { recursive: true });
    const ask = (window: number, dir: unknown, senderFrame: object = frame()) =>
      state.ipcHandlers['furrow:open-folder']!({ sender: state.windows[window]!.webContents, senderFrame }, dir);
    const openPath = electron.module.shell.openPath;
    expect(await ask(0, caseDir)).toBeNull();
    expect(openPath).toHaveBeenCalledWith(caseDir);
    for (const dir of ['/etc', path.join(demo, '..'), `${demo}/../../etc`, 42]) {
      expect(await ask(0, dir)).toMatch(/refused/);
    }
    expect(await ask(1, caseDir)).toMatch(/not inside the open study/); // the other window holds another study
    expect(await ask(0, caseDir, { url: 'https://evil.example' })).toMatch(/refused/);
    expect(openPath).toHaveBeenCalledTimes(1);
  });

  it('remembers where a window was when it closes, and stops its engine host when it is gone', () => {
    state.windows[1]!.listeners['close']!();
    expect(JSON.parse(fs.readFileSync(path.join(state.userData, 'window-state.json'), 'utf8'))).toEqual({
      bounds: { x: 10, y: 20, width: 900, height: 700 },
      maximized: false,
    });
    state.windows[1]!.listeners['closed']!();
    expect(state.forked[1]!.kill).toHaveBeenCalled();
  });
});

describe('Electron main when an engine host crashes', () => {
  it('tells the window, starts a new host and opens the same study in it', async () => {
    const first = state.forked[0]!;
    const dir = (JSON.parse(fs.readFileSync(path.join(state.userData, 'recent.json'), 'utf8')) as string[]).at(-1)!;
    const pending = request(0, 'study.current', {});
    first.emit('exit', 1);

    // The request in flight gets an answer instead of hanging.
    expect(await pending).toMatchObject({ kind: 'error', error: { message: /engine host stopped \(exit code 1\)/ } });
    expect(state.windows[0]!.webContents.send).toHaveBeenCalledWith(
      'furrow:event',
      expect.objectContaining({ type: 'engine.stopped', message: expect.stringMatching(/restarted/) }),
    );
    const restarted = state.forked.at(-1)!;
    expect(restarted).not.toBe(first);
    expect(restarted.sent).toEqual([{ id: 1, method: 'study.open', params: { dir } }]);
  });

  it('gives up after repeated crashes instead of restarting forever', () => {
    const before = state.forked.length;
    for (let i = 1; i <= 4; i++) state.forked.at(-1)!.emit('exit', 1);
    expect(state.forked.length - before).toBe(2); // three restarts within the minute in all
    expect(state.windows[0]!.webContents.send).toHaveBeenLastCalledWith(
      'furrow:event',
      expect.objectContaining({ message: expect.stringMatching(/not restarted/) }),
    );
  });
});
