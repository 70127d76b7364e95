import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { blobApi } from '../../src-shared/cloud/blobs.js';
import { ApiError } from '../http/apiError.js';
import { addRoute } from '../http/route.js';
import { BlobNotFoundError, BlobRangeError } from './blobStore.js';
import { parseRangeHeader } from './httpRange.js';
import { BlobUrlError, type LocalBlobStore } from './localBlobStore.js';

const STATUS: Readonly<Record<BlobUrlError['code'], number>> = {
  blob_url_invalid: 403,
  blob_url_expired: 403,
  blob_size_mismatch: 400,
  blob_upload_gone: 410,
};

function toApiError(error: unknown): unknown {
  if (error instanceof BlobUrlError)
    return new ApiError(STATUS[error.code], error.code, error.message);
  if (error instanceof BlobNotFoundError) return new ApiError(404, 'not_found', 'Not found');
  if (error instanceof BlobRangeError) return new ApiError(416, error.code, error.message);
  return error;
}

/**
 * A wildcard, not `:token`: the signed token is longer than a route parameter may be.
 *
 * The local store's stand-in for S3's presigned URLs. Public routes: the signed token in the
 * path is the authorisation (it names one object, one operation and an expiry), exactly as a
 * presigned S3 URL is.
 */
export function registerLocalBlobRoutes(
  app: FastifyInstance,
  local: LocalBlobStore,
  maxUploadBytes: number,
): void {
  void app.register((scope, _options, done) => {
    // Photos arrive as raw bytes of any type; hand the stream through unparsed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    addRoute(scope, blobApi.upload, {
      bodyLimit: maxUploadBytes,
      handler: async ({ params, request, reply }) => {
        const token = params['*'];
        const length = Number(request.headers['content-length']);
        try {
          const etag = await local.receive(
            token,
            request.body as Readable,
            Number.isInteger(length) ? length : undefined,
            request.headers['content-type'],
          );
          return await reply.code(200).header('etag', etag).send();
        } catch (error) {
          throw toApiError(error);
        }
      },
    });

    addRoute(scope, blobApi.download, {
      handler: async ({ params, request, reply }) => {
        const token = params['*'];
        try {
          // Sizes and ranges are the plaintext's: the object is decrypted as it is sent.
          const { stream, size, range } = await local.send(token, (objectSize) => {
            void reply.header('content-range', `bytes */${objectSize}`);
            return parseRangeHeader(request.headers.range, objectSize);
          });
          void reply
            .header('content-type', 'application/octet-stream')
            .header('accept-ranges', 'bytes');
          if (range === undefined) {
            reply.removeHeader('content-range');
            return await reply.header('content-length', size).send(stream);
          }
          const end = range.offset + range.length - 1;
          return await reply
            .code(206)
            .header('content-range', `bytes ${range.offset}-${end}/${size}`)
            .header('content-length', range.length)
            .send(stream);
        } catch (error) {
          throw toApiError(error);
        }
      },
    });
    done();
  });
}
