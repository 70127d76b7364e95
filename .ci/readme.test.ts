import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** The packages of `.ci/run`'s APT_PACKAGES array (one per line, comments after). */
function ciPackages(): string[] {
  const run = read('.ci/run');
  const block = /APT_PACKAGES=\(\n([\s\S]*?)\n\)/.exec(run)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

/** The packages of the README's `apt-get install` command (continued lines joined). */
function readmePackages(): string[] {
  const readme = read('README.md').replace(/\\\n\s*/g, ' ');
  const command = /^\s*apt-get install (.*)$/m.exec(readme)?.[1] ?? '';
  return command.split(/\s+/).filter((word) => word !== '' && !word.startsWith('-'));
}

describe("the README's prerequisites", () => {
  it('install the same system packages CI installs', () => {
    expect(ciPackages().length).toBeGreaterThan(5);
    expect(readmePackages().sort()).toEqual(ciPackages().sort());
  });

  it('run as root where sudo is absent', () => {
    expect(read('README.md')).not.toMatch(/^\s*sudo /m);
  });
});
