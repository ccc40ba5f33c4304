/**
 * Sessions: what a sign-in starts, a refresh renews, every API call checks and sign-out ends.
 * A session is an id (`sid`), a short access token and, when the person can be read again without
 * their password, a refresh token valid until the sign-in ends (SWITCHYARD_SESSION_SECONDS). Each
 * refresh reads the person's groups again, so a removal from a group takes effect within one access
 * token's lifetime (SWITCHYARD_ACCESS_TOKEN_SECONDS, 10 minutes by default).
 */
import type { SignInMethod } from '../../shared/api/auth-config.ts';
import type { Person } from '../../shared/api/person.ts';
import type { SessionRevocations } from './session-revocations.ts';
import { newSessionId, type AccessClaims, type RefreshGrant, type SessionTokens } from './session-tokens.ts';

export interface NewSession {
  user: Person;
  source: SignInMethod;
  /** How to read the person again; absent when that is not possible (then no refresh token). */
  refresh?: Pick<RefreshGrant, 'accountName' | 'upstreamRefreshToken' | 'clientId'>;
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  refreshToken?: string;
  refreshExpiresAt?: Date;
}

export interface Sessions {
  begin(session: NewSession): Promise<IssuedSession>;
  /** What a refresh token grants, or null when it is forged, expired or its session was ended. */
  grantOf(refreshToken: string): Promise<RefreshGrant | null>;
  /** A new access token (and refresh token) for the same session, with the person as read again. */
  renew(grant: RefreshGrant, user: Person): Promise<IssuedSession>;
  /** The claims of a live access token, or null when it is forged, expired or its session was ended. */
  check(accessToken: string): Promise<AccessClaims | null>;
  end(sessionId: string, until: Date): Promise<void>;
  /** A keyed hash of a user name, for logs and failure counts. */
  hashName(name: string): Promise<string>;
}

export interface SessionsDeps {
  tokens: SessionTokens;
  revocations: SessionRevocations;
  /** How long a sign-in lasts at most: the refresh token's lifetime. */
  signInSeconds: number;
  now?: () => Date;
}

export function makeSessions(deps: SessionsDeps): Sessions {
  const now = deps.now ?? (() => new Date());
  return {
    async begin(session) {
      const sid = newSessionId();
      const claims = { user: session.user, source: session.source, sid };
      if (!session.refresh) return deps.tokens.issueAccess(claims);
      // Whole seconds, as the token's `exp` holds it, so every answer of this session names the same instant.
      const refreshExpiresAt = new Date((Math.floor(now().getTime() / 1000) + deps.signInSeconds) * 1000);
      const refreshToken = await deps.tokens.issueRefresh({ sid, source: session.source, expiresAt: refreshExpiresAt, ...session.refresh });
      return { ...(await deps.tokens.issueAccess(claims, refreshExpiresAt)), refreshToken, refreshExpiresAt };
    },
    async grantOf(refreshToken) {
      const grant = await deps.tokens.verifyRefresh(refreshToken);
      if (!grant || (await deps.revocations.isRevoked(grant.sid))) return null;
      return grant;
    },
    async renew(grant, user) {
      const access = await deps.tokens.issueAccess({ user, source: grant.source, sid: grant.sid }, grant.expiresAt);
      return { ...access, refreshToken: await deps.tokens.issueRefresh(grant), refreshExpiresAt: grant.expiresAt };
    },
    async check(accessToken) {
      const claims = await deps.tokens.verifyAccess(accessToken);
      if (!claims || (await deps.revocations.isRevoked(claims.sid))) return null;
      return claims;
    },
    end: (sessionId, until) => deps.revocations.revoke(sessionId, until),
    hashName: (name) => deps.tokens.hashName(name),
  };
}
