/** The page's preferences (favourites, recently used, pinned destinations): localStorage, this browser's; none of it is secret. */
import type { KeyValueArea } from '../extension/background/storage-area.ts';
import type { PreferenceStore } from '../extension/popup/host.ts';
import { MAX_PINNED, preferencesOf } from '../extension/popup/preferences.ts';

const FAVOURITES = 'favourites';
const RECENTS = 'recents';
const PINNED = 'pinnedDestinations';

export function localPreferences(area: KeyValueArea): PreferenceStore {
  return {
    async load() {
      const stored = await area.get([FAVOURITES, RECENTS, PINNED]);
      return preferencesOf(stored[FAVOURITES], stored[RECENTS], stored[PINNED]);
    },
    saveFavourites: (favourites) => area.set({ [FAVOURITES]: favourites }),
    saveRecents: (recents) => area.set({ [RECENTS]: recents }),
    savePinned: (pinned) => area.set({ [PINNED]: pinned.slice(0, MAX_PINNED) }),
  };
}
