/**
 * Saves the person's own choices (the options page) into storage.sync, one key per setting. Each value is
 * checked first; a setting company policy locks is refused, and `undefined` means "back to the default".
 * Nothing is written unless every change is valid, so a half-saved form cannot happen.
 */
import { parseSetting } from './resolve.ts';
import { LEGACY_SETTING_NAMES } from './settings.ts';
import type { SettingName, Settings } from './settings.ts';

export interface WritableArea {
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export type PersonChanges = { [N in SettingName]?: unknown };

export type SaveResult = { ok: true; saved: Partial<Settings> } | { ok: false; errors: { [N in SettingName]?: string } };

export async function savePersonSettings(area: WritableArea, changes: PersonChanges, lockedByPolicy: readonly SettingName[]): Promise<SaveResult> {
  const toSet: Record<string, unknown> = {};
  const toRemove: SettingName[] = [];
  const errors: { [N in SettingName]?: string } = {};
  for (const [name, value] of Object.entries(changes) as [SettingName, unknown][]) {
    if (lockedByPolicy.includes(name)) {
      errors[name] = "set by your company's policy";
      continue;
    }
    if (value === undefined) {
      toRemove.push(name);
      continue;
    }
    const parsed = parseSetting(name, value);
    if (parsed.ok) toSet[name] = parsed.value;
    else errors[name] = parsed.message;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // A setting's earlier name goes once its current one is saved (or reset): it must not come back from under it.
  const legacy = 'consoleSessionMode' in changes ? LEGACY_SETTING_NAMES : [];
  if (toRemove.length + legacy.length > 0) await area.remove([...toRemove, ...legacy]);
  if (Object.keys(toSet).length > 0) await area.set(toSet);
  return { ok: true, saved: toSet as Partial<Settings> };
}
