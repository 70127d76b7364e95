/**
 * The upload API calls the queue makes: thin functions over `cloud.call` with the route specs
 * of src-shared/cloud/uploads.ts and photos.ts, so the steps read as what they ask for.
 */
import { photoApi, type PhotoView } from '../../../src-shared/cloud/photos.js';
import type { ReplyOf } from '../../../src-shared/cloud/routeSpec.js';
import {
  uploadApi,
  type AcceptedContentType,
  type UploadView,
} from '../../../src-shared/cloud/uploads.js';
import type { CloudSession } from '../cloud/cloudSession.js';
import type { PartDone } from '../store/uploadQueueRepository.js';

/** What the queue needs of a server photo: the check answers only these (any status text). */
export type ServerPhoto = Pick<PhotoView, 'id' | 'failure'> & { readonly status: string };

/** What starts (or resumes) one photo's upload on the server. */
export interface UploadRequest {
  readonly sha256: string;
  readonly size: number;
  readonly fileName: string;
  readonly contentType: AcceptedContentType;
}

export type StartBatchResults = ReplyOf<typeof uploadApi.startBatch>['results'];

export function createUploadCalls(cloud: Pick<CloudSession, 'call'>) {
  return {
    /** The album's photos with these hashes, by lower-case hash. */
    async checkHashes(albumId: string, hashes: string[]): Promise<Map<string, ServerPhoto>> {
      const { existing } = await cloud.call(uploadApi.check, {
        params: { albumId },
        body: { hashes },
      });
      return new Map(
        existing.map((e) => [
          e.sha256.toLowerCase(),
          { id: e.photoId, status: e.status, failure: null },
        ]),
      );
    },
    start: (albumId: string, request: UploadRequest): Promise<UploadView> =>
      cloud.call(uploadApi.start, { params: { albumId }, body: request }),
    /** One answer per request, in order. */
    startBatch: async (albumId: string, uploads: UploadRequest[]): Promise<StartBatchResults> =>
      (await cloud.call(uploadApi.startBatch, { params: { albumId }, body: { uploads } })).results,
    recordPart: (albumId: string, serverId: string, part: PartDone) =>
      cloud.call(uploadApi.recordPart, { params: { albumId, photoId: serverId }, body: part }),
    complete: (albumId: string, serverId: string): Promise<ServerPhoto> =>
      cloud.call(uploadApi.complete, { params: { albumId, photoId: serverId } }),
    /** The photo as the server has it now (its status while it is being verified). */
    photo: (albumId: string, serverId: string): Promise<PhotoView> =>
      cloud.call(photoApi.get, { params: { albumId, photoId: serverId } }),
  };
}
export type UploadCalls = ReturnType<typeof createUploadCalls>;
