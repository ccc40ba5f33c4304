/**
 * The settings as the browser holds them: company policy in `storage.managed` (read-only, set by the
 * administrator), the person's choices in `storage.sync` (one key per setting; nothing secret), and the
 * build's defaults. Re-read when either area changes; Chrome reports policy changes through
 * storage.onChanged (area "managed"), Firefox reads its policies once at start-up.
 */
import { resolveSettings } from './resolve.ts';
import { LEGACY_SETTING_NAMES, SETTING_NAMES, isSettingName } from './settings.ts';
import type { ResolvedSettings, Settings, SettingsSource } from './settings.ts';

export interface ReadableArea {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
}

export type StorageChangeListener = (changes: Record<string, unknown>, areaName: string) => void;

/** The slice of `browser.storage` the settings need. */
export interface SettingsStorage {
  managed: ReadableArea;
  sync: ReadableArea;
  onChanged: {
    addListener(listener: StorageChangeListener): void;
    removeListener(listener: StorageChangeListener): void;
  };
}

/** The area the person's choices live in. */
export const PERSON_AREA = 'sync';

export function makeBrowserSettingsSource(storage: SettingsStorage, defaults: Partial<Settings>): SettingsSource {
  let cached: Promise<ResolvedSettings> | undefined;
  const listeners = new Set<(settings: ResolvedSettings) => void>();

  async function read(): Promise<ResolvedSettings> {
    const [policy, person] = await Promise.all([readManaged(storage.managed), storage.sync.get([...SETTING_NAMES, ...LEGACY_SETTING_NAMES])]);
    return resolveSettings({ policy, person, defaults });
  }

  function current(): Promise<ResolvedSettings> {
    cached ??= read().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  }

  // Registered at once, not on first use: a service worker must add its listeners when it starts to be woken by them.
  const onStorageChanged: StorageChangeListener = (changes, areaName) => {
    if (areaName !== 'managed' && areaName !== PERSON_AREA) return;
    if (!Object.keys(changes).some((name) => isSettingName(name) || (LEGACY_SETTING_NAMES as readonly string[]).includes(name))) return;
    cached = undefined;
    void current().then(
      (settings) => {
        for (const listener of listeners) listener(settings);
      },
      (error: unknown) => console.error(`Switchyard settings: re-reading after a change failed with ${errorName(error)}`),
    );
  };
  storage.onChanged.addListener(onStorageChanged);

  return {
    current,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Company policy, or nothing. Firefox rejects the read when no policy names the extension ("Managed storage
 * manifest not found"), and a browser without managed storage has nothing to give: both mean "no policy".
 */
async function readManaged(area: ReadableArea): Promise<Record<string, unknown>> {
  try {
    return (await area.get(null)) ?? {};
  } catch {
    return {};
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
