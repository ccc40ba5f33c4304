/**
 * The person's favourites and pinned destinations (storage.sync: they follow the person to other
 * machines where the browser syncs) and recently used rows (storage.local: this machine's). None of
 * it is secret: row keys are "<account id>:<permission set>". This is where the extension keeps them;
 * the web page keeps them in its own storage (host.ts).
 */
import { ext } from './browser-api.ts';

export interface PinnedDestination {
  /** What the person called it, e.g. "EC2 in eu-west-1". */
  label: string;
  /** A console path or a full console URL; the backend decides whether it is a console destination. */
  destination: string;
  region?: string;
}

export interface Preferences {
  favourites: string[];
  recents: string[];
  pinned: PinnedDestination[];
}

export const MAX_RECENTS = 8;
export const MAX_PINNED = 30;

const FAVOURITES = 'favourites';
const PINNED = 'pinnedDestinations';
const RECENTS = 'recents';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function pinnedOf(value: unknown): PinnedDestination[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is PinnedDestination =>
      !!item &&
      typeof item === 'object' &&
      typeof (item as PinnedDestination).label === 'string' &&
      typeof (item as PinnedDestination).destination === 'string',
  );
}

/** What storage.sync and storage.local hold of the preferences, as read (storage.sync may be unavailable: then nothing). */
export interface StoredPreferences {
  synced: Record<string, unknown>;
  local: Record<string, unknown>;
}

export async function readStoredPreferences(): Promise<StoredPreferences> {
  const [synced, local] = await Promise.all([ext.storage.sync.get([FAVOURITES, PINNED]).catch(() => ({})), ext.storage.local.get(RECENTS)]);
  return { synced, local };
}

export function preferencesFrom({ synced, local }: StoredPreferences): Preferences {
  return preferencesOf(synced[FAVOURITES], local[RECENTS], synced[PINNED]);
}

export async function loadPreferences(): Promise<Preferences> {
  return preferencesFrom(await readStoredPreferences());
}

/** Preferences read back from where they are kept (written by us, perhaps by an older version): what is not of their shape is dropped. */
export function preferencesOf(favourites: unknown, recents: unknown, pinned: unknown): Preferences {
  return { favourites: strings(favourites), recents: strings(recents), pinned: pinnedOf(pinned) };
}

export function toggled(keys: readonly string[], key: string): string[] {
  return keys.includes(key) ? keys.filter((candidate) => candidate !== key) : [...keys, key];
}

export function withRecent(recents: readonly string[], key: string): string[] {
  return [key, ...recents.filter((candidate) => candidate !== key)].slice(0, MAX_RECENTS);
}

export async function saveFavourites(favourites: string[]): Promise<void> {
  await ext.storage.sync.set({ [FAVOURITES]: favourites });
}

export async function saveRecents(recents: string[]): Promise<void> {
  await ext.storage.local.set({ [RECENTS]: recents });
}

export async function savePinned(pinned: PinnedDestination[]): Promise<void> {
  await ext.storage.sync.set({ [PINNED]: pinned.slice(0, MAX_PINNED) });
}
