/**
 * Sessions: `POST /session` (directory sign-in), `POST /session/cognito` (user pool sign-in),
 * `POST /session/refresh` and `POST /session/sign-out`. docs/sign-in.md describes them in prose.
 */
import { z } from 'zod';
import { SignInMethodSchema } from './auth-config.ts';
import { EntitlementSchema } from './entitlements.ts';
import { PersonSchema } from './person.ts';

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

/** `POST /session`: sign in with user name and password against the directory. */
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

/** The answer to every sign-in and to a refresh. */
export const SessionResponseSchema = z.object({
  /** Bearer token for later calls, valid for minutes. Keep in memory (`storage.session`) only. */
  token: z.string().min(1),
  /** ISO 8601 instant at which the token stops working. */
  expiresAt: z.string(),
  /**
   * Trades for a new token at `POST /session/refresh` until `refreshExpiresAt`; each refresh reads the
   * person's groups again. Absent when the deployment cannot look people up without their password
   * (LDAP without a service account): then the session ends with the token.
   */
  refreshToken: z.string().min(1).optional(),
  refreshExpiresAt: z.string().optional(),
  /** How the person signed in. */
  source: SignInMethodSchema,
  user: PersonSchema,
  /** In display order (shared/entitlements.ts compareEntitlements). */
  entitlements: z.array(EntitlementSchema),
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

/** `POST /session/sign-out`: ends the session on the server (the Bearer token, the refresh token, or both). */
export const SignOutRequestSchema = z.strictObject({ refreshToken: REFRESH_TOKEN.optional() });
export type SignOutRequest = z.infer<typeof SignOutRequestSchema>;

export const SignOutResponseSchema = z.object({ ok: z.literal(true) });
export type SignOutResponse = z.infer<typeof SignOutResponseSchema>;
