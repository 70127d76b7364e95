import { albumApi } from './albums.js';
import { auditApi } from './audit.js';
import { authApi } from './auth.js';
import { blobApi } from './blobs.js';
import { changeApi } from './changes.js';
import { meApi } from './me.js';
import { noticeApi } from './notices.js';
import { pageApi } from './pages.js';
import { photoApi } from './photos.js';
import type { RouteSpec } from './routeSpec.js';
import { systemApi } from './system.js';
import { tenantApi } from './tenants.js';
import { uploadApi } from './uploads.js';
import { userApi } from './users.js';

/**
 * Every route of the contract, for checks that walk them all (the server's route table must
 * be exactly these; each one's access is pinned in a test).
 */
const APIS: readonly Readonly<Record<string, RouteSpec>>[] = [
  authApi,
  meApi,
  userApi,
  tenantApi,
  albumApi,
  pageApi,
  changeApi,
  photoApi,
  uploadApi,
  auditApi,
  noticeApi,
  blobApi,
  systemApi,
];

export const ALL_ROUTES: readonly RouteSpec[] = APIS.flatMap((api) => Object.values(api));
