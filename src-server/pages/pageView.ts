import type { PageView } from '../../src-shared/cloud/pages.js';
import type { StoredPage } from './pageRepository.js';

/** A stored page as the API shows it (the shape is src-shared/cloud/pages.ts). */
export const toPageView = (p: StoredPage): PageView => ({
  document: p.document,
  version: p.version,
});
