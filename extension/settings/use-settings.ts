/** The settings in force, for an extension page (popup, options): read once, then kept current as policy or options change. */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { makeBrowserSettingsSource } from './browser-source.ts';
import { buildDefaults } from './build-defaults.ts';
import type { ResolvedSettings, SettingsSource } from './settings.ts';

let source: SettingsSource | undefined;

/** One source per page: extension pages read storage directly, without a round trip to the background. */
export function pageSettingsSource(): SettingsSource {
  source ??= makeBrowserSettingsSource(browser.storage, buildDefaults());
  return source;
}

export function useSettings(): ResolvedSettings | undefined {
  const [settings, setSettings] = useState<ResolvedSettings | undefined>();
  useEffect(() => {
    const settingsSource = pageSettingsSource();
    let live = true;
    void settingsSource.current().then((current) => live && setSettings(current));
    const stop = settingsSource.onChange(setSettings);
    return () => {
      live = false;
      stop();
    };
  }, []);
  return settings;
}
