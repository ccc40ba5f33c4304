/**
 * Sessions ended on the server (sign-out), by session id: one small object per session in the policy
 * bucket (backend/bucket/layout.ts), so every Lambda instance sees a sign-out at once. Every API call
 * with a session checks it (one S3 HEAD); a revoked id is remembered in memory, since it never comes back.
 */
import { bucketLayout } from '../bucket/layout.ts';
import type { ObjectStore } from '../bucket/object-store.ts';

export interface SessionRevocations {
  /** Ends the session for good; `until` is when it would have ended anyway (kept for cleanup). */
  revoke(sessionId: string, until: Date): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

const REMEMBERED = 10_000;

export function bucketRevocations(
  store: Pick<ObjectStore, 'put' | 'exists'>,
  prefix: string,
  now: () => Date = () => new Date(),
): SessionRevocations {
  const layout = bucketLayout(prefix);
  const known = new Set<string>();
  const remember = (sessionId: string) => {
    if (known.size >= REMEMBERED) known.delete(known.values().next().value as string);
    known.add(sessionId);
  };
  return {
    async revoke(sessionId, until) {
      const record = { revokedAt: now().toISOString(), sessionEndsAt: until.toISOString() };
      await store.put(layout.revokedSession(sessionId), JSON.stringify(record), { contentType: 'application/json' });
      remember(sessionId);
    },
    async isRevoked(sessionId) {
      if (known.has(sessionId)) return true;
      const revoked = await store.exists(layout.revokedSession(sessionId));
      if (revoked) remember(sessionId);
      return revoked;
    },
  };
}
