import { PAGE_SCHEMA_VERSION, type Page } from './page.js';

/**
 * A new, empty white page: the one shape the desktop's "add page", album creation and the demo
 * seed all start from. The caller names the page (src-shared has no random source).
 */
export const blankPage = (albumId: string, id: string, index: number): Page => ({
  schemaVersion: PAGE_SCHEMA_VERSION,
  id,
  albumId,
  index,
  version: 0,
  background: { kind: 'color', color: '#ffffff' },
  elements: [],
});
