/**
 * Sign-in with an Amazon Cognito user pool. The extension runs the hosted UI (OAuth 2.0 authorization
 * code flow with PKCE, `identity.launchWebAuthFlow`) and hands the code to the backend, which redeems
 * it at the pool's token endpoint and verifies the ID token against the pool's key set (JWKS): issuer,
 * audience (one of the configured app clients), `token_use` "id", expiry, RS256. The person's groups
 * are the token's `cognito:groups`.
 *
 * The pool's refresh token stays on the server side: it travels only inside Switchyard's encrypted
 * refresh token, and a Switchyard refresh trades it for a new ID token, so groups are read again.
 * Sign-out revokes it at the pool.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { CognitoPublicSettings } from '../../shared/api/auth-config.ts';
import type { Person } from '../../shared/api/person.ts';
import type { CognitoSessionRequest } from '../../shared/api/session.ts';
import type { CognitoAccounts } from './cognito-accounts.ts';
import { DirectoryUnavailable } from './directory.ts';
import type { SessionEndReason } from './session-ends.ts';

export interface CognitoConfig {
  userPoolId: string;
  /** App clients whose tokens are accepted; the first is the one the extension is told to use. */
  clientIds: readonly string[];
  /** The hosted UI's base URL: its /oauth2/token and /oauth2/revoke endpoints. */
  domain: string;
  scopes: readonly string[];
  /** The `iss` every ID token must carry: https://cognito-idp.<region>.amazonaws.com/<pool id>. */
  issuer: string;
  /** Where the pool's signing keys are published (the issuer's /.well-known/jwks.json in production). */
  jwksUrl: string;
  timeoutMs: number;
  /** The pool's accounts (AdminGetUser): each refresh reads the person's account; without it, only the pool's refresh decides. */
  accounts?: CognitoAccounts;
  fetch?: typeof globalThis.fetch;
}

export interface CognitoSignedIn {
  /** `id` is the token's `sub`: what the sign-in is bound to. */
  user: Person;
  /** The person's user name in the pool (`cognito:username`), to read their account again. */
  username?: string;
  /** The pool's refresh token, when it issued one (it does for the code grant, not for a refresh). */
  upstreamRefreshToken?: string;
}

/** The pool refused the code, the verifier or the refresh token (or the ID token did not verify): a 401. */
export class CognitoRefused extends Error {
  override readonly name = 'CognitoRefused';
}

export interface CognitoSignIn {
  readonly publicSettings: CognitoPublicSettings;
  acceptsClient(clientId: string): boolean;
  redeem(request: CognitoSessionRequest): Promise<CognitoSignedIn>;
  refresh(upstreamRefreshToken: string, clientId: string): Promise<CognitoSignedIn>;
  /** Why the pool's account `username` ends a sign-in bound to `subject` (the pool's `sub`), or undefined when it may go on. */
  accountEndOf(username: string, subject: string): Promise<SessionEndReason | undefined>;
  revoke(upstreamRefreshToken: string, clientId: string): Promise<void>;
}

export function makeCognitoSignIn(config: CognitoConfig): CognitoSignIn {
  const fetchImpl = config.fetch ?? globalThis.fetch.bind(globalThis);
  const keySet: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl), {
    timeoutDuration: config.timeoutMs,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
  const domain = config.domain.replace(/\/+$/, '');

  async function post(path: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    let response: Response;
    try {
      response = await fetchImpl(`${domain}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new DirectoryUnavailable(`the user pool's ${path} ${timedOut ? 'did not answer in time' : 'could not be reached'}`);
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status >= 500) throw new DirectoryUnavailable(`the user pool's ${path} failed (HTTP ${response.status})`);
    return { status: response.status, body: body && typeof body === 'object' ? body : {} };
  }

  async function tokens(form: Record<string, string>, clientId: string): Promise<CognitoSignedIn> {
    const { status, body } = await post('/oauth2/token', form);
    if (status !== 200) {
      const reason = typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error) ? body.error : `HTTP ${status}`;
      throw new CognitoRefused(`the user pool refused the sign-in (${reason})`);
    }
    if (typeof body.id_token !== 'string') throw new CognitoRefused('the user pool answered without an ID token');
    const { user, username } = await verifyIdToken(body.id_token, clientId);
    return {
      user,
      ...(username !== undefined ? { username } : {}),
      ...(typeof body.refresh_token === 'string' ? { upstreamRefreshToken: body.refresh_token } : {}),
    };
  }

  async function verifyIdToken(idToken: string, clientId: string): Promise<{ user: Person; username?: string }> {
    try {
      const { payload } = await jwtVerify(idToken, keySet, { issuer: config.issuer, audience: clientId, algorithms: ['RS256'] });
      if (payload.token_use !== 'id') throw new CognitoRefused('the token is not an ID token');
      if (typeof payload.sub !== 'string') throw new CognitoRefused('the ID token names no subject');
      const groups = payload['cognito:groups'] ?? [];
      if (!Array.isArray(groups) || !groups.every((group) => typeof group === 'string'))
        throw new CognitoRefused('cognito:groups is not a list of names');
      const username =
        typeof payload['cognito:username'] === 'string' && payload['cognito:username'] !== '' ? payload['cognito:username'] : undefined;
      const name = [payload.name, payload.email, username].find((value) => typeof value === 'string' && value !== '');
      return {
        user: { id: payload.sub, displayName: (name as string | undefined) ?? payload.sub, groups },
        ...(username !== undefined ? { username } : {}),
      };
    } catch (error) {
      // fetch's own failure (the key set's host refused or is unknown) arrives as a TypeError.
      if (error instanceof TypeError || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
        throw new DirectoryUnavailable("the user pool's signing keys could not be read");
      }
      if (error instanceof errors.JOSEError) {
        if (error.code === 'ERR_JWKS_NO_MATCHING_KEY' || error.code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') {
          throw new CognitoRefused('the ID token is signed with a key the user pool does not publish');
        }
        if (error.constructor === errors.JOSEError) throw new DirectoryUnavailable("the user pool's signing keys could not be read");
        throw new CognitoRefused(`the ID token did not verify (${error.code})`);
      }
      throw error;
    }
  }

  return {
    publicSettings: { domain, clientId: config.clientIds[0] ?? '', scopes: [...config.scopes] },
    acceptsClient: (clientId) => config.clientIds.includes(clientId),
    redeem: (request) =>
      tokens(
        {
          grant_type: 'authorization_code',
          client_id: request.clientId,
          code: request.code,
          redirect_uri: request.redirectUri,
          code_verifier: request.codeVerifier,
        },
        request.clientId,
      ),
    refresh: (upstreamRefreshToken, clientId) =>
      tokens({ grant_type: 'refresh_token', client_id: clientId, refresh_token: upstreamRefreshToken }, clientId),
    accountEndOf: async (username, subject) => config.accounts?.endOf(username, subject),
    async revoke(upstreamRefreshToken, clientId) {
      const { status } = await post('/oauth2/revoke', { token: upstreamRefreshToken, client_id: clientId });
      if (status !== 200) throw new CognitoRefused(`the user pool did not revoke the refresh token (HTTP ${status})`);
    },
  };
}
