/**
 * The error answer. Every 4xx and 5xx has the body `{"error": {"code", "message"}}`; the message is for
 * people, free of secrets, and never quotes the request body. README "HTTP API" lists when each code is sent.
 */
import { z } from 'zod';

export const ApiErrorCodeSchema = z.enum([
  /** 400: a missing or wrong field (named), a body that is not UTF-8 or empty, a destination or region refused. */
  'bad_request',
  /** 400: the body is not JSON. */
  'invalid_json',
  /** 401: the access or refresh token is missing, forged, expired or its session was ended. */
  'unauthorized',
  /** 401: wrong user name or password, or a sign-in the user pool did not accept. */
  'invalid_credentials',
  /**
   * 401 on POST /session/refresh: the directory or the user pool ended the sign-in (another account under
   * the name, the password changed, to be changed or expired, the account locked, disabled or gone); the
   * message says which. Every token of the sign-in has stopped working.
   */
  'session_ended',
  /** 401 on POST /session/refresh: a refresh token was used twice, so the whole sign-in ended, every copy of it. */
  'refresh_reused',
  /** 403: not assigned this (account, permission set). */
  'forbidden',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  /** 406: the answer is too large to send uncompressed (over 5 MiB of JSON) and the request did not accept gzip. */
  'not_acceptable',
  'unsupported_media_type',
  /** 409 on POST /federate: assigned, but the role is not in place (the last reconcile could not create or repair it). */
  'role_unavailable',
  /** 403 on POST /federate: the pair is the person's on request only (eligible), and no grant covers it now. */
  'grant_required',
  /** 409 on POST /federate: the grant covering the pair ends too soon for the shortest session AWS gives (15 minutes). */
  'grant_ending',
  /** 409 on the elevation routes: the request is not in a state that allows this change, or the pair already has an open request. */
  'conflict',
  /** 429: repeated failed sign-ins for one user name (with Retry-After). */
  'too_many_attempts',
  'internal',
  /** 502: the identity pool, STS or the federation endpoint refused or failed. */
  'upstream_failure',
  /** 503: no policy has been published yet, or the policy bucket cannot be read. */
  'policy_unavailable',
  /** 503: the directory or the user pool did not answer. */
  'directory_unavailable',
  /** 503: the state table (sessions, requests, last use) did not answer. */
  'state_unavailable',
  /** 403 on POST /credentials: the permission set is console-only (`cli: false` in its file). */
  'console_only',
  /** 400 on POST /session/cli: the code is unknown, used, expired, or the verifier or redirectUri does not match it (the message says which). */
  'invalid_grant',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

export const ApiErrorBodySchema = z.object({
  error: z.object({ code: ApiErrorCodeSchema, message: z.string() }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;
