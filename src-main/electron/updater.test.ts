import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startUpdater, UPDATE_CHECK_INTERVAL_MS } from './updater.js';

class FakeUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  feed: unknown = null;
  checks = 0;
  installs = 0;
  setFeedURL(options: unknown) {
    this.feed = options;
  }
  checkForUpdates() {
    this.checks++;
    return Promise.resolve(null);
  }
  quitAndInstall() {
    this.installs++;
  }
}

function setUp(answer: boolean, feedUrl = 'https://cloud.example/updates/') {
  const updater = new FakeUpdater();
  const timers: { fn: () => void; ms: number; unref(): void }[] = [];
  const asked: string[] = [];
  const cleared: unknown[] = [];
  const handle = startUpdater({
    updater,
    feedUrl,
    askToRestart: (version) => {
      asked.push(version);
      return Promise.resolve(answer);
    },
    setInterval: (fn, ms) => {
      const timer = { fn, ms, unref: () => undefined };
      timers.push(timer);
      return timer;
    },
    clearInterval: (timer) => cleared.push(timer),
    log: () => undefined,
  });
  return { updater, timers, asked, cleared, handle };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the updater', () => {
  it('uses the generic feed of the configuration and downloads in the background', () => {
    const { updater } = setUp(false);
    expect(updater.feed).toEqual({ provider: 'generic', url: 'https://cloud.example/updates/' });
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });

  it('checks at start and every 6 hours, until stopped', () => {
    const { updater, timers, cleared, handle } = setUp(false);
    expect(updater.checks).toBe(1);
    expect(timers.map((t) => t.ms)).toEqual([UPDATE_CHECK_INTERVAL_MS]);
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(6 * 60 * 60 * 1000);
    timers[0]?.fn();
    expect(updater.checks).toBe(2);
    handle.stop();
    expect(cleared).toEqual([timers[0]]);
  });

  it('asks before restarting and restarts only when the user agrees', async () => {
    const yes = setUp(true);
    yes.updater.emit('update-downloaded', { version: '1.2.0' });
    await settle();
    expect(yes.asked).toEqual(['1.2.0']);
    expect(yes.updater.installs).toBe(1);

    const no = setUp(false);
    no.updater.emit('update-downloaded', { version: '1.2.0' });
    await settle();
    expect(no.asked).toEqual(['1.2.0']);
    expect(no.updater.installs).toBe(0);
  });

  it('refuses a feed that is not https', () => {
    expect(() => setUp(false, 'http://cloud.example/updates/')).toThrow(/https/);
  });
});
