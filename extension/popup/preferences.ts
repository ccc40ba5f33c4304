/**
 * The person's favourites, recently used rows and pinned destinations, and how each changes. None of it
 * is secret: row keys are "<account id>:<permission set>". Where they are kept is the host's (host.ts):
 * browser-preferences.ts in the extension.
 */

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

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** Preferences read back from storage (written by us, perhaps by an older version): what is not of their shape is dropped. */
export function preferencesOf(favourites: unknown, recents: unknown, pinned: unknown): Preferences {
  return { favourites: strings(favourites), recents: strings(recents), pinned: pinnedOf(pinned) };
}

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

export function toggled(keys: readonly string[], key: string): string[] {
  return keys.includes(key) ? keys.filter((candidate) => candidate !== key) : [...keys, key];
}

export function withRecent(recents: readonly string[], key: string): string[] {
  return [key, ...recents.filter((candidate) => candidate !== key)].slice(0, MAX_RECENTS);
}
