import type { DesktopApi } from '../../src-shared/desktop/api.js';
import { METHOD_NAMES, type EventName } from '../../src-shared/desktop/contract.js';
import type { ClientMessage, ServerMessage } from '../../src-shared/desktop/wire.js';
import type { Result } from '../../src-shared/result.js';

/**
 * The desktop API over the browser host's WebSocket. Calls made while the socket is still
 * opening wait for it; a dropped socket fails the calls in flight with `host_disconnected`.
 */
export function createWsDesktopApi(url: string): DesktopApi {
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('host unreachable')), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  socket.addEventListener('message', (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as ServerMessage;
    if (message.type === 'result') {
      pending.get(message.id)?.(message.result as Result<unknown>);
      pending.delete(message.id);
    } else {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) {
      resolve({
        ok: false,
        error: { code: 'host_disconnected', message: 'The connection to Weebum Studio was lost' },
      });
    }
    pending.clear();
  });

  const send = async (message: ClientMessage) => {
    await opened;
    socket.send(JSON.stringify(message));
  };

  const call = (method: string, args: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      send({ type: 'call', id, method, args }).catch(() => {
        pending.delete(id);
        resolve({
          ok: false,
          error: { code: 'host_disconnected', message: 'Weebum Studio is not reachable' },
        });
      });
    });

  const api: Record<string, unknown> = Object.fromEntries(
    METHOD_NAMES.map((method) => [method, (args: unknown) => call(method, args)]),
  );
  api['on'] = (event: EventName, listener: (payload: unknown) => void) => {
    let set = listeners.get(event);
    if (!set) {
      listeners.set(event, (set = new Set()));
      void send({ type: 'subscribe', event });
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        listeners.delete(event);
        void send({ type: 'unsubscribe', event });
      }
    };
  };
  return Object.freeze(api) as DesktopApi;
}
