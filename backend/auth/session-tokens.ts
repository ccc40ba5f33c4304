/**
 * Short-lived signed session tokens (JWT, HS256) handed to the extension after sign-in.
 * The token carries the person and their groups, so later calls need no directory round trip.
 */
import { SignJWT, jwtVerify, errors } from 'jose';
import type { SessionUser } from '../../shared/api/contract.ts';

const ISSUER = 'switchyard';
const AUDIENCE = 'switchyard-extension';

export interface SessionTokens {
  issue(user: SessionUser): Promise<{ token: string; expiresAt: Date }>;
  /** The person, or null when the token is malformed, forged or expired. */
  verify(token: string): Promise<SessionUser | null>;
}

export function makeSessionTokens(secret: Uint8Array, lifetimeSeconds: number, now: () => Date = () => new Date()): SessionTokens {
  if (secret.length < 32) throw new Error('session signing secret must be at least 32 bytes');
  return {
    async issue(user) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expiresAt = new Date((issuedAt + lifetimeSeconds) * 1000);
      const token = await new SignJWT({ name: user.displayName, groups: user.groups })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(secret);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: now(),
        });
        const groups = payload.groups;
        if (typeof payload.sub !== 'string' || typeof payload.name !== 'string') return null;
        if (!Array.isArray(groups) || !groups.every((group) => typeof group === 'string')) return null;
        return { id: payload.sub, displayName: payload.name, groups };
      } catch (error) {
        if (error instanceof errors.JOSEError) return null;
        throw error;
      }
    },
  };
}
