/**
 * Messages between the popup and the background, named by direction.
 * The popup sends a `PopupToBackground` message; the background validates it and answers with a `BackgroundReply`.
 * Secrets that travel: the password (popup -> background, once). The session token and console URLs never leave
 * the background.
 */
import { z } from 'zod';
import { FederateRequestSchema } from '../shared/api/federate.ts';
import { CancelRequestSchema, CreateRequestSchema, ExtendGrantSchema, REQUEST_ID_PATTERN, RevokeRequestSchema } from '../shared/api/requests.ts';
import type { RequestView } from '../shared/api/requests.ts';
import { SessionRequestSchema } from '../shared/api/session.ts';
import type { SignInMethod } from '../shared/api/auth-config.ts';
import type { Entitlement } from '../shared/api/entitlements.ts';
import type { Person } from '../shared/api/person.ts';
import { DISPOSITIONS } from './open-disposition.ts';
import type { OpenedIn } from './open-disposition.ts';

const RequestIdSchema = z.string().regex(REQUEST_ID_PATTERN, 'not a request id');

export const PopupToBackgroundSchema = z.discriminatedUnion('type', [
  /** What the popup shows on open: the signed-in person and the cached entitlements, or nothing. */
  z.strictObject({ type: z.literal('session/get') }),
  z.strictObject({ type: z.literal('session/sign-in'), credentials: SessionRequestSchema }),
  /** Single sign-on: the background runs the user pool's hosted UI (identity.launchWebAuthFlow) and signs in with its code. */
  z.strictObject({ type: z.literal('session/sign-in-cognito') }),
  /** Ends the session on the server too; the cached list goes. */
  z.strictObject({ type: z.literal('session/sign-out') }),
  /** Which ways of signing in to offer (the extension's settings, else what the backend says). */
  z.strictObject({ type: z.literal('auth/methods') }),
  /** The backend URL in force and whether company policy set it (the sign-in screen's footer). */
  z.strictObject({ type: z.literal('settings/backend') }),
  /** Fetch the entitlements again and update the cache (the popup reads the list from the cache itself). */
  z.strictObject({ type: z.literal('entitlements/refresh') }),
  /**
   * The popup drew the whole list of this version: keep its head (its first rows and the rows of the person's
   * favourites and recents, whose keys these are) so that the next open draws from it (compact-list-build.ts, listHead).
   */
  z.strictObject({
    type: z.literal('list/keep-head'),
    version: z.string().min(1).max(128),
    rows: z.array(z.number().int().nonnegative()).max(1000),
    keys: z.array(z.string().min(1).max(512)).max(1000),
  }),
  /**
   * Ask the backend for a console sign-in URL and open it where the disposition says (default: the
   * person's setting). The destination (a console path or console URL) is checked by the backend,
   * whose refusal the popup shows as it is.
   */
  /**
   * The console sessions the extension knows to be open (their pairs), the console's mode, and whether the
   * browser holds as many sessions as the console allows. The background first reads the address of the
   * tab the person is looking at (activeTab), which may tell it the mode and a session's host.
   */
  z.strictObject({ type: z.literal('console/sessions') }),
  z.strictObject({
    type: z.literal('console/open'),
    target: FederateRequestSchema.pick({ accountId: true, permissionSet: true, region: true }).extend({
      destination: z.string().min(1).max(2048).optional(),
    }),
    disposition: z.enum(DISPOSITIONS).optional(),
  }),
  /** Ask for an eligible pair (elevation, docs/elevation.md) for a while, with a justification. */
  z.strictObject({ type: z.literal('request/create'), request: CreateRequestSchema }),
  /**
   * The popup's cheap check while a request of the person waits: the person's open requests as
   * "<id>:<state>" (pending or active), which the popup compares with its list's before it refreshes it.
   */
  z.strictObject({ type: z.literal('requests/open') }),
  /** The requests the person may approve now (the "To approve" view). */
  z.strictObject({ type: z.literal('approvals/list') }),
  /** How many requests wait for the person's approval: the popup's "To approve (n)" on open, as last heard if that was recent. */
  z.strictObject({ type: z.literal('approvals/count') }),
  /** Approve or deny a request, with a reason (a denial must give one: the backend says so). */
  z.strictObject({
    type: z.literal('request/decide'),
    id: RequestIdSchema,
    decision: z.enum(['approve', 'deny']),
    reason: z.string().max(500).optional(),
  }),
  /** The requester withdraws a pending request. */
  z.strictObject({ type: z.literal('request/cancel'), id: RequestIdSchema, ...CancelRequestSchema.shape }),
  /** End an active grant now: the requester giving it back, or an approver of the pair; with a reason. */
  z.strictObject({ type: z.literal('grant/revoke'), id: RequestIdSchema, ...RevokeRequestSchema.shape }),
  /** The requester extends an active grant, within the rule's extensions. */
  z.strictObject({ type: z.literal('grant/extend'), id: RequestIdSchema, ...ExtendGrantSchema.shape }),
]);
export type PopupToBackground = z.infer<typeof PopupToBackgroundSchema>;
export type PopupToBackgroundType = PopupToBackground['type'];

/** What went wrong, in terms the popup can act on. */
export type FailureKind =
  /** No session: show sign-in. */
  | 'signed-out'
  /** The session ran out (or was ended elsewhere) and could not be renewed: ask to sign in again; the cached list is kept. */
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
  user: Person;
  entitlements: Entitlement[];
  /** ISO 8601 instant of the last successful fetch of the entitlements. */
  fetchedAt: string;
}

/**
 * What `session/get` answers: signed in; never signed in or signed out (nothing kept); or expired: the
 * session ran out, the person must sign in again, and the list they last saw is kept (`user`,
 * `entitlements`, `fetchedAt` of that list; `entitlements` is empty if none was cached).
 */
export type SessionState = { signedIn: false } | ({ signedIn: false; expired: true } & SignedInState) | ({ signedIn: true } & SignedInState);

export interface SignInMethods {
  /** In the order to offer them; at least one. */
  methods: SignInMethod[];
}

export interface BackendInUse {
  /** Absent when no backend is set yet. */
  apiUrl?: string;
  /** Company policy set it: the person cannot change it on the options page. */
  lockedByPolicy: boolean;
}

/** The answer to a refresh: the list itself is in the cache; `changed` says whether to read it again. */
export interface ListRefreshed {
  /** listVersion of the cached list (extension/list-cache/). */
  version: string;
  changed: boolean;
  fetchedAt: string;
}

export interface ConsoleSessionsState {
  mode: 'single-session' | 'multi-session';
  /** "<account id>:<permission set>" of each pair whose console session is open. */
  open: string[];
  /** Multi-session mode with as many sessions open as the console allows (five): another sign-in would be refused. */
  full: boolean;
}

export interface ConsoleOpened {
  opened: OpenedIn;
  /** The pair's console session was already open: it was shown, not signed in to again. */
  existingSession?: true;
  /** The Firefox container's name, when the console opened in one. */
  container?: string;
}

export interface OpenRequests {
  /** "<request id>:<state>" of each of the person's pending requests and active grants. */
  open: string[];
}

export interface RequestAnswer {
  request: RequestView;
}

export interface HeadKept {
  /** False when the cached list is no longer of that version (a refresh brought another) or is gone. */
  kept: boolean;
}

export interface ApprovalsCount {
  count: number;
}

export interface RequestsToApprove {
  /** Newest first. */
  requests: RequestView[];
}

/** The success payload for each message type. */
export interface BackgroundReplies {
  'session/get': SessionState;
  'session/sign-in': SignedInState;
  'session/sign-in-cognito': SignedInState;
  'session/sign-out': Record<never, never>;
  'auth/methods': SignInMethods;
  'settings/backend': BackendInUse;
  'entitlements/refresh': ListRefreshed;
  'list/keep-head': HeadKept;
  'console/open': ConsoleOpened;
  'console/sessions': ConsoleSessionsState;
  'request/create': RequestAnswer;
  'requests/open': OpenRequests;
  'approvals/list': RequestsToApprove;
  'request/decide': RequestAnswer;
  'approvals/count': ApprovalsCount;
  'request/cancel': RequestAnswer;
  'grant/revoke': RequestAnswer;
  'grant/extend': RequestAnswer;
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
