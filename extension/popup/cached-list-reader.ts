/**
 * Reads the list the background cached, straight from storage.session: no round trip to the
 * background, no validation library. The popup is a trusted extension page (storage.session is not
 * open to content scripts), and only our background writes these keys; a damaged value reads as none.
 * The web page keeps the same two keys in its own storage and reads them with cachedListOf.
 */
import { LIST_KEY, META_KEY, isCachedListMeta } from '../list-cache/cached-list.ts';
import type { CachedListMeta } from '../list-cache/cached-list.ts';
import { isCompactList } from '../list-cache/compact-list.ts';
import type { CompactList } from '../list-cache/compact-list.ts';
import { ext } from './browser-api.ts';

export interface CachedList {
  list: CompactList;
  meta: CachedListMeta;
  /** The background said the session has ended (it could not be renewed), whatever meta.expiresAt says. */
  ended?: boolean;
  /** The list is the head of a list of this many rows (list-head.ts): the whole list is still being read. */
  rows?: number;
}

export async function readCachedList(): Promise<CachedList | undefined> {
  return cachedListOf(await ext.storage.session.get([LIST_KEY, META_KEY]));
}

/** The two keys as read, with the list's JSON parsed: what the popup's boot script hands over (popup-start.ts). */
export interface StoredList {
  meta: unknown;
  list: unknown;
}

export function parseStoredList(stored: Record<string, unknown>): StoredList {
  const raw = stored[LIST_KEY];
  try {
    return { meta: stored[META_KEY], list: typeof raw === 'string' ? JSON.parse(raw) : undefined };
  } catch {
    return { meta: stored[META_KEY], list: undefined };
  }
}

/** The cached list in what was read of its two keys, or undefined when they hold none. */
export function cachedListFrom({ meta, list }: StoredList): CachedList | undefined {
  return isCachedListMeta(meta) && isCompactList(list) ? { list, meta } : undefined;
}

export const cachedListOf = (stored: Record<string, unknown>): CachedList | undefined => cachedListFrom(parseStoredList(stored));
