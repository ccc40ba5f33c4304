/**
 * The two tokens of a session, both carrying the key id (`kid`) of the key that made them:
 *   - the access token: a JWT (HS256) valid for minutes, carrying the person, their groups, how they
 *     signed in and the session id; every API call checks it (and that the session was not ended);
 *   - the refresh token: an encrypted JWT (JWE, dir + A256GCM) valid for the whole sign-in, carrying
 *     what the backend needs to read the person again (their account name, or the user pool's own
 *     refresh token, which must stay unreadable to the browser), what the sign-in is bound to (the
 *     directory's id of the account, or the pool's `sub`; the password's version at sign-in) and its
 *     generation: each refresh token is good once (sessions.ts).
 */
import { randomBytes, createHmac } from 'node:crypto';
import { EncryptJWT, SignJWT, decodeProtectedHeader, errors, jwtDecrypt, jwtVerify } from 'jose';
import type { SignInMethod } from '../../shared/api/auth-config.ts';
import type { Person } from '../../shared/api/person.ts';
import { deriveKey, type SessionKeyRing } from './session-keys.ts';

const ISSUER = 'switchyard';
const ACCESS_AUDIENCE = 'switchyard-extension';
const REFRESH_AUDIENCE = 'switchyard-refresh';

export interface AccessClaims {
  user: Person;
  source: SignInMethod;
  /** The session id: what sign-out revokes. */
  sid: string;
}

/** What a refresh needs to read the person again, and what the sign-in is bound to. */
export interface RefreshGrant {
  sid: string;
  source: SignInMethod;
  expiresAt: Date;
  /** Which refresh token of the sign-in this is: 0 from the sign-in, one more from each refresh. */
  generation: number;
  /**
   * Who the sign-in belongs to, by an id the directory never gives to anyone else: the account's
   * `DirectoryPerson.directoryId` (AD's objectGUID), or the user pool's `sub`. A refresh that finds
   * another id under the same name ends the sign-in.
   */
  subject: string;
  /** Directory sign-in: the password's version at sign-in (`AccountStanding.passwordVersion`). */
  passwordVersion?: string;
  /** Directory sign-in: the account name `Directory.lookup` finds the person by. */
  accountName?: string;
  /** Cognito sign-in: the user pool's refresh token and the app client it was issued to. */
  upstreamRefreshToken?: string;
  clientId?: string;
  /** Cognito sign-in: the person's user name in the pool (`cognito:username`), to read their account. */
  poolUsername?: string;
}

export interface SessionTokens {
  /** An access token valid for the configured minutes, never past `notAfter` (the end of the sign-in). */
  issueAccess(claims: AccessClaims, notAfter?: Date): Promise<{ token: string; expiresAt: Date }>;
  /** The claims, or null when the token is malformed, forged, expired or signed with an unknown key. */
  verifyAccess(token: string): Promise<AccessClaims | null>;
  issueRefresh(grant: RefreshGrant): Promise<string>;
  verifyRefresh(token: string): Promise<RefreshGrant | null>;
  /** A keyed hash of a user name (lower case): what logs and failure counts use instead of the name. */
  hashName(name: string): Promise<string>;
  /** A keyed hash of any value, exactly as given: what the state table keeps instead of an address or a user agent. */
  hashValue(value: string): Promise<string>;
}

export interface SessionTokenOptions {
  accessSeconds: number;
  now?: () => Date;
}

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

export function makeSessionTokens(keys: SessionKeyRing, options: SessionTokenOptions): SessionTokens {
  const now = options.now ?? (() => new Date());
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

  async function keyFor(token: string, purpose: 'access-token' | 'refresh-token'): Promise<{ kid: string; key: Uint8Array } | undefined> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return undefined;
    }
    if (typeof kid !== 'string') return undefined;
    const found = await keys.find(kid);
    return found ? { kid, key: deriveKey(found.secret, purpose) } : undefined;
  }

  return {
    async issueAccess(claims, notAfter) {
      const key = await keys.current();
      const issuedAt = seconds(now());
      const expires = Math.min(issuedAt + options.accessSeconds, notAfter ? seconds(notAfter) : Number.POSITIVE_INFINITY);
      const token = await new SignJWT({ name: claims.user.displayName, groups: claims.user.groups, src: claims.source, sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
        .setSubject(claims.user.id)
        .setIssuer(ISSUER)
        .setAudience(ACCESS_AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expires)
        .setJti(randomBytes(12).toString('base64url'))
        .sign(deriveKey(key.secret, 'access-token'));
      return { token, expiresAt: new Date(expires * 1000) };
    },

    async verifyAccess(token) {
      const key = await keyFor(token, 'access-token');
      if (!key) return null;
      try {
        const { payload } = await jwtVerify(token, key.key, {
          issuer: ISSUER,
          audience: ACCESS_AUDIENCE,
          algorithms: ['HS256'],
          currentDate: now(),
        });
        const { sub, name, groups, src, sid } = payload;
        if (typeof sub !== 'string' || typeof name !== 'string' || typeof sid !== 'string') return null;
        if (src !== 'directory' && src !== 'cognito') return null;
        if (!Array.isArray(groups) || !groups.every((group) => typeof group === 'string')) return null;
        return { user: { id: sub, displayName: name, groups }, source: src, sid };
      } catch (error) {
        if (error instanceof errors.JOSEError) return null;
        throw error;
      }
    },

    async issueRefresh(grant) {
      const key = await keys.current();
      return new EncryptJWT({
        sid: grant.sid,
        src: grant.source,
        gen: grant.generation,
        ...(grant.passwordVersion !== undefined ? { pwv: grant.passwordVersion } : {}),
        ...(grant.accountName !== undefined ? { acct: grant.accountName } : {}),
        ...(grant.upstreamRefreshToken !== undefined ? { urt: grant.upstreamRefreshToken } : {}),
        ...(grant.clientId !== undefined ? { cid: grant.clientId } : {}),
        ...(grant.poolUsername !== undefined ? { pun: grant.poolUsername } : {}),
      })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: key.kid })
        .setSubject(grant.subject)
        .setIssuer(ISSUER)
        .setAudience(REFRESH_AUDIENCE)
        .setIssuedAt(seconds(now()))
        .setExpirationTime(seconds(grant.expiresAt))
        .encrypt(deriveKey(key.secret, 'refresh-token'));
    },

    async verifyRefresh(token) {
      const key = await keyFor(token, 'refresh-token');
      if (!key) return null;
      try {
        const { payload } = await jwtDecrypt(token, key.key, {
          issuer: ISSUER,
          audience: REFRESH_AUDIENCE,
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
          currentDate: now(),
        });
        const { sid, src, gen, sub, pwv, acct, urt, cid, pun, exp } = payload;
        // A token without a generation or a subject (made before sessions were bound and rotated) is refused: sign in again.
        if (typeof sid !== 'string' || typeof exp !== 'number' || typeof sub !== 'string' || sub === '') return null;
        if (typeof gen !== 'number' || !Number.isSafeInteger(gen) || gen < 0) return null;
        if (src !== 'directory' && src !== 'cognito') return null;
        const optional = (value: unknown) => (typeof value === 'string' ? value : undefined);
        return {
          sid,
          source: src,
          expiresAt: new Date(exp * 1000),
          generation: gen,
          subject: sub,
          ...(optional(pwv) !== undefined ? { passwordVersion: optional(pwv) } : {}),
          ...(optional(acct) !== undefined ? { accountName: optional(acct) } : {}),
          ...(optional(urt) !== undefined ? { upstreamRefreshToken: optional(urt) } : {}),
          ...(optional(cid) !== undefined ? { clientId: optional(cid) } : {}),
          ...(optional(pun) !== undefined ? { poolUsername: optional(pun) } : {}),
        };
      } catch (error) {
        if (error instanceof errors.JOSEError) return null;
        throw error;
      }
    },

    async hashName(name) {
      const key = await keys.current();
      return createHmac('sha256', deriveKey(key.secret, 'user-name-hash')).update(name.trim().toLowerCase()).digest('base64url').slice(0, 16);
    },

    async hashValue(value) {
      const key = await keys.current();
      return createHmac('sha256', deriveKey(key.secret, 'value-hash')).update(value).digest('base64url').slice(0, 22);
    },
  };
}
