import type { PageView } from '../../../src-shared/cloud/pages.js';
import type { RouteSpec } from '../../../src-shared/cloud/routeSpec.js';
import type { Page } from '../../../src-shared/model/page.js';
import { parsePage } from '../../../src-shared/model/parse.js';
import { protocolError } from '../cloud/cloudCall.js';

/**
 * A page the server sent (its reply schema only says "object") as a Page at the server's
 * version: parsed like any untrusted page, and `cloud_protocol`, naming the route, when it is
 * not one.
 */
export function pageFromView(view: PageView, route: RouteSpec, status = 200): Page {
  const parsed = parsePage({ ...view.document, version: view.version });
  if (!parsed.ok) {
    throw protocolError(route, status, `a page that is not valid: ${parsed.error.message}`);
  }
  return parsed.value;
}
