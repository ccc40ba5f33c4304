/**
 * The HTTP API between the extension and the backend.
 * Every error answer has the body `ApiErrorBody`; every success answer is JSON.
 */
import { z } from 'zod';

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
  /** Popup search (issue 9): the account's tags and organizational unit path, when it has them. */
  tags?: Record<string, string>;
  ouPath?: string;
}

export interface SessionUser {
  /** Stable identifier (directory user principal name or Cognito `sub`). */
  id: string;
  displayName: string;
  groups: string[];
}

export const SessionRequestSchema = z.strictObject({
  username: z.string().trim().min(1, 'username is required').max(256),
  password: z.string().min(1, 'password is required').max(1024),
});
export type SessionRequest = z.infer<typeof SessionRequestSchema>;

export interface SessionResponse {
  /** Bearer token for later calls. Keep in memory (`storage.session`) only. */
  token: string;
  /** ISO 8601 instant at which the token stops working. */
  expiresAt: string;
  user: SessionUser;
  /** In display order (shared/entitlements.ts compareEntitlements). */
  entitlements: Entitlement[];
}

export interface EntitlementsResponse {
  user: SessionUser;
  /** In display order (shared/entitlements.ts compareEntitlements). */
  entitlements: Entitlement[];
}

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

export const FederateRequestSchema = z.strictObject({
  accountId: z.string().regex(ACCOUNT_ID_PATTERN, 'accountId must be exactly 12 digits'),
  permissionSet: z.string().min(1).max(64),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'region must look like eu-west-1')
    .optional(),
  /** Console path to land on, e.g. "/ec2/home". Must start with "/". */
  destination: z
    .string()
    .max(2048)
    .regex(/^\/[^\s]*$/, 'destination must be a console path starting with /')
    .optional(),
});
export type FederateRequest = z.infer<typeof FederateRequestSchema>;

export interface FederateResponse {
  /** Console sign-in URL: a bearer secret valid for 15 minutes. Open it; never log or store it. */
  url: string;
}

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
  | 'internal';

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export const API_ROUTES = {
  session: '/session',
  entitlements: '/entitlements',
  federate: '/federate',
  health: '/health',
} as const;
