// Which transport the renderer has: the preload bridge in Electron, the WebSocket in a browser.
// Everything else in the renderer sees only the typed EngineClient.
import type { EngineBridge, EngineClient } from '../../shared/api';
import type { DesktopBridge } from '../../shared/bridge';
import { clientOf } from '../../shared/api';
import { wsBridge } from './ws-bridge';

declare global {
  interface Window {
    furrow?: EngineBridge;
    /** Only in the desktop app: menu commands and the paths of dropped files. */
    furrowDesktop?: DesktopBridge;
  }
}

export function connectEngine(): EngineClient {
  if (window.furrow) return clientOf(window.furrow);
  // Take the token out of the address bar (and so out of history and screenshots); the cookie keeps reloads working.
  const token = new URLSearchParams(window.location.search).get('token');
  if (token) window.history.replaceState(null, '', window.location.pathname);
  return clientOf(wsBridge(window.location, token));
}
