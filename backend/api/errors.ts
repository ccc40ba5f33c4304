/** Errors as HTTP answers: the one place that says which status and code an error gets. */
import { HTTPException } from 'hono/http-exception';
import type { ApiErrorBody, ApiErrorCode } from '../../shared/api/errors.ts';
import { MAX_REQUEST_BODY_BYTES } from '../../shared/api/routes.ts';
import { PolicyUnavailable } from '../api-policy/policy-source.ts';

/** An expected failure a route raises to answer with a 4xx/5xx error body. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 502 | 503,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(code: ApiErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

/** The answer an expected failure gets; undefined for an unexpected one (a 500, logged with its cause). */
export function httpErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof PolicyUnavailable) return new HttpError(503, 'policy_unavailable', error.message);
  if (error instanceof HTTPException && error.status === 413) {
    return new HttpError(413, 'payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
  }
  return undefined;
}
