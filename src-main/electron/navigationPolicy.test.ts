import { describe, expect, it } from 'vitest';
import { decideWindowOpen, externalUrlAllowed } from './navigationPolicy.js';

const allow = ['weebum.jp', 'www.weebum.jp'];

describe('openExternal allow-list', () => {
  it.each([
    ['https://weebum.jp/help', true],
    ['https://www.weebum.jp/', true],
    ['https://WEEBUM.JP/help', true],
    ['http://weebum.jp/help', false],
    ['https://weebum.jp:8443/', false],
    ['https://user:pw@weebum.jp/', false],
    ['https://weebum.jp.evil.example/', false],
    ['https://evilweebum.jp/', false],
    ['https://sub.weebum.jp/', false],
    ['file:///etc/passwd', false],
    ['smb://weebum.jp/share', false],
    ['javascript:alert(1)', false],
    ['', false],
  ])('%s → %s', (url, allowed) => {
    expect(externalUrlAllowed(url, allow)).toBe(allowed);
  });

  it('never opens a window, whatever the URL', () => {
    expect(decideWindowOpen('https://weebum.jp/', allow)).toEqual({
      action: 'deny',
      openExternally: true,
    });
    expect(decideWindowOpen('https://evil.example/', allow)).toEqual({
      action: 'deny',
      openExternally: false,
    });
  });
});
