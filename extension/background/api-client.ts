/** The backend's HTTP API as seen from the extension. One instance per base URL. */
import { API_ROUTES } from '../../shared/api/contract.ts';
import type {
  AuthConfigResponse,
  CognitoSessionRequest,
  EntitlementsResponse,
  FederateRequest,
  FederateResponse,
  SessionRequest,
  SessionResponse,
} from '../../shared/api/contract.ts';
import type { z } from 'zod';
import { failureFromHttp, unexpectedAnswer, unreachable } from './api-failure.ts';
import {
  AuthConfigResponseSchema,
  EntitlementsResponseSchema,
  FederateResponseSchema,
  SessionResponseSchema,
  SignOutResponseSchema,
} from './response-schemas.ts';

export interface ApiClient {
  readonly baseUrl: string;
  createSession(request: SessionRequest): Promise<SessionResponse>;
  // sign-in (issue 8)
  getAuthConfig(): Promise<AuthConfigResponse>;
  createCognitoSession(request: CognitoSessionRequest): Promise<SessionResponse>;
  refreshSession(refreshToken: string): Promise<SessionResponse>;
  /** Ends the session on the server; either token identifies it. */
  signOut(tokens: { token?: string; refreshToken?: string }): Promise<void>;
  getEntitlements(token: string): Promise<EntitlementsResponse>;
  federate(token: string, request: FederateRequest): Promise<FederateResponse>;
}

export interface ApiClientOptions {
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Every method resolves with the checked answer or rejects with an `ApiFailure`. */
export function makeApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call<S extends z.ZodType>(
    route: string,
    schema: S,
    init: { method: 'GET' | 'POST'; token?: string; body?: unknown },
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${route}`, {
        method: init.method,
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
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw unexpectedAnswer(`${init.method} ${route}`);
    return parsed.data;
  }

  return {
    baseUrl,
    createSession: (request) => call(API_ROUTES.session, SessionResponseSchema, { method: 'POST', body: request }),
    getAuthConfig: () => call(API_ROUTES.authConfig, AuthConfigResponseSchema, { method: 'GET' }),
    createCognitoSession: (request) => call(API_ROUTES.sessionCognito, SessionResponseSchema, { method: 'POST', body: request }),
    refreshSession: (refreshToken) => call(API_ROUTES.sessionRefresh, SessionResponseSchema, { method: 'POST', body: { refreshToken } }),
    async signOut({ token, refreshToken }) {
      await call(API_ROUTES.sessionSignOut, SignOutResponseSchema, {
        method: 'POST',
        ...(token ? { token } : {}),
        body: refreshToken ? { refreshToken } : {},
      });
    },
    getEntitlements: (token) => call(API_ROUTES.entitlements, EntitlementsResponseSchema, { method: 'GET', token }),
    federate: (token, request) => call(API_ROUTES.federate, FederateResponseSchema, { method: 'POST', token, body: request }),
  };
}
