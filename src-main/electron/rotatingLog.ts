import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Secrets never reach the log: bearer tokens, passwords, tokens in URLs and JWT-looking
 * strings are masked before a line is written (messages and error texts alike).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
    .replace(
      /((?:password|passwd|token|secret|authorization|refresh_?token|access_?token)["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi,
      '$1[redacted]',
    )
    .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, '[redacted-jwt]');
}

export interface RotatingLogOptions {
  readonly file: string;
  /** Rotate when the file would exceed this. */
  readonly maxBytes: number;
  /** Older files kept: file.1 (newest) ... file.N. */
  readonly keep: number;
  readonly now: () => Date;
}

/**
 * The app's log file: one line per message (UTC timestamp), rotated by size. Writes are
 * synchronous so the last line before a crash is on disk.
 */
export function createRotatingLog(options: RotatingLogOptions) {
  mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
  const sizeOf = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  let size = sizeOf(options.file);

  function rotate() {
    rmSync(`${options.file}.${options.keep}`, { force: true });
    for (let i = options.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${options.file}.${i}`, `${options.file}.${i + 1}`);
      } catch {
        // not there yet
      }
    }
    try {
      renameSync(options.file, `${options.file}.1`);
    } catch {
      // nothing to rotate
    }
    size = 0;
  }

  return (message: string, error?: unknown): void => {
    const detail =
      error === undefined
        ? ''
        : ` ${error instanceof Error ? error.message : JSON.stringify(error)}`;
    const line = `${options.now().toISOString()} ${redactSecrets(message + detail).replace(/\n/g, '\\n')}\n`;
    const bytes = Buffer.byteLength(line);
    if (size > 0 && size + bytes > options.maxBytes) rotate();
    appendFileSync(options.file, line, { mode: 0o600 });
    size += bytes;
  };
}
