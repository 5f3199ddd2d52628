// The renderer's only door to the engine: one object on `window`, checked against the contract's type.
// Sandboxed preloads may load nothing but `electron`, so this file stays tiny and self-contained.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { EngineBridge, EngineEvent, RequestReply } from '../shared/api';
import { BRIDGE_CHANNELS as CHANNELS } from '../shared/bridge';

const furrow = {
  invoke: (method: string, params: unknown) =>
    ipcRenderer.invoke(CHANNELS.request, method, params) as Promise<RequestReply>,
  onEvent: (listener: (event: EngineEvent) => void) => {
    const wrapped = (_: IpcRendererEvent, event: EngineEvent) => listener(event);
    ipcRenderer.on(CHANNELS.event, wrapped);
    return () => {
      ipcRenderer.off(CHANNELS.event, wrapped);
    };
  },
} satisfies EngineBridge;

contextBridge.exposeInMainWorld('furrow', furrow);
