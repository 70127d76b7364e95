import { EventEmitter } from 'node:events';

/**
 * Small stand-ins for the Electron objects the shell touches, so its decisions run in plain
 * Node. Only what the code under test calls is here.
 */
export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  shown = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show() {
    this.shown = true;
  }
}

/** A navigation-like event: records whether the shell prevented it. */
export function navigationEvent(url: string) {
  return {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

type Listener = (event: unknown, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  readonly listeners = new Map<string, Listener[]>();
  handle(channel: string, listener: Listener) {
    this.handlers.set(channel, listener);
  }
  on(channel: string, listener: Listener) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  removeAllListeners(channel: string) {
    this.listeners.delete(channel);
    return this;
  }
  /** What `ipcRenderer.invoke` from a frame would produce. */
  invoke(sender: IpcSender, channel: string, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(sender.event(), ...args);
  }
  send(sender: IpcSender, channel: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(channel) ?? []) listener(sender.event(), ...args);
  }
}

/** A frame that sends IPC: its URL, whether it is a subframe, and its webContents. */
export class IpcSender {
  readonly contents = new FakeWebContents();
  constructor(
    public url: string,
    readonly subframe = false,
    readonly noFrame = false,
  ) {}
  event() {
    return {
      sender: this.contents,
      senderFrame: this.noFrame
        ? null
        : { url: this.url, parent: this.subframe ? { url: 'weebum://app/index.html' } : null },
    };
  }
}
