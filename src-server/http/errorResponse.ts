import type { ErrorBody } from '../../src-shared/cloud/errorBody.js';
import { ApiError } from './apiError.js';

export interface ErrorResponse {
  readonly statusCode: number;
  readonly body: ErrorBody;
  /** Unexpected: log it with its stack. Expected client errors are not logged (P13). */
  readonly unexpected: boolean;
}

/** What Fastify and ajv put on the errors they raise; everything optional, checked at runtime. */
interface FrameworkErrorShape {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

interface AjvIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

const FRAMEWORK_CODES: Readonly<Record<string, { status: number; code: string; message: string }>> =
  {
    FST_ERR_CTP_INVALID_JSON_BODY: {
      status: 400,
      code: 'invalid_json',
      message: 'The request body is not valid JSON',
    },
    FST_ERR_CTP_EMPTY_JSON_BODY: {
      status: 400,
      code: 'invalid_json',
      message: 'The request body is empty but JSON was declared',
    },
    FST_ERR_CTP_BODY_TOO_LARGE: {
      status: 413,
      code: 'payload_too_large',
      message: 'The request body is too large',
    },
    FST_ERR_CTP_INVALID_MEDIA_TYPE: {
      status: 415,
      code: 'unsupported_media_type',
      message: 'The request body must be application/json',
    },
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
      status: 400,
      code: 'bad_request',
      message: 'Content-Length does not match the body',
    },
  };

const errorBody = (code: string, message: string, path?: (string | number)[]): ErrorBody => ({
  error: path === undefined ? { code, message } : { code, message, path },
});

/**
 * Maps any thrown value to the one error format. 5xx answers never carry details: the
 * message and stack go to the log only.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    const body = errorBody(error.code, error.message, error.path ? [...error.path] : undefined);
    return {
      statusCode: error.statusCode,
      body: error.current === undefined ? body : { ...body, current: error.current },
      unexpected: false,
    };
  }
  const shape: FrameworkErrorShape = typeof error === 'object' && error !== null ? error : {};
  if (Array.isArray(shape.validation)) {
    return validationResponse(shape.validation as AjvIssue[], shape.validationContext);
  }
  const known = typeof shape.code === 'string' ? FRAMEWORK_CODES[shape.code] : undefined;
  if (known !== undefined) {
    return {
      statusCode: known.status,
      body: errorBody(known.code, known.message),
      unexpected: false,
    };
  }
  const status = typeof shape.statusCode === 'number' ? shape.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Other client errors raised by Fastify (bad URL, bad headers): safe, but no details.
    return { statusCode: status, body: errorBody('bad_request', 'Bad request'), unexpected: false };
  }
  return {
    statusCode: 500,
    body: errorBody('internal_error', 'Internal server error'),
    unexpected: true,
  };
}

function validationResponse(issues: AjvIssue[], context: unknown): ErrorResponse {
  const first = issues[0] ?? {};
  const path: (string | number)[] = typeof context === 'string' ? [context] : [];
  for (const segment of (first.instancePath ?? '').split('/').slice(1)) {
    // JSON Pointer escapes (RFC 6901).
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    path.push(/^\d+$/.test(key) ? Number(key) : key);
  }
  let reason = first.message ?? 'is invalid';
  const params = first.params ?? {};
  if (
    first.keyword === 'additionalProperties' &&
    typeof params['additionalProperty'] === 'string'
  ) {
    path.push(params['additionalProperty']);
    reason = 'is not a known field';
  } else if (first.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    path.push(params['missingProperty']);
    reason = 'is required';
  }
  const where = path.length > 0 ? path.join('.') : 'request';
  return {
    statusCode: 400,
    body: errorBody('validation_failed', `${where}: ${reason}`, path),
    unexpected: false,
  };
}
