import { utf8ByteLength } from '../model/utf8.js';

/**
 * What one `photos.import` call may carry, JSON-encoded: a quarter of the browser host's message
 * cap (wire.ts), so the largest call the contract accepts always reaches the desktop. A folder
 * is one path however many photos it holds; thousands of single files are chosen by their folder.
 */
export const MAX_IMPORT_PATHS_BYTES = 1024 * 1024;

export const importPathsFit = (paths: readonly string[]): boolean =>
  utf8ByteLength(JSON.stringify(paths)) <= MAX_IMPORT_PATHS_BYTES;
