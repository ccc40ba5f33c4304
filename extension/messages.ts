/**
 * Messages between the popup and the background, named by direction.
 * The popup sends a `PopupToBackground` message; the background validates it and answers with a `BackgroundReply`.
 * Secrets that travel: the password (popup -> background, once). The session token and console URLs never leave
 * the background.
 */
import { z } from 'zod';
import { FederateRequestSchema, SessionRequestSchema } from '../shared/api/contract.ts';
import type { Entitlement, SessionUser } from '../shared/api/contract.ts';
import { DISPOSITIONS } from './open-disposition.ts';
import type { OpenedIn } from './open-disposition.ts';

export const PopupToBackgroundSchema = z.discriminatedUnion('type', [
  /** What the popup shows on open: the signed-in person and the cached entitlements, or nothing. */
  z.strictObject({ type: z.literal('session/get') }),
  z.strictObject({ type: z.literal('session/sign-in'), credentials: SessionRequestSchema }),
  z.strictObject({ type: z.literal('session/sign-out') }),
  /** Fetch the entitlements again and update the cache (the popup reads the list from the cache itself). */
  z.strictObject({ type: z.literal('entitlements/refresh') }),
  /**
   * Ask the backend for a console sign-in URL and open it where the disposition says (default: the
   * person's setting). The destination (a console path or console URL) is checked by the backend,
   * whose refusal the popup shows as it is.
   */
  z.strictObject({
    type: z.literal('console/open'),
    target: FederateRequestSchema.pick({ accountId: true, permissionSet: true, region: true }).extend({
      destination: z.string().min(1).max(2048).optional(),
    }),
    disposition: z.enum(DISPOSITIONS).optional(),
  }),
]);
export type PopupToBackground = z.infer<typeof PopupToBackgroundSchema>;
export type PopupToBackgroundType = PopupToBackground['type'];

/** What went wrong, in terms the popup can act on. */
export type FailureKind =
  /** No session, or the backend refused the token (401): show sign-in. */
  | 'signed-out'
  /** The session ran out; the cached list is kept: the popup shows it read-only and asks to sign in again. */
  | 'expired'
  /** Wrong username or password. */
  | 'invalid-credentials'
  /** Signed in, but not entitled to this account and permission set (403). */
  | 'forbidden'
  /** The backend could not be reached at all. */
  | 'unreachable'
  /** No backend URL is set: neither company policy, the options page nor the build gave one. */
  | 'not-configured'
  /** The message or request was malformed (a bug, or a bad value typed in). */
  | 'bad-request'
  /** The backend or something behind it failed. */
  | 'server';

export interface Failure {
  ok: false;
  kind: FailureKind;
  /** Human-readable and free of secrets: safe to show in the popup. */
  message: string;
}

export interface SignedInState {
  user: SessionUser;
  entitlements: Entitlement[];
  /** ISO 8601 instant of the last successful fetch of the entitlements. */
  fetchedAt: string;
}

export type SessionState = { signedIn: false } | ({ signedIn: true } & SignedInState);

/** The answer to a refresh: the list itself is in the cache; `changed` says whether to read it again. */
export interface ListRefreshed {
  /** listVersion of the cached list (extension/list-cache/). */
  version: string;
  changed: boolean;
  fetchedAt: string;
}

export interface ConsoleOpened {
  opened: OpenedIn;
  /** The Firefox container's name, when the console opened in one. */
  container?: string;
}

/** The success payload for each message type. */
export interface BackgroundReplies {
  'session/get': SessionState;
  'session/sign-in': SignedInState;
  'session/sign-out': Record<never, never>;
  'entitlements/refresh': ListRefreshed;
  'console/open': ConsoleOpened;
}

export type BackgroundReply<T extends PopupToBackgroundType> = ({ ok: true } & BackgroundReplies[T]) | Failure;

/** Parses an incoming message; the error names the offending field without echoing values (it may hold a password). */
export function parsePopupToBackground(raw: unknown): { ok: true; message: PopupToBackground } | { ok: false; error: string } {
  const result = PopupToBackgroundSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'message';
  return { ok: false, error: `invalid ${where}: ${issue?.message ?? 'unrecognised message'}` };
}
