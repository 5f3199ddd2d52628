// The engine over the WebSocket of `furrow serve`. The page came with a token in its URL, which the server also
// set as an HttpOnly cookie; the handshake carries the token kept in memory (or, after a reload, the cookie).
import type { EngineBridge, EngineEvent, WireReply } from '../../shared/api';
import { PendingReplies } from '../../shared/pending';
import { decodeFrame } from '../../shared/wire-frame';

export function wsBridge(location: Location, token: string | null): EngineBridge {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const listeners = new Set<(event: EngineEvent) => void>();
  const pending = new PendingReplies();
  let socket: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer'; // a reply with a plot's numbers comes as one binary frame (wire-frame.ts)
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error('cannot reach the Furrow engine; is `furrow serve` still running?'));
      ws.onclose = () => {
        socket = null;
        pending.failAll({ code: 'internal', message: 'the connection to the Furrow engine closed' });
      };
      ws.onmessage = (message) => {
        const reply = decodeFrame(message.data as string | ArrayBuffer) as WireReply;
        if (reply.kind === 'event') listeners.forEach((l) => l(reply.event));
        else pending.settle(reply);
      };
    });
    return socket;
  };

  return {
    async invoke(method, params) {
      const ws = await connect();
      const { id, reply } = pending.open();
      ws.send(JSON.stringify({ id, method, params }));
      return reply;
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}
