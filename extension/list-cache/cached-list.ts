/**
 * What the background keeps in storage.session for the popup, under two keys:
 *   LIST_KEY: the CompactList as a JSON string, written only when its version changes;
 *   META_KEY: a small record (whose list, its version, when it was fetched, the person's name and
 *             session end), written on every refresh.
 * Never a token: the session token lives under its own key, which the popup does not read.
 */
export const LIST_KEY = 'entitlements';
export const META_KEY = 'entitlements-meta';

export interface CachedListMeta {
  userId: string;
  displayName: string;
  /** ISO 8601 instant at which the session ends (the popup shows the time left and the expired state). */
  expiresAt?: string;
  /** listVersion of the LIST_KEY string. */
  version: string;
  /** ISO 8601 instant of the last successful fetch. */
  fetchedAt: string;
}

export function isCachedListMeta(value: unknown): value is CachedListMeta {
  if (!value || typeof value !== 'object') return false;
  const meta = value as Record<string, unknown>;
  return (
    typeof meta.userId === 'string' &&
    typeof meta.displayName === 'string' &&
    typeof meta.version === 'string' &&
    typeof meta.fetchedAt === 'string' &&
    (meta.expiresAt === undefined || typeof meta.expiresAt === 'string')
  );
}
