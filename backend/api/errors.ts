/** Errors as HTTP answers: the one place that says which status and code an error gets. */
import { HTTPException } from 'hono/http-exception';
import type { ApiErrorBody, ApiErrorCode } from '../../shared/api/errors.ts';
import { MAX_REQUEST_BODY_BYTES } from '../../shared/api/routes.ts';
import { PolicyUnavailable } from '../api-policy/policy-source.ts';
import { DirectoryUnavailable } from '../auth/directory.ts';
import { CurrentGroupsUnavailable } from '../elevation/current-groups.ts';
import { ElevationRefused } from '../elevation/elevation.ts';
import { StateUnavailable } from '../state/state-table.ts';

/** An expected failure a route raises to answer with a 4xx/5xx error body. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 405 | 406 | 409 | 413 | 415 | 429 | 500 | 502 | 503,
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
  if (error instanceof ElevationRefused) return elevationAnswer(error);
  if (error instanceof StateUnavailable)
    return new HttpError(503, 'state_unavailable', 'Switchyard could not reach its state table; try again in a minute');
  if (error instanceof CurrentGroupsUnavailable) return new HttpError(503, 'directory_unavailable', error.message);
  if (error instanceof DirectoryUnavailable)
    return new HttpError(503, 'directory_unavailable', 'the company directory did not answer; try again in a minute');
  if (error instanceof HTTPException && error.status === 413) {
    return new HttpError(413, 'payload_too_large', `the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
  }
  return undefined;
}

function elevationAnswer(error: ElevationRefused): HttpError {
  switch (error.kind) {
    case 'bad_request':
      return new HttpError(400, 'bad_request', error.message);
    case 'forbidden':
      return new HttpError(403, 'forbidden', error.message);
    case 'not_found':
      return new HttpError(404, 'not_found', error.message);
    case 'conflict':
      return new HttpError(409, 'conflict', error.message);
    case 'grant_required':
      return new HttpError(403, 'grant_required', error.message);
    case 'grant_ending':
      return new HttpError(409, 'grant_ending', error.message);
  }
}
