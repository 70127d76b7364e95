import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The packaging configuration, checked where the Electron binary cannot be downloaded:
 * electron-builder's own schema validation, and the security-relevant settings.
 */
const root = new URL('../../', import.meta.url);
const config = parse(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Record<
  string,
  unknown
> & {
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
  win: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean };
  linux: { target: string[] };
  publish: { provider: string; url: string };
};

type Validate = (config: unknown, logger: { isEnabled: boolean }) => Promise<void>;
const { validateConfiguration } = createRequire(import.meta.url)(
  'app-builder-lib/out/util/config/config.js',
) as { validateConfiguration: Validate };

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema, which refuses unknown options', async () => {
    await expect(validateConfiguration(config, { isEnabled: false })).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...config, unknownOption: true }, { isEnabled: false }),
    ).rejects.toThrow(/unknownOption/);
  });

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or inspect; asar integrity enforced', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('packs into asar with the native modules unpacked, for every platform', () => {
    expect(config['asar']).toBe(true);
    for (const native of ['better-sqlite3', 'keytar', 'sharp'])
      expect(config.asarUnpack).toContain(`node_modules/${native}/**`);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.publish).toEqual({
      provider: 'generic',
      url: 'https://updates.weebum.jp/studio/',
    });
  });

  it('has the icons electron-builder needs in build/', async () => {
    const png = await sharp(new URL('build/icon.png', root).pathname).metadata();
    expect([png.width, png.height, png.format]).toEqual([1024, 1024, 'png']);
    const ico = readFileSync(new URL('build/icon.ico', root));
    expect([ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([1, 7]);
    const icns = readFileSync(new URL('build/icon.icns', root));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });
});
