import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src-shared/desktop/contract.js';
import { IPC_CALL, IPC_EVENT, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from './ipcChannels.js';
import { exposeDesktopApi } from './preloadApi.js';

function setUp() {
  const invoked: unknown[][] = [];
  const sent: unknown[][] = [];
  let onEvent: ((event: unknown, ...args: unknown[]) => void) | null = null;
  const ipcRenderer = {
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve({ ok: true, value: null });
    },
    send: (...args: unknown[]) => void sent.push(args),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      if (channel === IPC_EVENT) onEvent = listener;
      return ipcRenderer;
    },
  };
  const exposed = new Map<string, unknown>();
  exposeDesktopApi(
    { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) },
    ipcRenderer as never,
  );
  const api = exposed.get('weebum') as Record<string, (...args: unknown[]) => unknown>;
  const fire = (...args: unknown[]) => onEvent?.({ sender: ipcRenderer }, ...args);
  return { exposed, api, invoked, sent, fire };
}

describe('the preload', () => {
  it('exposes one frozen object with exactly the contract methods and `on`', () => {
    const { exposed, api } = setUp();
    expect([...exposed.keys()]).toEqual(['weebum']);
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.getPrototypeOf(api)).toBe(null);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('forwards a method call as one invoke on the call channel', async () => {
    const { api, invoked } = setUp();
    await expect(api['albums.list']?.({})).resolves.toEqual({ ok: true, value: null });
    expect(invoked).toEqual([[IPC_CALL, 'albums.list', {}]]);
  });

  it('subscribes once per event, passes only the payload, and unsubscribes at the end', () => {
    const { api, sent, fire } = setUp();
    const got: unknown[][] = [];
    const offA = api['on']?.('sync.state', (...args: unknown[]) => got.push(args)) as () => void;
    const offB = api['on']?.('sync.state', () => undefined) as () => void;
    expect(sent).toEqual([[IPC_SUBSCRIBE, 'sync.state']]);
    fire('sync.state', { pending: 1 });
    fire('pages.changed', { albumId: 'x' });
    expect(got).toEqual([[{ pending: 1 }]]);
    offA();
    offB();
    expect(sent).toEqual([
      [IPC_SUBSCRIBE, 'sync.state'],
      [IPC_UNSUBSCRIBE, 'sync.state'],
    ]);
  });

  it('refuses an event that is not in the contract', () => {
    const { api, sent } = setUp();
    expect(() => api['on']?.('ipc:raw', () => undefined)).toThrow(TypeError);
    expect(sent).toEqual([]);
  });
});
