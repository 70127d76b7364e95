import type { FastifyRequest } from 'fastify';
import { PUSH_HEADERS } from '../../src-shared/cloud/pages.js';
import { ApiError } from '../http/apiError.js';
import type { PushIdentity } from './pageService.js';

const VERSION = /^(?:W\/)?"?(\d{1,9})"?$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MUTATION_NO = /^[1-9]\d{0,14}$/;

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * A page push names its base version (`If-Match: <version>`, required: 428 without it), the
 * pushing client (`X-Client-Id`) and that client's mutation number (`X-Mutation-No`).
 */
export function pushIdentity(request: FastifyRequest): PushIdentity {
  const ifMatch = header(request, PUSH_HEADERS.baseVersion);
  if (ifMatch === undefined) {
    throw new ApiError(
      428,
      'precondition_required',
      'If-Match: <version> is required; send the version your copy is based on',
    );
  }
  const version = VERSION.exec(ifMatch.trim());
  if (version === null) {
    throw new ApiError(400, 'invalid_if_match', 'If-Match must be a page version number', [
      'headers',
      'if-match',
    ]);
  }
  const clientId = header(request, PUSH_HEADERS.clientId);
  if (clientId === undefined || !CLIENT_ID.test(clientId)) {
    throw new ApiError(
      400,
      'client_id_required',
      'X-Client-Id must be 1-64 letters, digits, _ or -',
      ['headers', 'x-client-id'],
    );
  }
  const mutationNo = header(request, PUSH_HEADERS.mutationNo);
  if (mutationNo === undefined || !MUTATION_NO.test(mutationNo)) {
    throw new ApiError(
      400,
      'mutation_no_required',
      'X-Mutation-No must be a positive integer, increasing per client',
      ['headers', 'x-mutation-no'],
    );
  }
  return { ifMatch: Number(version[1]), clientId, mutationNo: Number(mutationNo) };
}
