import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { dispatch, type DesktopHandlers } from '../../src-shared/desktop/api.js';
import { EVENT_NAMES, type EventName } from '../../src-shared/desktop/contract.js';
import type { Result } from '../../src-shared/result.js';
import type { EventHub } from '../services/events/eventHub.js';
import { isAppUrl } from './appOrigin.js';
import { IPC_CALL, IPC_EVENT, IPC_SUBSCRIBE, IPC_UNSUBSCRIBE } from './ipcChannels.js';

type SenderEvent = Pick<IpcMainEvent | IpcMainInvokeEvent, 'senderFrame' | 'sender'>;

/**
 * Only the app's own top-level page may call: a frame of another origin (an iframe, a page
 * navigated elsewhere despite the guards) gets nothing.
 */
export function senderAllowed(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}

export interface IpcBridgeOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeAllListeners'>;
  readonly handlers: DesktopHandlers;
  readonly events: EventHub;
  readonly log: (message: string, error?: unknown) => void;
}

const refused: Result<never> = {
  ok: false,
  error: { code: 'forbidden_sender', message: 'This page may not use the desktop API' },
};

/**
 * The desktop API over Electron IPC: the same `dispatch` (zod validation of every argument)
 * as the browser host, after checking the sender frame of every message.
 */
export function registerDesktopIpc(options: IpcBridgeOptions): () => void {
  const { ipcMain } = options;
  /** Per renderer (webContents id): its event subscriptions. */
  const subscriptions = new Map<number, Map<EventName, () => void>>();

  ipcMain.handle(IPC_CALL, async (event, method: unknown, args: unknown) => {
    if (!senderAllowed(event)) {
      options.log('desktop API call refused: sender is not the app');
      return refused;
    }
    return dispatch(options.handlers, method, args, (name, error) =>
      options.log(`desktop API ${name} failed`, error),
    );
  });

  const eventOf = (name: unknown): EventName | undefined => EVENT_NAMES.find((e) => e === name);

  ipcMain.on(IPC_SUBSCRIBE, (event, name: unknown) => {
    const eventName = eventOf(name);
    if (!eventName || !senderAllowed(event)) return;
    const contents = event.sender;
    let mine = subscriptions.get(contents.id);
    if (!mine) {
      const created = new Map<EventName, () => void>();
      subscriptions.set(contents.id, (mine = created));
      contents.once('destroyed', () => {
        for (const off of created.values()) off();
        subscriptions.delete(contents.id);
      });
    }
    if (mine.has(eventName)) return;
    mine.set(
      eventName,
      options.events.subscribe(eventName, (payload) => {
        if (!contents.isDestroyed()) contents.send(IPC_EVENT, eventName, payload);
      }),
    );
  });

  ipcMain.on(IPC_UNSUBSCRIBE, (event, name: unknown) => {
    const eventName = eventOf(name);
    if (!eventName || !senderAllowed(event)) return;
    const mine = subscriptions.get(event.sender.id);
    mine?.get(eventName)?.();
    mine?.delete(eventName);
  });

  return () => {
    ipcMain.removeHandler(IPC_CALL);
    ipcMain.removeAllListeners(IPC_SUBSCRIBE);
    ipcMain.removeAllListeners(IPC_UNSUBSCRIBE);
    for (const mine of subscriptions.values()) for (const off of mine.values()) off();
    subscriptions.clear();
  };
}
