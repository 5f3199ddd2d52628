// The engine over the WebSocket of `furrow serve`. The page came with a token in its URL; the server set it
// as a cookie too, and the handshake carries both.
import type { EngineBridge, EngineEvent, RequestReply, WireReply } from '../../shared/api';

export function wsBridge(location: Location): EngineBridge {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const listeners = new Set<(event: EngineEvent) => void>();
  const pending = new Map<number, (reply: RequestReply) => void>();
  let nextId = 1;
  let socket: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error('cannot reach the Furrow engine; is `furrow serve` still running?'));
      ws.onclose = () => {
        socket = null;
        for (const done of pending.values()) {
          done({ kind: 'error', error: { code: 'internal', message: 'the connection to the Furrow engine closed' } });
        }
        pending.clear();
      };
      ws.onmessage = (message) => {
        const reply = JSON.parse(String(message.data)) as WireReply;
        if (reply.kind === 'event') listeners.forEach((l) => l(reply.event));
        else {
          pending.get(reply.id)?.(reply);
          pending.delete(reply.id);
        }
      };
    });
    return socket;
  };

  return {
    async invoke(method, params) {
      const ws = await connect();
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}
