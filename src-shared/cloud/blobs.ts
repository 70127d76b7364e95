import { z } from 'zod';
import { defineRoute } from './routeSpec.js';

/** The signed token is the rest of the path (longer than a route parameter may be). */
const TokenParams = z.object({ '*': z.string().max(4096) });

/**
 * The local blob store's stand-in for S3's presigned URLs (development and small installs).
 * Public: the signed token in the path is the authorisation (one object, one operation, an
 * expiry), exactly as a presigned S3 URL is. Clients get these URLs from the upload and
 * download routes and use them as they are, like any presigned URL.
 */
export const blobApi = {
  upload: defineRoute({
    method: 'PUT',
    path: '/v1/blobs/*',
    access: { public: true },
    summary: 'Upload to a signed URL (local blob store only)',
    tags: ['blobs'],
    params: TokenParams,
    content: 'binary',
    reply: z.unknown().meta({ description: 'empty; the ETag header names the stored bytes' }),
  }),
  download: defineRoute({
    method: 'GET',
    path: '/v1/blobs/*',
    access: { public: true },
    summary: 'Download from a signed URL (local blob store only)',
    tags: ['blobs'],
    params: TokenParams,
    content: 'binary',
    reply: z.unknown().meta({ description: 'the stored bytes (streamed)' }),
  }),
};
