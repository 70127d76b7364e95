import type { ContextBridge, IpcRenderer } from 'electron';
import type { DesktopApi } from '../../src-shared/desktop/api.js';
import { EVENT_NAMES, METHOD_NAMES } from '../../src-shared/desktop/contract.js';
import { IPC_CALL, IPC_EVENT, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from './ipcChannels.js';

type IpcLike = Pick<IpcRenderer, 'invoke' | 'send' | 'on'>;

/**
 * What the page gets as `window.weebum`: one function per contract method and `on` for the
 * contract's events, nothing else. `ipcRenderer` and its event objects never reach the page:
 * listeners receive only the payload.
 */
export function buildPreloadApi(ipc: IpcLike): DesktopApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  ipc.on(IPC_EVENT, (_event, name: unknown, payload: unknown) => {
    if (typeof name !== 'string') return;
    for (const listener of listeners.get(name) ?? []) listener(payload);
  });
  const api: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const method of METHOD_NAMES) {
    api[method] = (args: unknown) => ipc.invoke(IPC_CALL, method, args);
  }
  api['on'] = (event: string, listener: (payload: unknown) => void) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event) || typeof listener !== 'function') {
      throw new TypeError(`Unknown desktop API event: ${String(event)}`);
    }
    let set = listeners.get(event);
    if (!set) {
      listeners.set(event, (set = new Set()));
      ipc.send(IPC_SUBSCRIBE, event);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        listeners.delete(event);
        ipc.send(IPC_UNSUBSCRIBE, event);
      }
    };
  };
  return Object.freeze(api) as DesktopApi;
}

/** The preload's whole job. */
export function exposeDesktopApi(bridge: Pick<ContextBridge, 'exposeInMainWorld'>, ipc: IpcLike) {
  bridge.exposeInMainWorld('weebum', buildPreloadApi(ipc));
}
