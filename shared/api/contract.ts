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

// ---- The click (issue 7): POST /federate. docs/console-access.md is the contract in prose. ----

/** A region's shape; whether it belongs to the deployment's partition is checked by the API (shared/console/partitions.ts). */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
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
  region: z.string().max(32).regex(REGION_PATTERN, 'region must look like eu-west-1').optional(),
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
