import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { createConfig } from '../eslint.config.js';

/** Lints an in-memory file as if it lived at `filePath`; returns the boundary messages. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: new URL('..', import.meta.url).pathname,
    overrideConfigFile: true,
    // Without type information: the probe files do not exist on disk.
    baseConfig: createConfig({ typed: false }),
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('module boundaries are enforced by lint', () => {
  const cases: [string, string, RegExp][] = [
    ['src-renderer/probe.ts', "import '../src-main/services/x.js';", /src-main/],
    ['src-renderer/probe.ts', "import '../src-server/app.js';", /src-server/],
    ['src-renderer/probe.ts', "import { readFile } from 'node:fs';", /without Node/],
    ['src-renderer/probe.ts', "import fs from 'fs';", /without Node/],
    ['src-server/probe.ts', "import '../src-main/services/x.js';", /src-main/],
    ['src-server/probe.ts', "import '../src-renderer/App.js';", /src-renderer/],
    ['src-main/services/probe.ts', "import '../../src-server/app.js';", /src-server/],
    ['src-main/services/probe.ts', "import '../../src-renderer/App.js';", /src-renderer/],
    ['src-main/services/probe.ts', "import { app } from 'electron';", /electron/],
    ['src-main/host/probe.ts', "import { ipcMain } from 'electron/main';", /electron/],
    ['src-main/services/probe.ts', "import { autoUpdater } from 'electron-updater';", /electron/],
    ['src-server/probe.ts', "import { app } from 'electron';", /electron/],
    ['src-server/pages/probeRoutes.ts', "import '../albums/albumRoutes.js';", /route file/],
    ['src-server/pages/probeRoutes.ts', "import '../../src-main/services/x.js';", /src-main/],
    ['src-renderer/probe.ts', "import { ipcRenderer } from 'electron';", /electron/],
    ['src-shared/probe.ts', "import '../src-main/services/x.js';", /src-main/],
    ['src-shared/probe.ts', "import '../src-server/app.js';", /src-server/],
    ['src-shared/probe.ts', "import '../src-renderer/App.js';", /src-renderer/],
    ['src-shared/probe.ts', "import { readFile } from 'node:fs';", /pure/],
    ['src-shared/probe.ts', "import { app } from 'electron';", /pure|electron/],
    ['src-shared/probe.ts', "import { useState } from 'react';", /pure/],
    ['src-shared/model/probe.ts', "import Konva from 'konva';", /pure/],
    ['src-shared/model/probe.ts', "import fc from 'fast-check';", /pure/],
    [
      'src-shared/model/probe.test.ts',
      "import { readFileSync } from 'node:fs';",
      /src-shared tests/,
    ],
  ];

  it.each(cases)('%s: %s is refused', async (filePath, code, message) => {
    const errors = await boundaryErrors(filePath, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });

  const allowed: [string, string][] = [
    ['src-main/electron/probe.ts', "import { app } from 'electron';"],
    ['src-main/electron/probe.ts', "import { autoUpdater } from 'electron-updater';"],
    ['src-main/services/probe.ts', "import '../../src-shared/result.js';"],
    ['src-main/services/probe.ts', "import { readFile } from 'node:fs';"],
    ['src-server/probe.ts', "import '../src-shared/auth/roles.js';"],
    ['src-server/pages/probeRoutes.ts', "import '../../src-shared/cloud/albums.js';"],
    ['src-server/pages/probeRoutes.ts', "import { addRoute } from '../http/route.js';"],
    ['src-renderer/probe.ts', "import '../src-shared/model/page.js';"],
    ['src-renderer/probe.ts', "import { useState } from 'react';"],
    ['src-shared/probe.ts', "import { z } from 'zod';"],
    ['src-shared/merge/probe.ts', "import '../model/page.js';"],
    ['src-shared/merge/probe.test.ts', "import fc from 'fast-check';"],
  ];

  it.each(allowed)('%s: %s is allowed', async (filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toEqual([]);
  });
});

describe('the desktop calls Weebum Cloud through route specs only', () => {
  async function literalPathErrors(filePath: string, code: string): Promise<string[]> {
    const eslint = new ESLint({
      cwd: new URL('..', import.meta.url).pathname,
      overrideConfigFile: true,
      baseConfig: createConfig({ typed: false }),
    });
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === 'no-restricted-syntax')
      .map((m) => m.message);
  }

  it.each([
    ['src-main/services/sync/probe.ts', "export const p = '/v1/albums';"],
    ['src-main/services/sync/probe.ts', 'export const p = (id: string) => `/v1/albums/${id}`;'],
    ['src-main/testing/probe.ts', "export const p = '/v1/users';"],
  ])('%s: %s is refused', async (filePath, code) => {
    expect((await literalPathErrors(filePath, code)).join('\n')).toMatch(/route spec/);
  });

  it.each([
    ['src-main/services/cloud/probe.ts', "export const p = '/v1/me';"],
    ['src-main/services/sync/probe.ts', "export const p = '/healthz';"],
    ['src-server/probe.ts', "export const p = '/v1/albums';"],
  ])('%s: %s is allowed', async (filePath, code) => {
    expect(await literalPathErrors(filePath, code)).toEqual([]);
  });
});
