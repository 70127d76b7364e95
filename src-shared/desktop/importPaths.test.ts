import { describe, expect, it } from 'vitest';
import { DESKTOP_METHODS } from './contract.js';
import { utf8ByteLength } from '../model/utf8.js';
import { MAX_IMPORT_PATHS_BYTES } from './importPaths.js';
import { ClientMessageSchema, MAX_CLIENT_MESSAGE_BYTES } from './wire.js';

const ALBUM = '7f1d2c3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
const bytesOf = (value: unknown) => utf8ByteLength(JSON.stringify(value));
const args = (paths: string[]) =>
  DESKTOP_METHODS['photos.import'].args.safeParse({ albumId: ALBUM, paths });

describe('photos.import arguments and the browser host message cap', () => {
  it('accepts the largest call only if its message fits the cap, whatever the characters', () => {
    // Characters JSON makes longest: a control character becomes \u0001 (6 bytes).
    const worst = '\u0001'.repeat(4096);
    const paths: string[] = [];
    while (args([...paths, worst]).success) paths.push(worst);
    expect(paths.length).toBe(42);
    const message = {
      type: 'call',
      id: 1,
      method: 'photos.import',
      args: { albumId: ALBUM, paths },
    };
    expect(ClientMessageSchema.safeParse(message).success).toBe(true);
    expect(bytesOf(message)).toBeLessThan(MAX_CLIENT_MESSAGE_BYTES);
  });

  it('takes ten thousand ordinary paths, and refuses a list over the budget with a reason', () => {
    const file = (folder: string, i: number) => `${folder}/IMG_${String(i).padStart(4, '0')}.JPG`;
    const typical = '/home/designer/写真/2026年度 卒業アルバム/運動会';
    const ordinary = Array.from({ length: 10_000 }, (_, i) => file(typical, i));
    expect(bytesOf(ordinary)).toBeLessThan(MAX_IMPORT_PATHS_BYTES);
    expect(args(ordinary).success).toBe(true);
    const deep = `${typical}/${'クラス別の写真/'.repeat(10)}`;
    const refused = args(Array.from({ length: 10_000 }, (_, i) => file(deep, i)));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(
      'too many paths for one import: choose their folder instead',
    );
  });
});
