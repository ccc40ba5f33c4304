/**
 * Maps what the backend (or the network) did into a `Failure` the popup can show.
 * Messages never contain tokens, passwords or console URLs.
 */
import { z } from 'zod';
import { ApiErrorBodySchema, type ApiErrorCode } from '../../shared/api/errors.ts';
import type { Failure, FailureKind } from '../messages.ts';

/** The contract's error body, read with any `code`: a newer backend may send a code this extension does not know, and its message still shows. */
const ErrorBodySchema = z.object({ error: ApiErrorBodySchema.shape.error.extend({ code: z.string() }) });

export class ApiFailure extends Error {
  readonly kind: FailureKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** The backend's own sentence, when it sent one (a refusal in its words). */
  readonly serverMessage: string | undefined;

  constructor(kind: FailureKind, message: string, status?: number, code?: string, serverMessage?: string) {
    super(message);
    this.name = 'ApiFailure';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
  }

  toFailure(): Failure {
    return { ok: false, kind: this.kind, message: this.message };
  }
}

const MAX_SERVER_MESSAGE_LENGTH = 200;

/** The backend's own error message, if the body is a well-formed `ApiErrorBody`. */
export function serverErrorOf(body: unknown): { code: string; message: string } | undefined {
  const parsed = ErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const message = parsed.data.error.message.trim().slice(0, MAX_SERVER_MESSAGE_LENGTH);
  return { code: parsed.data.error.code, message };
}

export function failureFromHttp(status: number, body: unknown): ApiFailure {
  const server = serverErrorOf(body);
  const code = server?.code;
  const detail = server?.message ? `: ${server.message}` : '';
  const invalidCredentials: ApiErrorCode = 'invalid_credentials';
  if (code === invalidCredentials) {
    return new ApiFailure('invalid-credentials', 'Wrong username or password.', status, code);
  }
  if (status === 401) {
    return new ApiFailure('signed-out', 'Your session has ended. Please sign in again.', status, code);
  }
  if (status === 403) {
    return new ApiFailure('forbidden', `Not allowed${detail || ': you are not entitled to this account and role.'}`, status, code, server?.message);
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new ApiFailure('bad-request', `The backend rejected the request (HTTP ${status})${detail}`, status, code, server?.message);
  }
  return new ApiFailure('server', `The backend failed (HTTP ${status})${detail}`, status, code);
}

export function unreachable(baseUrl: string, reason: 'network' | 'timeout'): ApiFailure {
  const why = reason === 'timeout' ? 'did not answer in time' : 'could not be reached';
  return new ApiFailure('unreachable', `The Switchyard backend at ${baseUrl} ${why}. Check your network or VPN.`);
}

export function unexpectedAnswer(what: string): ApiFailure {
  return new ApiFailure('server', `The backend sent an unexpected answer to ${what}.`);
}
