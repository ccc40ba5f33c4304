import type { ApiErrorBody, ApiErrorCode } from '../../shared/api/contract.ts';

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
