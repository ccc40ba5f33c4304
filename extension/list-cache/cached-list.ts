/**
 * What storage.session holds of the list, under three keys:
 *   LIST_KEY: the CompactList as a JSON string, written by the background only when its version changes;
 *   META_KEY: a small record (whose list, its version, when it was fetched, the person's name and
 *             session end), written by the background on every refresh;
 *   HEAD_KEY: the list's first screen (CachedListHead; compact-list-build.ts, listHead), cut by the background when the popup
 *             drew the whole list, so that the next open draws its first frame without reading a large list
 *             first. It goes with the list; a head of another version is not drawn.
 * Never a token: the session token lives under its own key, which the popup does not read.
 */
export const LIST_KEY = 'entitlements';
export const META_KEY = 'entitlements-meta';
export const HEAD_KEY = 'entitlements-head';

/** A list's first rows and the rows the person's favourites and recents name, as a list of its own (compact-list-build.ts, listHead). */
export interface CachedListHead {
  /** The version (CachedListMeta.version) of the list it was cut from. */
  version: string;
  /** The rows of the whole list. */
  rows: number;
  /** A CompactList. */
  list: unknown;
  /** The favourites and recents it was cut for: their rows are in it, or the list had none of them. */
  keys: string[];
}

export function isCachedListHead(value: unknown): value is CachedListHead {
  if (!value || typeof value !== 'object') return false;
  const head = value as Record<string, unknown>;
  return typeof head.version === 'string' && typeof head.rows === 'number' && Array.isArray(head.keys);
}

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
