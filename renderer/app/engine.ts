// Which transport the renderer has: the preload bridge in Electron, the WebSocket in a browser.
// Everything else in the renderer sees only the typed EngineClient.
import type { EngineBridge, EngineClient } from '../../shared/api';
import { clientOf } from '../../shared/api';
import { wsBridge } from './ws-bridge';

declare global {
  interface Window {
    furrow?: EngineBridge;
  }
}

export function connectEngine(): EngineClient {
  return clientOf(window.furrow ?? wsBridge(window.location));
}
