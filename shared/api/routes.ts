/**
 * Every route of the HTTP API: its method, its path, and the schemas of its JSON body and of its answer.
 * The backend checks bodies with `request` (backend/api/request.ts); clients check answers with `response`
 * (extension/background/api-client.ts). Every error answer is an `ApiErrorBody` (errors.ts).
 *
 * Answers are `z.object`s, which drop fields they do not name, so an older client keeps working against a
 * newer backend that sends more; bodies are `z.strictObject`s, so a misspelt field is a 400 naming it.
 */
import { z } from 'zod';
import { AuthConfigResponseSchema } from './auth-config.ts';
import { CliAuthorizeRequestSchema, CliAuthorizeResponseSchema, CliSessionRequestSchema, CliSessionResponseSchema } from './cli-login.ts';
import { CredentialsRequestSchema, CredentialsResponseSchema } from './credentials.ts';
import { EntitlementsResponseSchema } from './entitlements.ts';
import { FederateRequestSchema, FederateResponseSchema } from './federate.ts';
import {
  ApproveRequestSchema,
  CancelRequestSchema,
  CreateRequestSchema,
  DenyRequestSchema,
  ExtendGrantSchema,
  RequestListSchema,
  RequestViewSchema,
  RevokeRequestSchema,
} from './requests.ts';
import {
  CognitoSessionRequestSchema,
  RefreshRequestSchema,
  SessionRequestSchema,
  SessionResponseSchema,
  SignOutRequestSchema,
  SignOutResponseSchema,
} from './session.ts';

/** Largest request body the API reads; a larger one is a 413. */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;

export interface ApiRoute {
  method: 'GET' | 'POST';
  path: string;
  /** The JSON body's schema; absent when the route reads no body. */
  request?: z.ZodType;
  response: z.ZodType;
}

export const API_ROUTES = {
  authConfig: { method: 'GET', path: '/auth/config', response: AuthConfigResponseSchema },
  session: { method: 'POST', path: '/session', request: SessionRequestSchema, response: SessionResponseSchema },
  sessionCognito: { method: 'POST', path: '/session/cognito', request: CognitoSessionRequestSchema, response: SessionResponseSchema },
  sessionRefresh: { method: 'POST', path: '/session/refresh', request: RefreshRequestSchema, response: SessionResponseSchema },
  sessionSignOut: { method: 'POST', path: '/session/sign-out', request: SignOutRequestSchema, response: SignOutResponseSchema },
  entitlements: { method: 'GET', path: '/entitlements', response: EntitlementsResponseSchema },
  federate: { method: 'POST', path: '/federate', request: FederateRequestSchema, response: FederateResponseSchema },
  health: { method: 'GET', path: '/health', response: z.object({ ok: z.literal(true) }) },
  // Elevation (requests.ts): `:id` is a request id.
  requestCreate: { method: 'POST', path: '/requests', request: CreateRequestSchema, response: RequestViewSchema },
  requestsMine: { method: 'GET', path: '/requests', response: RequestListSchema },
  requestsToApprove: { method: 'GET', path: '/approvals', response: RequestListSchema },
  requestGet: { method: 'GET', path: '/requests/:id', response: RequestViewSchema },
  requestApprove: { method: 'POST', path: '/requests/:id/approve', request: ApproveRequestSchema, response: RequestViewSchema },
  requestDeny: { method: 'POST', path: '/requests/:id/deny', request: DenyRequestSchema, response: RequestViewSchema },
  requestCancel: { method: 'POST', path: '/requests/:id/cancel', request: CancelRequestSchema, response: RequestViewSchema },
  requestRevoke: { method: 'POST', path: '/requests/:id/revoke', request: RevokeRequestSchema, response: RequestViewSchema },
  grantExtend: { method: 'POST', path: '/requests/:id/extend', request: ExtendGrantSchema, response: RequestViewSchema },
  credentials: { method: 'POST', path: '/credentials', request: CredentialsRequestSchema, response: CredentialsResponseSchema },
  cliAuthorize: { method: 'POST', path: '/cli/authorize', request: CliAuthorizeRequestSchema, response: CliAuthorizeResponseSchema },
  sessionCli: { method: 'POST', path: '/session/cli', request: CliSessionRequestSchema, response: CliSessionResponseSchema },
} as const satisfies Record<string, ApiRoute>;

/** What a route's body must be, before parsing (what a client sends). */
export type RequestOf<R extends ApiRoute> = R extends { request: infer S extends z.ZodType } ? z.input<S> : never;
/** A route's answer, as checked by its schema. */
export type ResponseOf<R extends ApiRoute> = z.infer<R['response']>;
