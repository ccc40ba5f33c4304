/** The backend's HTTP API as seen from the extension, and from the web page (web/). One instance per base URL. */
import type { AuthConfigResponse } from '../../shared/api/auth-config.ts';
import { CHANNEL_HEADER, type Channel } from '../../shared/api/channel.ts';
import type { CliAuthorizeRequest, CliAuthorizeResponse } from '../../shared/api/cli-login.ts';
import type { CredentialsRequest, CredentialsResponse } from '../../shared/api/credentials.ts';
import type { EntitlementsResponse } from '../../shared/api/entitlements.ts';
import type { FederateRequest, FederateResponse } from '../../shared/api/federate.ts';
import { API_ROUTES, type ApiRoute, type RequestOf, type ResponseOf } from '../../shared/api/routes.ts';
import type { CreateRequest, RequestList, RequestView } from '../../shared/api/requests.ts';
import type { CognitoSessionRequest, SessionRequest, SessionResponse } from '../../shared/api/session.ts';
import { failureFromHttp, unexpectedAnswer, unreachable } from './api-failure.ts';

export interface ApiClient {
  readonly baseUrl: string;
  createSession(request: SessionRequest): Promise<SessionResponse>;
  getAuthConfig(): Promise<AuthConfigResponse>;
  createCognitoSession(request: CognitoSessionRequest): Promise<SessionResponse>;
  refreshSession(refreshToken: string): Promise<SessionResponse>;
  /** Ends the session on the server; either token identifies it. */
  signOut(tokens: { token?: string; refreshToken?: string }): Promise<void>;
  getEntitlements(token: string): Promise<EntitlementsResponse>;
  federate(token: string, request: FederateRequest): Promise<FederateResponse>;
  /** Elevation (docs/elevation.md): ask for an eligible pair. */
  createRequest(token: string, request: CreateRequest): Promise<RequestView>;
  /** The person's own requests, newest first. */
  myRequests(token: string): Promise<RequestList>;
  /** The pending requests the person may approve now. */
  requestsToApprove(token: string): Promise<RequestList>;
  approveRequest(token: string, id: string, reason?: string): Promise<RequestView>;
  denyRequest(token: string, id: string, reason: string): Promise<RequestView>;
  /** The requester withdraws a pending request. */
  cancelRequest(token: string, id: string, reason?: string): Promise<RequestView>;
  /** The requester (giving it back) or an approver ends an active grant now. */
  revokeGrant(token: string, id: string, reason: string): Promise<RequestView>;
  /** The requester extends an active grant (default: by the most one extension may add). */
  extendGrant(token: string, id: string, extension: { durationSeconds?: number; justification?: string }): Promise<RequestView>;
}

/** What the web page asks besides (the extension does not). */
export interface WebPageApiCalls {
  /** Temporary credentials for one pair (the credentials panel). */
  credentials(token: string, request: CredentialsRequest): Promise<CredentialsResponse>;
  /** A one-time code for the CLI's sign-in (#/cli-login). */
  authorizeCli(token: string, request: CliAuthorizeRequest): Promise<CliAuthorizeResponse>;
}

export interface ApiClientOptions {
  baseUrl: string;
  /** Which client this is, for the audit (shared/api/channel.ts); unset: the API assumes the extension. */
  channel?: Channel;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Every method resolves with the checked answer or rejects with an `ApiFailure`. */
export function makeApiClient(options: ApiClientOptions): ApiClient & WebPageApiCalls {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  /** Calls `route` and checks its answer with the route's schema from the contract. */
  async function call<R extends ApiRoute>(route: R, init: { token?: string; body?: RequestOf<R>; id?: string } = {}): Promise<ResponseOf<R>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (options.channel) headers[CHANNEL_HEADER] = options.channel;
    let response: Response;
    try {
      const path = init.id === undefined ? route.path : route.path.replace(':id', encodeURIComponent(init.id));
      response = await fetchImpl(`${baseUrl}${path}`, {
        method: route.method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        credentials: 'omit',
        cache: 'no-store',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw unreachable(baseUrl, timedOut ? 'timeout' : 'network');
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw failureFromHttp(response.status, body);
    const parsed = route.response.safeParse(body);
    if (!parsed.success) throw unexpectedAnswer(`${route.method} ${route.path}`);
    return parsed.data as ResponseOf<R>;
  }

  return {
    baseUrl,
    createSession: (request) => call(API_ROUTES.session, { body: request }),
    getAuthConfig: () => call(API_ROUTES.authConfig),
    createCognitoSession: (request) => call(API_ROUTES.sessionCognito, { body: request }),
    refreshSession: (refreshToken) => call(API_ROUTES.sessionRefresh, { body: { refreshToken } }),
    async signOut({ token, refreshToken }) {
      await call(API_ROUTES.sessionSignOut, { ...(token ? { token } : {}), body: refreshToken ? { refreshToken } : {} });
    },
    getEntitlements: (token) => call(API_ROUTES.entitlements, { token }),
    federate: (token, request) => call(API_ROUTES.federate, { token, body: request }),
    createRequest: (token, request) => call(API_ROUTES.requestCreate, { token, body: request }),
    myRequests: (token) => call(API_ROUTES.requestsMine, { token }),
    requestsToApprove: (token) => call(API_ROUTES.requestsToApprove, { token }),
    approveRequest: (token, id, reason) => call(API_ROUTES.requestApprove, { token, id, body: reason ? { reason } : {} }),
    denyRequest: (token, id, reason) => call(API_ROUTES.requestDeny, { token, id, body: { reason } }),
    cancelRequest: (token, id, reason) => call(API_ROUTES.requestCancel, { token, id, body: reason ? { reason } : {} }),
    revokeGrant: (token, id, reason) => call(API_ROUTES.requestRevoke, { token, id, body: { reason } }),
    extendGrant: (token, id, extension) => call(API_ROUTES.grantExtend, { token, id, body: extension }),
    credentials: (token, request) => call(API_ROUTES.credentials, { token, body: request }),
    authorizeCli: (token, request) => call(API_ROUTES.cliAuthorize, { token, body: request }),
  };
}
