/**
 * The popup's first reads (the cached list and the preferences), started by the page's first script
 * (boot.ts, a classic script in the page's head) while the popup's modules are still loading, and taken
 * by the popup's entry (main.tsx). The boot script only reads and parses; the entry checks what was read,
 * with the same code that reads the list again after a refresh.
 */
import { cachedListFrom, parseStoredList } from './cached-list-reader.ts';
import type { CachedList, StoredList } from './cached-list-reader.ts';
import { ext } from './browser-api.ts';
import { LIST_KEY, META_KEY } from '../list-cache/cached-list.ts';
import { preferencesFrom, readStoredPreferences } from './preferences.ts';
import type { Preferences, StoredPreferences } from './preferences.ts';

interface StartedReads {
  list: Promise<StoredList>;
  preferences: Promise<StoredPreferences>;
}

const GLOBAL_NAME = 'switchyardPopupStart';
type WithReads = { [GLOBAL_NAME]?: StartedReads };

function startReads(): StartedReads {
  return {
    list: ext.storage.session.get([LIST_KEY, META_KEY]).then(parseStoredList),
    preferences: readStoredPreferences(),
  };
}

/** boot.ts: starts both reads and leaves them for the entry. */
export function startReadsForEntry(): void {
  (globalThis as WithReads)[GLOBAL_NAME] = startReads();
}

/** main.tsx: the reads boot.ts started (or its own when the page ran no boot script), checked. Neither rejects. */
export function takeStart(): { cached: Promise<CachedList | undefined>; preferences: Promise<Preferences> } {
  const reads = (globalThis as WithReads)[GLOBAL_NAME] ?? startReads();
  delete (globalThis as WithReads)[GLOBAL_NAME];
  return {
    cached: reads.list.then(cachedListFrom).catch(() => undefined),
    preferences: reads.preferences.then(preferencesFrom).catch(() => ({ favourites: [], recents: [], pinned: [] })),
  };
}
