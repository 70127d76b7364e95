import { describe, expect, it } from 'vitest';
import type { DesktopHandlers } from '../../src-shared/desktop/api.js';
import { createEventHub } from '../services/events/eventHub.js';
import { registerDesktopIpc, senderAllowed } from './ipcBridge.js';
import { IPC_CALL, IPC_EVENT, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from './ipcChannels.js';
import { FakeIpcMain, IpcSender } from './testing/fakeElectron.js';
import type { IpcBridgeOptions } from './ipcBridge.js';

const syncState = {
  connection: 'offline' as const,
  syncing: false,
  pending: 0,
  conflicts: 0,
  lastError: null,
  lastSyncedAt: null,
};

function setUp() {
  const ipcMain = new FakeIpcMain();
  const events = createEventHub((error) => {
    throw error;
  });
  const calls: { method: string; args: unknown }[] = [];
  // Only the methods these tests call; dispatch reaches no other.
  const handlers = {
    'session.current': async (args: unknown) => {
      calls.push({ method: 'session.current', args });
      return null;
    },
    'albums.open': async (args: unknown) => {
      calls.push({ method: 'albums.open', args });
      throw new Error('not reached in these tests');
    },
  } as unknown as DesktopHandlers;
  const logged: string[] = [];
  const stop = registerDesktopIpc({
    ipcMain: ipcMain as unknown as IpcBridgeOptions['ipcMain'],
    handlers,
    events,
    log: (message) => logged.push(message),
  });
  return { ipcMain, events, calls, logged, stop };
}

describe('IPC sender validation', () => {
  it.each([
    [new IpcSender('weebum://app/index.html'), true],
    [new IpcSender('weebum://app/index.html#/albums/1'), true],
    [new IpcSender('https://evil.example/'), false],
    [new IpcSender('weebum://app.evil.example/'), false],
    [new IpcSender('file:///tmp/x.html'), false],
    [new IpcSender('weebum://app/index.html', true), false],
    [new IpcSender('weebum://app/index.html', false, true), false],
  ])('%o → %s', (sender, allowed) => {
    expect(senderAllowed(sender.event() as never)).toBe(allowed);
  });

  it('runs the call from the app page through dispatch', async () => {
    const { ipcMain, calls } = setUp();
    const app = new IpcSender('weebum://app/index.html');
    await expect(ipcMain.invoke(app, IPC_CALL, 'session.current', {})).resolves.toEqual({
      ok: true,
      value: null,
    });
    expect(calls).toEqual([{ method: 'session.current', args: {} }]);
  });

  it('refuses a call from another origin or a subframe without running it', async () => {
    const { ipcMain, calls, logged } = setUp();
    for (const sender of [
      new IpcSender('https://evil.example/'),
      new IpcSender('weebum://app/index.html', true),
      new IpcSender('weebum://app/index.html', false, true),
    ]) {
      await expect(ipcMain.invoke(sender, IPC_CALL, 'session.current', {})).resolves.toEqual({
        ok: false,
        error: { code: 'forbidden_sender', message: 'This page may not use the desktop API' },
      });
    }
    expect(calls).toEqual([]);
    expect(logged).toHaveLength(3);
  });

  it('validates arguments with the contract schemas before any handler runs', async () => {
    const { ipcMain, calls } = setUp();
    const app = new IpcSender('weebum://app/index.html');
    const bad = (await ipcMain.invoke(app, IPC_CALL, 'albums.open', {
      albumId: '../../etc',
    })) as { ok: boolean; error: { code: string } };
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('invalid_arguments');
    const unknown = (await ipcMain.invoke(app, IPC_CALL, 'fs.readFile', {})) as {
      error: { code: string };
    };
    expect(unknown.error.code).toBe('unknown_method');
    expect(calls).toEqual([]);
  });

  it('delivers events only to the app page that subscribed, until it goes away', () => {
    const { ipcMain, events } = setUp();
    const app = new IpcSender('weebum://app/index.html');
    const evil = new IpcSender('https://evil.example/');
    ipcMain.send(app, IPC_SUBSCRIBE, 'sync.state');
    ipcMain.send(app, IPC_SUBSCRIBE, 'sync.state');
    ipcMain.send(app, IPC_SUBSCRIBE, 'no.such.event');
    ipcMain.send(evil, IPC_SUBSCRIBE, 'sync.state');
    events.emit('sync.state', syncState);
    expect(app.contents.sent).toEqual([{ channel: IPC_EVENT, args: ['sync.state', syncState] }]);
    expect(evil.contents.sent).toEqual([]);

    ipcMain.send(app, IPC_UNSUBSCRIBE, 'sync.state');
    events.emit('sync.state', syncState);
    expect(app.contents.sent).toHaveLength(1);

    ipcMain.send(app, IPC_SUBSCRIBE, 'sync.state');
    app.contents.destroy();
    events.emit('sync.state', syncState);
    expect(app.contents.sent).toHaveLength(1);
  });

  it('removes its channels when stopped', () => {
    const { ipcMain, stop } = setUp();
    stop();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listeners.size).toBe(0);
  });
});
