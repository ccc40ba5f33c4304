/**
 * The popup's first reads, started by the page's first script (boot.ts, a classic script in the page's
 * head) while the popup's modules are still loading, and taken by the popup's entry (main.tsx):
 *   - the list's head and record (small: what the first frame needs, when a head of this list was kept);
 *   - the whole list, with its record (large at 10,000 rows and more: it comes after the first frame);
 *   - the preferences.
 * The boot script only asks; the entry parses and checks what was read, with the same code that reads the list
 * again after a refresh.
 */
import { cachedListFrom, parseStoredList } from './cached-list-reader.ts';
import type { CachedList } from './cached-list-reader.ts';
import { ext } from './browser-api.ts';
import { HEAD_KEY, LIST_KEY, META_KEY, isCachedListHead, isCachedListMeta } from '../list-cache/cached-list.ts';
import { isCompactList, rowCount, rowKey } from '../list-cache/compact-list.ts';
import type { CompactList } from '../list-cache/compact-list.ts';
import { preferencesFrom, readStoredPreferences } from './preferences.ts';
import type { Preferences, StoredPreferences } from './preferences.ts';

interface StartedReads {
  head: Promise<Record<string, unknown>>;
  preferences: Promise<StoredPreferences>;
  list: Promise<Record<string, unknown>>;
}

export interface PopupStart {
  /** The head of the list, when one of this list was kept that holds these favourites and recents. */
  head: Promise<CachedList | undefined>;
  /**
   * The whole list, parsed when asked for: after the first frame when a head is drawn (a JSON.parse of megabytes
   * at 100,000 rows would otherwise come first), at once when not.
   */
  wholeList(): Promise<CachedList | undefined>;
  preferences: Promise<Preferences>;
}

const GLOBAL_NAME = 'switchyardPopupStart';
type WithReads = { [GLOBAL_NAME]?: StartedReads };

function startReads(): StartedReads {
  const session = ext.storage.session;
  const head = session.get([META_KEY, HEAD_KEY]);
  const preferences = readStoredPreferences();
  // Asked once the small answers are in: at 100,000 rows its answer is megabytes, which the page takes in
  // before any answer that comes after it (storage.sync's can), and the first frame needs only the small ones.
  const list = Promise.allSettled([head, preferences]).then(() => session.get([LIST_KEY, META_KEY]));
  return { head, preferences, list };
}

/** boot.ts: starts the reads and leaves them for the entry. */
export function startReadsForEntry(): void {
  (globalThis as WithReads)[GLOBAL_NAME] = startReads();
}

/**
 * Whether a head shows the first screen the whole list would for these favourites and recents: the rows of
 * each are in it, or it was cut for the key (and the list had no such row).
 */
export function headCovers(head: CompactList, cutFor: readonly string[], keys: readonly string[]): boolean {
  const covered = new Set(cutFor);
  for (let row = 0; row < rowCount(head); row++) covered.add(rowKey(head, row));
  return keys.every((key) => covered.has(key));
}

/** main.tsx: the reads boot.ts started (or its own when the page ran no boot script), checked. None rejects. */
export function takeStart(): PopupStart {
  const reads = (globalThis as WithReads)[GLOBAL_NAME] ?? startReads();
  delete (globalThis as WithReads)[GLOBAL_NAME];
  const preferences = reads.preferences.then(preferencesFrom).catch(() => ({ favourites: [], recents: [], pinned: [] }));
  return {
    head: Promise.all([reads.head, preferences])
      .then(([stored, read]) => {
        const meta = stored[META_KEY];
        const head = stored[HEAD_KEY];
        if (!isCachedListMeta(meta) || !isCachedListHead(head) || head.version !== meta.version || !isCompactList(head.list)) return undefined;
        return headCovers(head.list, head.keys, [...read.favourites, ...read.recents]) ? { list: head.list, meta, rows: head.rows } : undefined;
      })
      .catch(() => undefined),
    wholeList: () =>
      reads.list
        .then(parseStoredList)
        .then(cachedListFrom)
        .catch(() => undefined),
    preferences,
  };
}
