/**
 * The popup's preferences in browser storage: favourites and pinned destinations in storage.sync (they
 * follow the person to other machines where the browser syncs), recently used rows in storage.local
 * (this machine's).
 */
import { ext } from './browser-api.ts';
import type { PreferenceStore } from './host.ts';
import { preferencesOf } from './preferences.ts';

const FAVOURITES = 'favourites';
const PINNED = 'pinnedDestinations';
const RECENTS = 'recents';

export const browserPreferences: PreferenceStore = {
  async load() {
    const [synced, local] = await Promise.all([ext.storage.sync.get([FAVOURITES, PINNED]).catch(() => ({})), ext.storage.local.get(RECENTS)]);
    const sync = synced as Record<string, unknown>;
    return preferencesOf(sync[FAVOURITES], local[RECENTS], sync[PINNED]);
  },
  async saveFavourites(favourites) {
    await ext.storage.sync.set({ [FAVOURITES]: favourites });
  },
  async saveRecents(recents) {
    await ext.storage.local.set({ [RECENTS]: recents });
  },
  async savePinned(pinned) {
    await ext.storage.sync.set({ [PINNED]: pinned });
  },
};
