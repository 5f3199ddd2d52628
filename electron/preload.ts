// The renderer's only doors: the engine bridge (`window.furrow`, checked against the contract's type) and the
// desktop's extras (`window.furrowDesktop`: menu commands, paths of dropped files).
// Sandboxed preloads may load nothing but `electron`, so this file stays tiny and self-contained.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { EngineBridge, EngineEvent, RequestReply } from '../shared/api';
import type { DesktopBridge, UiCommand } from '../shared/bridge';
import { BRIDGE_CHANNELS as CHANNELS } from '../shared/bridge';

function listen<T>(channel: string, listener: (value: T) => void): () => void {
  const wrapped = (_: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.off(channel, wrapped);
  };
}

const furrow = {
  invoke: (method: string, params: unknown) =>
    ipcRenderer.invoke(CHANNELS.request, method, params) as Promise<RequestReply>,
  onEvent: (listener: (event: EngineEvent) => void) => listen(CHANNELS.event, listener),
} satisfies EngineBridge;

const furrowDesktop = {
  onUi: (listener: (command: UiCommand) => void) => listen(CHANNELS.ui, listener),
  pathOf: (file: object) => webUtils.getPathForFile(file as File),
  openFolder: (dir: string) => ipcRenderer.invoke(CHANNELS.openFolder, dir) as Promise<string | null>,
  recentStudies: () => ipcRenderer.invoke(CHANNELS.recent) as Promise<string[]>,
  chooseFolder: (title: string) => ipcRenderer.invoke(CHANNELS.chooseFolder, title) as Promise<string | null>,
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('furrow', furrow);
contextBridge.exposeInMainWorld('furrowDesktop', furrowDesktop);
