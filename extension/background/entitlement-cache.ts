/**
 * The last entitlement list fetched for a person, so the popup can draw it at once while it refreshes.
 * Stored as extension/list-cache/ describes: a compact JSON string the popup reads straight from
 * storage.session, rewritten only when the list changed, and a small record beside it.
 */
import type { Entitlement } from '../../shared/api/entitlements.ts';
import { HEAD_KEY, LIST_KEY, META_KEY, isCachedListMeta } from '../list-cache/cached-list.ts';
import type { CachedListHead, CachedListMeta } from '../list-cache/cached-list.ts';
import { compactList, expandList, listHead, listVersion, parseCompactList } from '../list-cache/compact-list-build.ts';
import type { CompactList } from '../list-cache/compact-list.ts';
import type { KeyValueArea } from './storage-area.ts';

export interface CachedEntitlements {
  entitlements: Entitlement[];
  fetchedAt: string;
}

export interface SaveOptions {
  /** What the popup shows in its header; defaults to the user id. */
  displayName?: string;
  /** When the session ends, for the popup's "time left" and expired state. */
  expiresAt?: string;
  /**
   * The list comes from a session renewal, whose answer carries no open requests (only GET /entitlements
   * does): each eligible pair keeps the pending request or grant the cached list showed for it.
   */
  keepOpenRequests?: boolean;
}

export interface SaveResult {
  version: string;
  /** False when the list is the one already cached: the popup keeps what it drew. */
  changed: boolean;
}

export interface EntitlementCache {
  /** The cached list for this person; another person's list is never returned. */
  load(userId: string): Promise<CachedEntitlements | undefined>;
  save(userId: string, cached: CachedEntitlements, options?: SaveOptions): Promise<SaveResult>;
  /**
   * Keeps the head of the cached list (compact-list-build.ts, listHead) for the popup's next open, with the
   * rows of the person's favourites and recents (`keys`), when the cached list is still of this version;
   * false when it is not (or there is none).
   */
  keepHead(version: string, rows: readonly number[], keys: readonly string[]): Promise<boolean>;
  clear(): Promise<void>;
}

export function makeEntitlementCache(area: KeyValueArea): EntitlementCache {
  async function readMeta(): Promise<CachedListMeta | undefined> {
    const meta = (await area.get(META_KEY))[META_KEY];
    return isCachedListMeta(meta) ? meta : undefined;
  }

  function listOf(raw: unknown): CompactList | undefined {
    if (typeof raw !== 'string') return undefined;
    try {
      return parseCompactList(JSON.parse(raw));
    } catch {
      return undefined;
    }
  }

  async function load(userId: string): Promise<CachedEntitlements | undefined> {
    const meta = await readMeta();
    if (!meta || meta.userId !== userId) return undefined;
    const list = listOf((await area.get(LIST_KEY))[LIST_KEY]);
    if (!list) return undefined;
    return { entitlements: expandList(list), fetchedAt: meta.fetchedAt };
  }

  return {
    load,
    async save(userId, cached, options = {}) {
      const entitlements = options.keepOpenRequests
        ? withOpenRequestsOf((await load(userId))?.entitlements ?? [], cached.entitlements)
        : cached.entitlements;
      const serialised = JSON.stringify(compactList(entitlements));
      const version = listVersion(serialised);
      const stored = await area.get([META_KEY, LIST_KEY]);
      const previous = isCachedListMeta(stored[META_KEY]) ? stored[META_KEY] : undefined;
      // The list itself is checked too: a record whose list went missing (storage cleared between another
      // save's read and its write) must not make a new list look unchanged.
      const changed = !previous || previous.userId !== userId || previous.version !== version || typeof stored[LIST_KEY] !== 'string';
      const meta: CachedListMeta = {
        userId,
        displayName: options.displayName ?? previous?.displayName ?? userId,
        ...((options.expiresAt ?? previous?.expiresAt) ? { expiresAt: options.expiresAt ?? previous?.expiresAt } : {}),
        version,
        fetchedAt: cached.fetchedAt,
      };
      // One set: the popup reads both keys in one get, so it never sees a list with another list's record.
      await area.set(changed ? { [LIST_KEY]: serialised, [META_KEY]: meta } : { [META_KEY]: meta });
      // The popup's head of the old list is not drawn (its version differs); it goes, not to linger.
      if (changed) await area.remove(HEAD_KEY);
      return { version, changed };
    },
    async keepHead(version, rows, keys) {
      const stored = await area.get([META_KEY, LIST_KEY]);
      const meta = stored[META_KEY];
      const list = isCachedListMeta(meta) && meta.version === version ? listOf(stored[LIST_KEY]) : undefined;
      if (!list) return false;
      const head: CachedListHead = { version, ...listHead(list, rows), keys: [...keys] };
      await area.set({ [HEAD_KEY]: head });
      return true;
    },
    async clear() {
      await area.remove([LIST_KEY, META_KEY, HEAD_KEY]);
    },
  };
}

/** `entitlements`, each eligible pair without an open request taking the one `previous` showed for the same pair. */
function withOpenRequestsOf(previous: Entitlement[], entitlements: Entitlement[]): Entitlement[] {
  const open = new Map(
    previous.flatMap((entry) => (entry.openRequest ? [[`${entry.accountId}:${entry.permissionSet}`, entry.openRequest] as const] : [])),
  );
  if (open.size === 0) return entitlements;
  return entitlements.map((entry) => {
    const openRequest = entry.eligible && !entry.openRequest ? open.get(`${entry.accountId}:${entry.permissionSet}`) : undefined;
    return openRequest ? { ...entry, openRequest } : entry;
  });
}
