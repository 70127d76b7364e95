/**
 * A failure talking to Weebum Cloud, with a stable code the UI translates. Network and TLS
 * failures get codes of their own; API errors keep the server's code; an answer that breaks
 * the route's contract (src-shared/cloud) is `cloud_protocol`.
 */
export class CloudError extends Error {
  override readonly name = 'CloudError';
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status, or 0 when no answer came. */
    readonly status: number,
    readonly retryAfterSeconds?: number,
    readonly details: {
      /** The route called, as `GET /v1/albums/:albumId/changes`. */
      readonly route?: string;
      /** 412 `version_conflict`: the server's current copy, still to be parsed by the caller. */
      readonly current?: unknown;
    } = {},
  ) {
    super(message);
  }

  get route(): string | undefined {
    return this.details.route;
  }

  /** Worth retrying later: no answer, or the server's own trouble. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

/** Maps a socket-level error to what the user can act on. */
export function networkError(error: unknown): CloudError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TLS_CODES.has(code)) {
    return new CloudError(
      'untrusted_certificate',
      'The server’s certificate is not trusted; check the server address and its CA file',
      0,
    );
  }
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
    return new CloudError('timeout', 'The server did not answer in time', 0);
  }
  return new CloudError('server_unreachable', 'The server cannot be reached', 0);
}
