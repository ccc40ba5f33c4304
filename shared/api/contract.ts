/**
 * The HTTP API between the extension and the backend.
 * Every error answer has the body `ApiErrorBody`; every success answer is JSON.
 */
import { z } from 'zod';
import { AWS_REGION_NAME } from '../console/partitions.ts';

export const MAX_REQUEST_BODY_BYTES = 16 * 1024;

/** One (account, permission set) pair a person may open, with what the popup shows. */
export interface Entitlement {
  accountId: string;
  accountName: string;
  /** CSS colour for the account, e.g. "#d13212". */
  color?: string;
  /** Regions the account is used in; the first is the default console region. */
  regions: string[];
  permissionSet: string;
  description?: string;
  /** Console session length in seconds. */
  sessionDurationSeconds: number;
  /** Popup search: the account's tags and organizational unit path, when it has them. */
  tags?: Record<string, string>;
  ouPath?: string;
}

export interface SessionUser {
  /** Stable identifier (directory user principal name or Cognito `sub`). */
  id: string;
  displayName: string;
  groups: string[];
}

// --- Sign-in: directory and Cognito sign-in, refresh, sign-out -------------------------

/** How a deployment lets people sign in: user name and password against its directory, or a Cognito user pool. */
export type SignInMethod = 'directory' | 'cognito';

/** C0 and C1 control characters and DEL: never part of a name someone types. */
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** Limits in characters; the API answers 400 beyond them, naming the field (never quoting it). */
export const MAX_USERNAME_LENGTH = 256;
export const MAX_PASSWORD_LENGTH = 1024;

export const SessionRequestSchema = z.strictObject({
  username: z
    .string()
    .trim()
    .min(1, 'username is required')
    .max(MAX_USERNAME_LENGTH, `username is longer than ${MAX_USERNAME_LENGTH} characters`)
    .refine((value) => !hasControlCharacter(value), 'username must not contain control characters'),
  password: z
    .string()
    .min(1, 'password is required')
    .max(MAX_PASSWORD_LENGTH, `password is longer than ${MAX_PASSWORD_LENGTH} characters`)
    .refine((value) => !value.includes('\u0000'), 'password must not contain a NUL character'),
});
export type SessionRequest = z.infer<typeof SessionRequestSchema>;

/**
 * `POST /session/cognito`: the authorization code the extension got from the user pool's hosted UI
 * (OAuth 2.0 code flow with PKCE). The backend redeems it at the pool's token endpoint.
 */
export const CognitoSessionRequestSchema = z.strictObject({
  code: z
    .string()
    .min(1)
    .max(2048)
    .regex(/^[\w.~-]+$/, 'code must be the authorization code from the hosted UI'),
  codeVerifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'codeVerifier must be a PKCE code verifier (43 to 128 characters, RFC 7636)'),
  /** The extension's `identity.getRedirectURL()`, exactly as sent to the authorize endpoint. */
  redirectUri: z.string().max(512).url('redirectUri must be a URL'),
  clientId: z.string().regex(/^[\w+]{1,128}$/, 'clientId must be a user pool app client id'),
});
export type CognitoSessionRequest = z.infer<typeof CognitoSessionRequestSchema>;

const REFRESH_TOKEN = z.string().min(1, 'refreshToken is required').max(8192, 'refreshToken is too long');

/** `POST /session/refresh`: a new access token, with the person's groups read again from the directory or pool. */
export const RefreshRequestSchema = z.strictObject({ refreshToken: REFRESH_TOKEN });
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

/** `POST /session/sign-out`: ends the session on the server (the Bearer token, the refresh token, or both). */
export const SignOutRequestSchema = z.strictObject({ refreshToken: REFRESH_TOKEN.optional() });
export type SignOutRequest = z.infer<typeof SignOutRequestSchema>;

export interface SessionResponse {
  /** Bearer token for later calls, valid for minutes. Keep in memory (`storage.session`) only. */
  token: string;
  /** ISO 8601 instant at which the token stops working. */
  expiresAt: string;
  /**
   * Trades for a new token at `POST /session/refresh` until `refreshExpiresAt`; each refresh reads the
   * person's groups again. Absent when the deployment cannot look people up without their password
   * (LDAP without a service account): then the session ends with the token.
   */
  refreshToken?: string;
  refreshExpiresAt?: string;
  /** How the person signed in. */
  source: SignInMethod;
  user: SessionUser;
  /** In display order (shared/entitlements.ts compareEntitlements). */
  entitlements: Entitlement[];
}

/** The public part of a user pool's app client: what the extension needs to start the hosted UI. */
export interface CognitoPublicSettings {
  /** The hosted UI's base URL, e.g. "https://login.example.com" or "https://x.auth.eu-west-1.amazoncognito.com". */
  domain: string;
  clientId: string;
  scopes: string[];
}

/** `GET /auth/config` (no authentication): the sign-in methods this deployment offers. */
export interface AuthConfigResponse {
  methods: SignInMethod[];
  /** Present when `methods` includes "cognito". */
  cognito?: CognitoPublicSettings;
}

export interface SignOutResponse {
  ok: true;
}

export interface EntitlementsResponse {
  user: SessionUser;
  /** In display order (shared/entitlements.ts compareEntitlements). */
  entitlements: Entitlement[];
}

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

// ---- The click: POST /federate. docs/console-access.md is the contract in prose. ----

/** A region name of any AWS partition (shared/console/partitions.ts); whether it belongs to the deployment's partition is checked by the API. */
export const REGION_PATTERN = AWS_REGION_NAME;
/** Longest destination the API reads; longer ones are a 400. */
export const MAX_DESTINATION_LENGTH = 2048;

export const FederateRequestSchema = z.strictObject({
  accountId: z.string().regex(ACCOUNT_ID_PATTERN, 'accountId must be exactly 12 digits'),
  permissionSet: z.string().min(1).max(64),
  /**
   * Console region. It must belong to the deployment's partition (aws, aws-us-gov or aws-cn), else 400.
   * When left out: the destination's own region, else the account's first region, else the deployment's.
   * When the destination names another region, the answer is a 400 (a region is never silently replaced).
   */
  region: z.string().max(32).regex(REGION_PATTERN, 'region must be an AWS region name such as eu-west-1').optional(),
  /**
   * Where the console opens: a console path ("/ec2/home#Instances:") or a full console URL of the deployment's
   * partition, as copied from the address bar ("https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1").
   * Checked by shared/console/destination.ts (checkConsoleDestination); anything else is a 400 whose message says why.
   */
  destination: z
    .string()
    .min(1, 'destination must not be empty: leave it out for the console home')
    .max(MAX_DESTINATION_LENGTH, `destination must be at most ${MAX_DESTINATION_LENGTH} characters`)
    .optional(),
});
export type FederateRequest = z.infer<typeof FederateRequestSchema>;

export interface FederateResponse {
  /** Console sign-in URL: a bearer secret valid for 15 minutes. Open it; never log or store it. */
  url: string;
}

/** Error codes of POST /federate besides the common ones (docs/console-access.md has the full table). */
export type FederateErrorCode =
  /** 409: the person is assigned this (account, permission set) but its role is not in place (the last reconcile could not create or repair it). */
  | 'role_unavailable'
  /** 503: no policy has been published yet, or the policy bucket cannot be read. Also on GET /entitlements and POST /session. */
  | 'policy_unavailable';

// ---- end of the click's block ----

export type ApiErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'upstream_failure'
  | FederateErrorCode
  | 'internal'
  // sign-in: repeated failures for one user name (429, with Retry-After); the directory or user pool not answering (503)
  | 'too_many_attempts'
  | 'directory_unavailable';

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export const API_ROUTES = {
  session: '/session',
  entitlements: '/entitlements',
  federate: '/federate',
  health: '/health',
  // sign-in
  authConfig: '/auth/config',
  sessionCognito: '/session/cognito',
  sessionRefresh: '/session/refresh',
  sessionSignOut: '/session/sign-out',
} as const;
