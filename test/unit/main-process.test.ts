// Electron main's thin glue, with the `electron` module replaced (no Electron binary can run here):
// the window is locked down, the engine host runs in a utility process, and requests are relayed to it.
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const electron = vi.hoisted(() => {
  const state = {
    windowOptions: null as null | Record<string, unknown>,
    contentsListeners: {} as Record<string, Listener>,
    windowOpenHandler: null as null | ((d: { url: string }) => { action: string }),
    loadedUrl: '',
    headersHook: null as null | ((details: object, cb: (r: object) => void) => void),
    permissionHook: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    ipcHandlers: {} as Record<string, Listener>,
    forked: [] as {
      entry: string;
      options: Record<string, unknown>;
      sent: unknown[];
      emit: (e: string, ...a: unknown[]) => void;
    }[],
    webContents: null as unknown,
  };
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (resolveReady = r));
  class BrowserWindow {
    webContents = {
      on: (event: string, listener: Listener) => (state.contentsListeners[event] = listener),
      setWindowOpenHandler: (h: typeof state.windowOpenHandler) => (state.windowOpenHandler = h),
      send: vi.fn(),
    };
    constructor(options: Record<string, unknown>) {
      state.windowOptions = options;
      state.webContents = this.webContents;
    }
    once() {}
    show() {}
    isDestroyed() {
      return false;
    }
    loadURL(url: string) {
      state.loadedUrl = url;
      return Promise.resolve();
    }
  }
  const module = {
    app: { whenReady: () => ready, on: vi.fn(), isReady: () => true, quit: vi.fn() },
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn() },
    ipcMain: { handle: (channel: string, h: Listener) => (state.ipcHandlers[channel] = h) },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn() },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (h: typeof state.headersHook) => (state.headersHook = h) },
        setPermissionRequestHandler: (h: typeof state.permissionHook) => (state.permissionHook = h),
      },
    },
    shell: { openExternal: vi.fn() },
    MessageChannelMain: class {
      port1 = {};
      port2 = {};
    },
    utilityProcess: {
      fork: (entry: string, _args: string[], options: Record<string, unknown>) => {
        const listeners: Record<string, Listener[]> = {};
        const child = {
          entry,
          options,
          sent: [] as unknown[],
          pid: 42,
          stderr: null,
          on: (e: string, l: Listener) => (listeners[e] ??= []).push(l),
          postMessage: (m: unknown) => child.sent.push(m),
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

describe('Electron main', () => {
  const { state } = electron;
  beforeAll(async () => {
    await import('../../electron/main');
    electron.resolveReady();
    await vi.waitFor(() => expect(state.windowOptions).not.toBeNull());
  });

  it('opens one window with context isolation and the sandbox, without Node', () => {
    const prefs = state.windowOptions!['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs['preload'])).toMatch(/preload\.cjs$/);
    expect(state.loadedUrl).toMatch(/^file:\/\/.*renderer\/main_window\/index\.html$/);
  });

  it('denies navigation and new windows', () => {
    const event = { preventDefault: vi.fn() };
    state.contentsListeners['will-navigate']!(event, 'https://example.org');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(state.windowOpenHandler!({ url: 'https://example.org' })).toEqual({ action: 'deny' });
    expect(state.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
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

  it('runs the engine host in a utility process and relays requests to it', async () => {
    expect(state.forked).toHaveLength(1);
    const host = state.forked[0]!;
    expect(path.basename(host.entry)).toBe('host.mjs');
    const handler = state.ipcHandlers['furrow:request']!;
    const senderFrame = { url: state.loadedUrl };
    const reply = handler({ sender: state.webContents, senderFrame }, 'study.current', {}) as Promise<unknown>;
    expect(host.sent).toEqual([{ id: 1, method: 'study.current', params: {} }]);
    host.emit('message', { kind: 'result', id: 1, result: null });
    expect(await reply).toEqual({ kind: 'result', id: 1, result: null });
  });

  it('refuses requests from any other frame', async () => {
    const handler = state.ipcHandlers['furrow:request']!;
    const reply = await handler({ sender: {}, senderFrame: { url: 'https://evil.example' } }, 'study.current', {});
    expect(reply).toMatchObject({ kind: 'error', error: { code: 'bad-input' } });
  });

  it('passes engine events on to the window', () => {
    const event = { type: 'run.started', runId: 'r', total: 3 };
    state.forked[0]!.emit('message', { kind: 'event', event });
    const send = (state.webContents as { send: ReturnType<typeof vi.fn> }).send;
    expect(send).toHaveBeenCalledWith('furrow:event', event);
  });
});

describe('Electron main when the engine host crashes', () => {
  const { state } = electron;

  it('tells the window, starts a new host and opens the same study in it', async () => {
    const first = state.forked[0]!;
    first.emit('message', { kind: 'event', event: { type: 'study.opened', study: { dir: '/studies/demo' } } });
    const handler = state.ipcHandlers['furrow:request']!;
    const pending = handler(
      { sender: state.webContents, senderFrame: { url: state.loadedUrl } },
      'study.current',
      {},
    ) as Promise<unknown>;
    first.emit('exit', 1);

    // The request in flight gets an answer instead of hanging.
    expect(await pending).toMatchObject({ kind: 'error', error: { message: /engine host stopped \(exit code 1\)/ } });
    const send = (state.webContents as { send: ReturnType<typeof vi.fn> }).send;
    expect(send).toHaveBeenCalledWith(
      'furrow:event',
      expect.objectContaining({ type: 'engine.stopped', message: expect.stringMatching(/restarted/) }),
    );
    expect(state.forked).toHaveLength(2);
    expect(state.forked[1]!.sent).toEqual([{ id: 1, method: 'study.open', params: { dir: '/studies/demo' } }]);
  });

  it('gives up after repeated crashes instead of restarting forever', () => {
    for (let i = 1; i <= 4; i++) state.forked.at(-1)!.emit('exit', 1);
    expect(state.forked).toHaveLength(4); // the first host and three restarts within the minute
    const send = (state.webContents as { send: ReturnType<typeof vi.fn> }).send;
    expect(send).toHaveBeenLastCalledWith(
      'furrow:event',
      expect.objectContaining({ message: expect.stringMatching(/not restarted/) }),
    );
  });
});
